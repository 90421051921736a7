import Foundation
import HTTPTypes
import HummingbirdTesting
import ModeratoCore
import Testing

@testable import ModeratoServer

/// SPEC §2: nowhere is the plain email or the plain client IP written.
@Suite("No plain email or IP at rest or in logs")
struct PrivacyTests {
    @Test func emailAndClientIPAreNowhereInTheDatabaseFilesOrTheLog() async throws {
        let email = "Unique.Reader+moderato-7f3a@Example.org"
        let clientIP = "198.51.100.77"
        // The live server sees 127.0.0.1 as the peer; trusting it as a proxy makes the forwarded
        // address the client's, so a distinctive IP can be searched for.
        let env = TestEnvironment {
            $0.server.trustedProxies = [IPNetwork("127.0.0.1")!, IPNetwork("::1")!]
        }
        try await env.run(.live) { client async throws in
            let form = try await client.postForm(
                commentForm(body: "Privacy check", email: email), headers: [.xForwardedFor: "\(clientIP), 127.0.0.1"]
            )
            #expect(form.status == .seeOther)
            var object = commentJSON(body: "Privacy check, JSON", email: email)
            object["url"] = "https://reader.example/"
            let json = try await client.postJSON(object, headers: [.xForwardedFor: clientIP])
            #expect(json.status == .created)
            #expect(!json.text.lowercased().contains(email.lowercased()))
            let invalid = try await client.postJSON(commentJSON(body: "", email: email), headers: [.xForwardedFor: clientIP])
            #expect(invalid.status == .unprocessableContent)
            #expect(!invalid.text.lowercased().contains(email.lowercased()))
            // While the server holds the database open, its WAL holds the newest pages.
            let files = try env.storedBytes()
            if TestEngine.isSQLite {
                #expect(files.keys.contains { $0.hasSuffix("-wal") }, "the WAL is searched too")
            }
            try assertAbsent([email, email.lowercased(), clientIP], in: files)
        }
        let rows = try env.rows("SELECT ip_hash, email_hash FROM comments")
        #expect(rows.count == 2)
        #expect(rows.allSatisfy { ($0["ip_hash"] as String?)?.count == 64 }, "the client IP was seen and hashed")

        try assertAbsent([email, email.lowercased(), clientIP], in: env.storedBytes())
        let log = env.log.text
        #expect(!log.isEmpty, "the log was captured")
        for needle in [email, email.lowercased(), clientIP] {
            #expect(!log.contains(needle), "\(needle) found in the log")
        }
    }
}

func assertAbsent(_ needles: [String], in files: [String: Data]) throws {
    #expect(!files.isEmpty)
    for (path, bytes) in files {
        for needle in needles {
            #expect(bytes.range(of: Data(needle.utf8)) == nil, "\(needle) found in \(path)")
        }
    }
}
