import Foundation
import Testing

/// Graceful shutdown, backup and export with the real binary (issue 6).
@Suite("Shutdown, backup and export")
struct OperationsCommandTests {
    @Test func sigtermFinishesTheRequestInFlightAndExits0() throws {
        let folder = WorkingFolder()
        let server = try ServerProcess(folder: folder)
        let body = #"{"body":"in flight","author":"A","email":"a@example.org","post":"/p/"}"#
        let connection = try RawConnection(port: server.port)
        connection.send(
            "POST /comments HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n"
                + body.prefix(10))
        Thread.sleep(forTimeInterval: 0.3)
        kill(server.process.processIdentifier, SIGTERM)
        Thread.sleep(forTimeInterval: 0.5)
        connection.send(String(body.dropFirst(10)))
        let answer = connection.receive(timeout: 10)
        #expect(answer.hasPrefix("HTTP/1.1 201"), "the request in flight completes: \(answer.prefix(60))")
        server.process.waitUntilExit()
        #expect(server.process.terminationStatus == 0)
        #expect(server.process.terminationReason == .exit)
        let log = String(decoding: server.log.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(log.contains("database closed"))
        let wal = (try? FileManager.default.attributesOfItem(atPath: folder.path + "/data/moderato.sqlite-wal")[.size] as? Int) ?? 0
        #expect(wal == 0, "the WAL was checkpointed into the database")
        let list = try folder.runner.run("comments", "list", "--format", "ids")
        #expect(list.stdout == "1\n")
    }

    @Test func aBackupTakenDuringWritesIsConsistent() throws {
        let folder = WorkingFolder()
        let server = try ServerProcess(folder: folder)
        let writers = DispatchGroup()
        let accepted = AtomicCounter()
        let endpoint = server.endpoint
        for writer in 0..<4 {
            DispatchQueue.global().async(group: writers) {
                for index in 0..<60 {
                    if (try? endpoint.submit(body: "writer \(writer) comment \(index)", email: "w\(writer)-\(index)@example.org").status)
                        == 201
                    {
                        accepted.increment()
                    }
                }
            }
        }
        Thread.sleep(forTimeInterval: 0.5)
        let backup = try folder.runner.run("backup", folder.path + "/copy.sqlite")
        writers.wait()
        #expect(backup.status == 0, "\(backup.stderr)")
        #expect(backup.stdout.hasPrefix("Backed up "))
        #expect(accepted.value == 240)

        let check = Process()
        check.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        check.arguments = [
            "python3", "-c",
            """
            import sqlite3, sys
            db = sqlite3.connect(sys.argv[1])
            print(db.execute('PRAGMA integrity_check').fetchone()[0], db.execute('SELECT COUNT(*) FROM comments').fetchone()[0])
            """, folder.path + "/copy.sqlite",
        ]
        let pipe = Pipe()
        check.standardOutput = pipe
        try check.run()
        check.waitUntilExit()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).split(separator: " ")
        #expect(output.first == "ok")
        let copied = Int(output.last?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? -1
        #expect(copied > 0 && copied <= 240)
        #expect(backup.stdout == "Backed up \(copied) comment\(copied == 1 ? "" : "s") to \(folder.path)/copy.sqlite.\n")
        #expect(try folder.runner.run("backup", folder.path + "/copy.sqlite").status == 1, "an existing file is never overwritten")
        #expect(server.stop() == 0)
    }

    @Test func exportPrintsEveryCommentWithStatusAndHashesButNoEmail() throws {
        let folder = WorkingFolder()
        let server = try ServerProcess(folder: folder)
        for index in 0..<3 {
            #expect(try server.submit(body: "export \(index)", email: "export-\(index)@example.org", post: "/e/").status == 201)
        }
        #expect(server.stop() == 0)
        _ = try folder.runner.run("comments", "approve", "2")
        _ = try folder.runner.run("posts", "close", "/e/")
        let export = try folder.runner.run("export", "--format", "json")
        #expect(export.status == 0)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(export.stdout.utf8)) as? [String: Any])
        #expect(document["format"] as? String == "moderato-export-1")
        let posts = try #require(document["posts"] as? [[String: Any]])
        #expect(posts.first?["post"] as? String == "/e/" && posts.first?["closed"] as? Bool == true)
        let comments = try #require(document["comments"] as? [[String: Any]])
        #expect(comments.compactMap { $0["id"] as? Int } == [1, 2, 3])
        #expect(comments.compactMap { $0["status"] as? String } == ["pending", "approved", "pending"])
        #expect(comments.allSatisfy { ($0["email_hash"] as? String)?.count == 64 && ($0["ip_hash"] as? String)?.count == 64 })
        #expect(comments.first?["body"] as? String == "export 0")
        #expect(!export.stdout.contains("@example.org"))
        #expect(try folder.runner.run("export", "--format", "csv").status == 2)
    }
}

/// A counter several threads may increment.
final class AtomicCounter: @unchecked Sendable {
    // @unchecked: every access goes through `lock`.
    private let lock = NSLock()
    private var count = 0

    func increment() {
        lock.lock()
        count += 1
        lock.unlock()
    }
    var value: Int {
        lock.lock()
        defer { lock.unlock() }
        return count
    }
}
