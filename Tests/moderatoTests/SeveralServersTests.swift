import Foundation
import PostgreSQLTestSupport
import Synchronization
import Testing

/// Issue 17: `database.url` and several `moderato serve` processes on one PostgreSQL database,
/// acting as one site. The built binary, real servers, a real cluster (skipped, with a note,
/// without `MODERATO_TEST_POSTGRES_URL`).
@Suite("Several servers, one PostgreSQL database")
struct SeveralServersTests {
    static let needsPostgreSQL = ConditionTrait.enabled(if: TestPostgreSQL.isAvailable, Comment(rawValue: TestPostgreSQL.skipNote))

    // MARK: Configuration errors: one line, the host named, never the password

    @Test func aWrongSchemeOrAnUnreachableServerIsOneLineWithoutThePassword() throws {
        let folder = WorkingFolder()
        var runner = folder.runner
        runner.environment["MODERATO_DATABASE_URL"] = "mysql://moderato:s3cret-pw@db.example.org/moderato"
        let scheme = try runner.run("comments", "list")
        #expect(scheme.status == 1)
        #expect(
            scheme.stderr
                == "moderato: configuration error in environment: MODERATO_DATABASE_URL must start with postgres:// or postgresql:// (mysql:// is not a database Moderato can use)\n"
        )

