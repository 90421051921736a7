import Foundation
import Testing

/// Misbehaving connections against the real server process. These live here, not with the
/// in-process HTTP tests, because they block on sockets: in-process, that would starve the very
/// server threads under test.
@Suite("Slow, idle and oversized clients")
struct SlowClientTests {
    @Test func anOversizedChunkedBodyIs413BeforeItIsAllRead() throws {
        let folder = WorkingFolder()
        // The request limit derives from the field limits: 3 × (100 + 245 + 100 + 200 + 512) + 4096.
        let server = try ServerProcess(folder: folder, environment: ["MODERATO_LIMITS_BODY": "100"])
        let connection = try RawConnection(port: server.port)
        connection.send(
            "POST /comments HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n")
        let chunk = String(repeating: "a", count: 1000)
        for _ in 0..<10 {
            connection.send(String(1000, radix: 16) + "\r\n" + chunk + "\r\n")
        }
        // The terminating chunk is never sent: the answer must come without the rest of the body.
        let answer = connection.receive(timeout: 10)
        #expect(answer.hasPrefix("HTTP/1.1 413"), "\(answer.prefix(80))")
        #expect(answer.contains("The request body is larger than 7567 bytes."))

        let declared = try RawConnection(port: server.port)
        declared.send("POST /comments HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 10000000\r\n\r\n{")
        #expect(declared.receive(timeout: 10).hasPrefix("HTTP/1.1 413"), "refused from Content-Length alone")
        #expect(server.stop() == 0)
    }

    @Test func slowAndIdleClientsAreCutOffAndDoNotStarveOthers() throws {
        let folder = WorkingFolder()
        // The idle timeout is longer than the body timeout so that the 408 path is the one taken.
        let server = try ServerProcess(
            folder: folder,
            environment: [
                "MODERATO_SERVER_IDLE_TIMEOUT": "3", "MODERATO_SERVER_REQUEST_TIMEOUT": "1",
            ])
        var stalled: [RawConnection] = []
        for index in 0..<300 {
            let connection = try RawConnection(port: server.port)
            if index.isMultiple(of: 2) {
                connection.send(
                    "POST /comments HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{\"body\":")
            } else {
                connection.send("GET /comments?post=/p/ HTTP/1.1\r\nHost: x\r\nX-Slow: ")
            }
            stalled.append(connection)
        }
        let started = Date()
        for index in 0..<20 {
            #expect(try server.request("GET", "/healthz").status == 200)
            #expect(try server.submit(body: "normal \(index)", email: "n\(index)@example.org").status == 201)
        }
        #expect(Date().timeIntervalSince(started) < 10, "normal requests were served while 300 connections stalled")

        let slowBody = stalled[0].receive(timeout: 10)
        #expect(slowBody.hasPrefix("HTTP/1.1 408"), "a trickled body gets 408: \(slowBody.prefix(60))")
        #expect(stalled[1].isClosedByServer(within: 15), "a request head that never ends is closed")
        let idle = try RawConnection(port: server.port)
        #expect(idle.isClosedByServer(within: 15), "an idle connection is closed")
        #expect(server.stop() == 0)
    }
}