        let port = try ServerProcess.freePort()
        runner.environment["MODERATO_DATABASE_URL"] = "postgres://moderato:s3cret-pw@127.0.0.1:\(port)/moderato?connect_timeout=3"
        for arguments in [["serve", "--port", "0"], ["comments", "list"], ["migrate"]] {
            let unreachable = try runner.run(arguments: arguments)
            #expect(unreachable.status == 1, "\(arguments)")
            #expect(unreachable.stderr.split(separator: "\n").count == 1, "one line: \(unreachable.stderr)")
            #expect(
                unreachable.stderr.contains("postgres://moderato@127.0.0.1:\(port)/moderato"), "names the server: \(unreachable.stderr)")
            #expect(!unreachable.stderr.contains("s3cret-pw"))
        }
    }

    @Test(needsPostgreSQL) func aWrongPasswordIsOneLineWithoutThePassword() throws {
        let database = try TestPostgreSQL.createEmptyDatabase()
        defer { database.drop() }
        let wrong = database.url.replacingOccurrences(
            of: TestPostgreSQL.password(of: database.url) + "@", with: "not-the-password-42@")
        let folder = WorkingFolder()
        var runner = folder.runner
        runner.environment["MODERATO_DATABASE_URL"] = wrong
        let result = try runner.run("serve", "--port", "0")
        #expect(result.status == 1)
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(result.stderr.contains("password authentication failed for user \"\(database.name)\""), "\(result.stderr)")
        #expect(!result.stderr.contains("not-the-password-42"))
    }

    // MARK: Two servers

    /// Servers A and B on one new database (they migrate it together on start), flood gap and
    /// rate limit on, clients told apart by X-Forwarded-For from the trusted loopback.
    static func twoServers(_ folder: WorkingFolder, database: TestDatabase, flood: Int, rate: Int) throws -> (ServerProcess, ServerProcess)
    {
        let environment = [
            "MODERATO_DATABASE_URL": database.url,
            "MODERATO_LIMITS_FLOOD_SECONDS": String(flood),
            "MODERATO_LIMITS_RATE_PER_MINUTE": String(rate),
            "MODERATO_SERVER_TRUSTED_PROXIES": "127.0.0.1",
            "MODERATO_MODERATION_MODE": "all",
        ]
        let a = try ServerProcess(folder: folder, environment: environment)
        let b = try ServerProcess(folder: folder, environment: environment)
        return (a, b)
    }

    static func post(
        _ server: ServerEndpoint, body: String, email: String, client: String, post: String = "/shared/"
    ) throws -> ServerEndpoint.Reply {
        let object: [String: Any] = ["body": body, "author": "Reader", "email": email, "post": post]
        return try server.request(
            "POST", "/comments", headers: ["Content-Type": "application/json", "X-Forwarded-For": client],
            body: try JSONSerialization.data(withJSONObject: object))
    }

    static func listedIDs(_ server: ServerProcess, post: String = "/shared/") throws -> [Int] {
        let listing = try server.request("GET", "/comments?post=\(post)").json() as? [String: Any]
        return (listing?["comments"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? Int }
    }

    /// How long until `condition` holds, checked every 20 ms; `nil` when it did not within `limit`.
    static func timeUntil(_ limit: Duration = .seconds(3), _ condition: () throws -> Bool) rethrows -> Duration? {
        let start = ContinuousClock.now
        while ContinuousClock.now - start < limit {
            if try condition() { return ContinuousClock.now - start }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return nil
    }

    @Test(needsPostgreSQL) func whatOneAcceptsAndTheCLIApprovesOrTrashesShowsOnBoth() throws {
        let database = try TestPostgreSQL.createEmptyDatabase()
        defer { database.drop() }
        let folder = WorkingFolder()
        let (a, b) = try Self.twoServers(folder, database: database, flood: 0, rate: 0)
        var cli = folder.runner
        cli.environment["MODERATO_DATABASE_URL"] = database.url

        // Both listings cached before the change, so a stale cache would show.
        #expect(try Self.listedIDs(a) == [])
        #expect(try Self.listedIDs(b) == [])
        let accepted = try Self.post(a.endpoint, body: "Accepted by A", email: "reader@example.org", client: "198.51.100.1")
        #expect(accepted.status == 201)
        let id = try #require((try accepted.json() as? [String: Any])?["id"] as? Int)

        let approve = try cli.run("comments", "approve", String(id))
        #expect(approve.status == 0, "\(approve.stderr)")
        // The promise is one second (NOTIFY, no polling); the test allows ten, because a test
        // must not fail when the machine is slow — without the NOTIFY it would never show.
        let shown = try Self.timeUntil(.seconds(10)) { try Self.listedIDs(a) == [id] && Self.listedIDs(b) == [id] }
        #expect(shown != nil, "approved, yet not shown on both within ten seconds")
        print("several servers: an approval by the CLI showed on both after \(shown ?? .seconds(10))")

        #expect(try cli.run("comments", "trash", String(id)).status == 0)
        let gone = try Self.timeUntil(.seconds(10)) { try Self.listedIDs(a).isEmpty && Self.listedIDs(b).isEmpty }
        #expect(gone != nil, "trashed, yet still shown after ten seconds")
        print("several servers: a trash by the CLI was gone from both after \(gone ?? .seconds(10))")

        // A write through one server reaches the other the same way.
        let viaB = try Self.post(b.endpoint, body: "Held on B", email: "second@example.org", client: "198.51.100.2")
        #expect(viaB.status == 201)
        let second = try #require((try viaB.json() as? [String: Any])?["id"] as? Int)
        _ = try cli.run("comments", "approve", String(second))
        #expect(try Self.timeUntil(.seconds(10)) { try Self.listedIDs(a) == [second] && Self.listedIDs(b) == [second] } != nil)
        #expect(a.stop() == 0)
        #expect(b.stop() == 0)
    }

    @Test(needsPostgreSQL) func theFloodGapDuplicatesAndTheRateLimitHoldAcrossServers() throws {
        let database = try TestPostgreSQL.createEmptyDatabase()
        defer { database.drop() }
        let folder = WorkingFolder()
        let (a, b) = try Self.twoServers(folder, database: database, flood: 15, rate: 3)

        // The flood gap: the same email on the other server, from another client.
        #expect(try Self.post(a.endpoint, body: "first", email: "flood@example.org", client: "203.0.113.1").status == 201)
        let flooded = try Self.post(b.endpoint, body: "second", email: "flood@example.org", client: "203.0.113.2")
        #expect(flooded.status == 429)
        #expect(flooded.text.contains("before the next one"), "the flood gap: \(flooded.text)")

        // The duplicate rule comes before the flood gap.
        let duplicate = try Self.post(b.endpoint, body: "first", email: "flood@example.org", client: "203.0.113.3")
        #expect(duplicate.status == 409)

        // Racing: eight submissions by one email at once, half on each server, from eight clients:
        // exactly one may win.
        let statuses = Mutex<[Int]>([])
        let endpoints = [a.endpoint, b.endpoint]
        DispatchQueue.concurrentPerform(iterations: 8) { index in
            let server = endpoints[index % 2]
            let reply = try? Self.post(server, body: "race \(index)", email: "racer@example.org", client: "192.0.2.\(index + 10)")
            statuses.withLock { $0.append(reply?.status ?? 0) }
        }
        #expect(statuses.withLock { $0.sorted() } == [201] + Array(repeating: 429, count: 7), "\(statuses.withLock { $0 })")

        // The rate limit counts attempts per client site-wide: 3 a minute, two on each server.
        let client = "198.51.100.200"
        let attempts = try [a.endpoint, a.endpoint, b.endpoint, b.endpoint].enumerated().map { index, server in
            try Self.post(server, body: "attempt \(index)", email: "rate\(index)@example.org", client: client)
        }
        #expect(attempts[0].status == 201)
        #expect(attempts[1].status == 429 && attempts[1].text.contains("before the next one"), "flood gap, within the limit")
        #expect(attempts[2].status == 429 && attempts[2].text.contains("before the next one"), "flood gap, within the limit")
        #expect(attempts[3].status == 429, "the fourth attempt in a minute")
        #expect(attempts[3].text.contains("and try again"), "the rate limit, though two were on A: \(attempts[3].text)")
        #expect(attempts[3].headers["retry-after"].flatMap(Int.init).map { (50...60).contains($0) } == true)
        #expect(a.stop() == 0)
        #expect(b.stop() == 0)
    }

    // MARK: Faults

    @Test(needsPostgreSQL) func killingAServerAndRestartingPostgreSQLUnderLoadLosesNothingAcknowledged() throws {
        // A cluster of this test's own: restarting the shared one would fail every other test.
        let cluster = try PrivateCluster()
        defer { cluster.stop() }
        let folder = WorkingFolder()
        let environment = ["MODERATO_DATABASE_URL": cluster.url, "MODERATO_MODERATION_MODE": "all", "MODERATO_DATABASE_POOL_SIZE": "4"]
        let a = try ServerProcess(folder: folder, environment: environment)
        let b = try ServerProcess(folder: folder, environment: environment)

        struct Outcome {
            var server: String
            var body: String
            var status: Int
            var id: Int?
        }
        let outcomes = Mutex<[Outcome]>([])
        let running = Atomic<Bool>(true)
        let endpoints = [("A", a.endpoint), ("B", b.endpoint)]
        let workersDone = DispatchGroup()
        for worker in 0..<8 {
            workersDone.enter()
            Thread {
                var count = 0
                while running.load(ordering: .relaxed) {
                    count += 1
                    let (name, server) = endpoints[worker % 2]
                    let body = "load \(worker)-\(count)"
                    let reply = try? server.submit(body: body, email: "w\(worker)-\(count)@example.org")
                    let id = reply.flatMap { try? $0.json() as? [String: Any] }?["id"] as? Int
                    outcomes.withLock { $0.append(Outcome(server: name, body: body, status: reply?.status ?? 0, id: id)) }
                    // A killed server refuses at once: do not spin.
                    if reply == nil { Thread.sleep(forTimeInterval: 0.05) }
                }
                workersDone.leave()
            }.start()
        }
        Thread.sleep(forTimeInterval: 1.5)
        kill(a.process.processIdentifier, SIGKILL)
        Thread.sleep(forTimeInterval: 0.5)

        // One request surely in flight when the database goes: its post is being created by an
        // open transaction elsewhere, so its own insert waits on that row.
        let holder = try cluster.holdPost("/held/")
        let held = Mutex<Int?>(nil)
        let heldDone = DispatchGroup()
        heldDone.enter()
        let serverB = b.endpoint
        Thread {
            let reply = try? serverB.submit(body: "in flight", email: "held@example.org", post: "/held/")
            held.withLock { $0 = reply?.status ?? 0 }
            heldDone.leave()
        }.start()
        // Wait (on a loaded machine, as long as it takes) until the request really waits on the lock.
        #expect(try cluster.waitForLockWaiter(), "the held request reached the database and waits there")
        #expect(held.withLock { $0 } == nil, "the held request waits on the database")
        try cluster.restart()
        kill(holder.processIdentifier, SIGKILL)
        holder.waitUntilExit()
        #expect(heldDone.wait(timeout: .now() + 15) == .success, "answered, not left hanging")
        #expect(held.withLock { $0 } == 503, "in flight during the restart: 503, never 201")
        Thread.sleep(forTimeInterval: 3)
        running.store(false, ordering: .relaxed)
        #expect(workersDone.wait(timeout: .now() + 30) == .success, "no request hangs")

        let all = outcomes.withLock { $0 }
        let acknowledged = all.filter { $0.status == 201 }
        #expect(acknowledged.count > 20, "the load ran: \(acknowledged.count) acknowledged")
        // Answers are 201 or 503 (0: A's connections died with it); never anything else.
        #expect(Set(all.map(\.status)).isSubset(of: [201, 503, 0]), "\(Set(all.map(\.status)))")
        #expect(all.filter { $0.server == "B" }.suffix(8).contains { $0.status == 201 }, "B serves again after the restart")

        // Every acknowledged comment is in the database, with its body; the held one is not.
        let stored = try TestPostgreSQL.jsonRows("SELECT id, body FROM comments", url: cluster.url)
        var bodies: [Int: String] = [:]
        for row in stored {
            if let id = (row["id"] as? NSNumber)?.intValue, let body = row["body"] as? String { bodies[id] = body }
        }
        let lost = acknowledged.filter { bodies[$0.id ?? -1] != $0.body }
        #expect(lost.isEmpty, "acknowledged but not stored: \(lost.prefix(5).map(\.body))")
        #expect(!bodies.values.contains("in flight"))
        #expect(b.stop() == 0, "B shuts down cleanly after all that")
    }

    // MARK: moderato copy

    @Test(needsPostgreSQL) func copyToPostgreSQLAndBackKeepsIdsThreadsTokensAndTrust() throws {
        let folder = WorkingFolder()
        let server = try ServerProcess(folder: folder, environment: ["MODERATO_MODERATION_MODE": "first-time"])
        func id(_ reply: ServerEndpoint.Reply) throws -> Int { try #require((try reply.json() as? [String: Any])?["id"] as? Int) }
        let first = try id(server.submit(body: "Top level", email: "regular@example.org", post: "/a/"))
        _ = try folder.runner.run("comments", "approve", String(first))
        let reply = try id(server.submit(body: "A reply", email: "other@example.org", post: "/a/", parent: first))
        _ = try folder.runner.run("comments", "approve", String(reply))
        let nested = try id(server.submit(body: "Nested", email: "regular@example.org", post: "/a/", parent: reply))
        let gone = try id(server.submit(body: "To be deleted", email: "third@example.org", post: "/b/"))
        _ = try folder.runner.run("comments", "delete", String(gone), "--force")
        let spam = try id(server.submit(body: "Buy now", email: "spam@example.org", post: "/b/"))
        _ = try folder.runner.run("comments", "spam", String(spam))
        _ = try folder.runner.run("posts", "close", "/b/")
        _ = try folder.runner.run("block", "email", "spammer@example.org")
        let token = try folder.runner.run("tokens", "create", "ops").stdout.trimmingCharacters(in: .newlines)
        #expect(server.stop() == 0)
        let exported = try Self.export(folder.runner)

        // SQLite → PostgreSQL.
        let database = try TestPostgreSQL.createEmptyDatabase()
        defer { database.drop() }
        let toPostgreSQL = try folder.runner.run("copy", "--to", database.url)
        #expect(toPostgreSQL.status == 0, "\(toPostgreSQL.stderr)")
        #expect(toPostgreSQL.stdout.range(of: #"\n  comments +4\n"#, options: .regularExpression) != nil, "\(toPostgreSQL.stdout)")
        #expect(toPostgreSQL.stdout.contains("Verified"))
        #expect(!toPostgreSQL.stdout.contains(TestPostgreSQL.password(of: database.url)), "never the password")
        #expect(toPostgreSQL.stderr.contains("keep the secret key file"))
        let again = try folder.runner.run("copy", "--to", database.url)
        #expect(again.status == 1)
        #expect(again.stderr.contains("is not empty"), "\(again.stderr)")

        // PostgreSQL → SQLite, from an install configured with the URL and the same secret.
        var fromPostgreSQL = folder.runner
        fromPostgreSQL.environment["MODERATO_DATABASE_URL"] = database.url
        #expect(try Self.export(fromPostgreSQL) == exported, "PostgreSQL holds what SQLite held")
        let back = try fromPostgreSQL.run("copy", "--to", "copy/back.sqlite")
        #expect(back.status == 0, "\(back.stderr)")
        var onCopy = folder.runner
        onCopy.environment["MODERATO_DATABASE_PATH"] = "copy/back.sqlite"
        #expect(try Self.export(onCopy) == exported, "the same comments, ids, threads, statuses and hashes")

        // The copy serves: tokens work, trust is recognised, ids continue after the old ones.
        let copyServer = try ServerProcess(
            folder: folder, environment: ["MODERATO_DATABASE_PATH": "copy/back.sqlite", "MODERATO_MODERATION_MODE": "first-time"])
        #expect(try copyServer.request("GET", "/moderation/comments", headers: ["Authorization": "Bearer \(token)"]).status == 200)
        let returning = try copyServer.submit(body: "Back again", email: "regular@example.org", post: "/a/")
        #expect((try returning.json() as? [String: Any])?["status"] as? String == "approved", "first-time trust still knows her")
        #expect(try id(returning) > gone, "a new id, never one used before (not even a deleted one)")
        #expect(try copyServer.submit(body: "Closed?", email: "new@example.org", post: "/b/").status == 403, "/b/ is still closed")
        let blocked = try copyServer.submit(body: "Still blocked", email: "spammer@example.org", post: "/a/")
        #expect(blocked.status == 201)
        #expect(try onCopy.run("comments", "show", String(try id(blocked)), "--format", "json").stdout.contains("\"spam\""))
        let history = try onCopy.run("comments", "show", String(gone))
        #expect(history.status == 1, "the deleted comment stays deleted")
        _ = nested
        #expect(copyServer.stop() == 0)
    }

    /// `moderato export`, without the line that says when.
    static func export(_ runner: CommandRunner) throws -> String {
        let result = try runner.run("export")
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout.replacingOccurrences(of: #""exported_at":"[^"]*""#, with: "", options: .regularExpression)
    }
}

/// A PostgreSQL cluster for one test, made and removed by `Tests/PostgreSQL/cluster.sh` in a
/// folder of its own.
final class PrivateCluster: Sendable {
    let state = NSTemporaryDirectory() + "moderato-private-cluster-\(getpid())-\(UUID().uuidString.prefix(8))"
    let url: String
    let database = "moderato"
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../PostgreSQL/cluster.sh").standardized.path

    init() throws {
        let output = try Self.run("start", state: state)
        guard let line = output.split(separator: "\n").last(where: { $0.hasPrefix("export MODERATO_TEST_POSTGRES_URL=") }) else {
            throw TestPostgreSQLError.psqlFailed("cluster.sh start printed no URL: \(output)")
        }
        let server = String(line.dropFirst("export MODERATO_TEST_POSTGRES_URL=".count))
        _ = try TestPostgreSQL.psql("CREATE DATABASE \(database)", serverURL: server)
        url = TestPostgreSQL.url(of: server, database: database)
    }

    /// A psql session that inserts `post` into `posts` in a transaction it keeps open, so that
    /// any other insert of that post waits; terminate it (or restart the server) to let go.
    func holdPost(_ post: String) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TestPostgreSQL.executable("psql"))
        process.arguments = ["-X", "-q", url]
        let input = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        input.fileHandleForWriting.write(
            Data(
                "BEGIN;\nINSERT INTO posts (post, closed, version, created_at, updated_at) VALUES ('\(post)', false, 0, now(), now());\n"
                    .utf8))
        // Return only once the row is held (psql may take a while to start on a busy machine).
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            let open = try TestPostgreSQL.psql(
                "SELECT count(*) FROM pg_stat_activity WHERE state = 'idle in transaction' AND query LIKE 'INSERT INTO posts%'", url: url)
            if open.trimmingCharacters(in: .whitespacesAndNewlines) == "1" { return process }
            Thread.sleep(forTimeInterval: 0.05)
        }
        process.terminate()
        throw TestPostgreSQLError.psqlFailed("the psql session never held the post")
    }

    /// Whether some statement waits on a lock within 30 seconds (a request blocked by `holdPost`).
    func waitForLockWaiter() throws -> Bool {
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            let waiting = try TestPostgreSQL.psql("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'", url: url)
            if waiting.trimmingCharacters(in: .whitespacesAndNewlines) != "0" { return true }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return false
    }

    /// `pg_ctl stop -m immediate` (as a crash: no checkpoint, recovery from the WAL) and start.
    func restart() throws {
        _ = try Self.run("restart", state: state)
    }

    func stop() {
        _ = try? Self.run("stop", state: state)
        try? FileManager.default.removeItem(atPath: state)
    }

    @discardableResult
    static func run(_ verb: String, state: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [script, verb]
        process.environment = ProcessInfo.processInfo.environment.merging(["MODERATO_TEST_POSTGRES_STATE": state]) { $1 }
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.standardError
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw TestPostgreSQLError.psqlFailed("cluster.sh \(verb) failed") }
        return String(decoding: data, as: UTF8.self)
    }
}
