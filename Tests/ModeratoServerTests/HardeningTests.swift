import Foundation
import GRDB
import HTTPTypes
import HummingbirdTesting
import ModeratoCore
import ModeratoStore
import Testing

@testable import ModeratoServer

/// Issue 12's smaller holes, each through the way a user reaches it.
@Suite("Hardening")
struct HardeningTests {
    // MARK: IPv6 clients are counted per /64

    @Test func anIPv6ClientIsOneClientAcrossItsWholePrefix() {
        #expect(ClientAddress.identity(of: "2001:db8:1:2:aaaa:bbbb:cccc:dddd", ipv6Prefix: 64) == "2001:db8:1:2::/64")
        #expect(ClientAddress.identity(of: "2001:db8:1:2::1", ipv6Prefix: 64) == "2001:db8:1:2::/64")
        #expect(ClientAddress.identity(of: "2001:db8:1:3::1", ipv6Prefix: 64) == "2001:db8:1:3::/64")
        #expect(ClientAddress.identity(of: "2001:db8:1:2:8000::1", ipv6Prefix: 65) == "2001:db8:1:2:8000::/65")
        #expect(ClientAddress.identity(of: "2001:db8::1", ipv6Prefix: 128) == "2001:db8::1/128")
        #expect(ClientAddress.identity(of: "203.0.113.7", ipv6Prefix: 64) == "203.0.113.7", "IPv4 by address")
        #expect(ClientAddress.identity(of: "::ffff:203.0.113.7", ipv6Prefix: 64) == "203.0.113.7", "a mapped IPv4 is that IPv4")
    }

    @Test func theRateLimitAndTheFloodGapHoldForAWholeIPv6Prefix() async throws {
        let rateLimited = TestEnvironment {
            ProtectionTests.trustingLoopback(&$0)
            $0.limits.ratePerMinute = 2
        }
        try await rateLimited.run(.live, clock: ManualClock()) { client async throws in
            for (index, address) in ["2001:db8:5:6::1", "2001:db8:5:6:ffff::2", "2001:db8:5:6::3"].enumerated() {
                let response = try await client.postJSON(
                    commentJSON(body: "rate \(index)", email: "r\(index)@example.org"), headers: [.xForwardedFor: address]
                )
                #expect(response.status == (index < 2 ? .created : .tooManyRequests), "\(address)")
            }
            let neighbour = try await client.postJSON(
                commentJSON(body: "next door", email: "n@example.org"), headers: [.xForwardedFor: "2001:db8:5:7::1"])
            #expect(neighbour.status == .created, "the next /64 is another client")
        }

        let flooded = TestEnvironment {
            ProtectionTests.trustingLoopback(&$0)
            $0.limits.floodSeconds = 15
        }
        try await flooded.run(.live, clock: ManualClock()) { client async throws in
            #expect(
                try await client.postJSON(commentJSON(body: "one", email: "a@example.org"), headers: [.xForwardedFor: "2001:db8:9::1"])
                    .status == .created)
            let sameNetwork = try await client.postJSON(
                commentJSON(body: "two", email: "b@example.org"), headers: [.xForwardedFor: "2001:db8:9::beef"])
            #expect(sameNetwork.status == .tooManyRequests, "another address of the same /64, another email: still the same client")
        }
        let hashes = try flooded.rows("SELECT ip_hash FROM comments").compactMap { $0["ip_hash"] as String? }
        #expect(hashes.count == 1 && hashes[0].count == 64)
    }

    // MARK: Size limits fit the largest valid comment in either encoding

    @Test func aFormPostOfEightThousandKanaIsAcceptedNotRefusedAs413() async throws {
        let env = TestEnvironment { $0.limits.requestBody = $0.limits.submission.largestRequestBody }
        let kana = String(repeating: "あいうえおかきくけこ", count: 800)  // 8,000 kana: 24 KB of text, 72 KB %-encoded
        try await env.run { client async throws in
            let response = try await client.postForm(commentForm(body: kana))
            #expect(response.status == .seeOther)
            let longest = String(repeating: "あ", count: 65525 / 3)
            #expect(try await client.postForm(commentForm(body: longest, email: "longest@example.org")).status == .seeOther)
        }
        #expect(try env.count() == 2)
        #expect(ModeratoConfiguration.defaults.limits.requestBody == SubmissionLimits().largestRequestBody)
        #expect(SubmissionLimits().largestRequestBody == 203_842)
    }

    @Test func browserRefusalsKeepWhatWasTyped() async throws {
        let env = TestEnvironment {
            ProtectionTests.trustingLoopback(&$0)
            $0.limits.floodSeconds = 15
            $0.limits.ratePerMinute = 2
        }
        let browser: HTTPFields = [.accept: "text/html,application/xhtml+xml", .xForwardedFor: "198.51.100.9"]
        let text = "私の長いコメント &lt;b&gt; は消えません"
        try await env.run(.live, clock: ManualClock()) { client async throws in
            #expect(try await client.postForm(commentForm(body: "first"), headers: browser).status == .seeOther)
            let flood = try await client.postForm(commentForm(body: text, email: "other@example.org"), headers: browser)
            #expect(flood.status == .tooManyRequests)
            #expect(flood.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(flood.headers[.retryAfter] != nil)
            #expect(flood.text.contains("<textarea"), "the form comes back")
            #expect(flood.text.contains(CommentRenderer.escape(text)), "with the text, escaped")

            let rate = try await client.postForm(commentForm(body: text, email: "third@example.org"), headers: browser)
            #expect(rate.status == .tooManyRequests)
            #expect(rate.text.contains(CommentRenderer.escape(text)), "the rate limit keeps it too")
        }

        let closed = TestEnvironment()
        try await closed.run { client async throws in
            let store = try await closed.store()
            try await store.setPostClosed("/2025/11/peace-talks/", closed: true)
            let response = try await client.postForm(commentForm(body: text), headers: [.accept: "text/html"])
            #expect(response.status == .forbidden)
            #expect(response.text.contains(CommentRenderer.escape(text)))
        }
    }

    // MARK: Redirects

    @Test func redirectsEncodeThePostAndDropAStaleMarker() async throws {
        let env = TestEnvironment {
            $0.moderation = ModerationPolicy(mode: .none, maxLinks: 0)
            $0.site.url = "https://blog.example.org"
            $0.site.origins = ["https://blog.example.org"]
        }
        try await env.run { client async throws in
            let published = try await client.postForm(
                commentForm(post: "/2025/11/peace-talks/"),
                headers: [.referer: "https://blog.example.org/2025/11/peace-talks/?moderato=pending&lang=ja"]
            )
            #expect(published.headers[.location] == "https://blog.example.org/2025/11/peace-talks/?lang=ja#comment-1")

            let odd = try await client.postForm(commentForm(body: "odd key", email: "odd@example.org", post: "/日本 語/#1"))
            #expect(odd.headers[.location] == "https://blog.example.org/%E6%97%A5%E6%9C%AC%20%E8%AA%9E/%231#comment-2")

            let encoded = try await client.postForm(commentForm(body: "encoded", email: "enc@example.org", post: "/caf%C3%A9/?p=4"))
            #expect(
                encoded.headers[.location] == "https://blog.example.org/caf%C3%A9/?p=4#comment-3",
                "a key taken from location.pathname stays as written")
        }
        #expect(URIPath.encode("/a b/\"<>`|#%zz%41") == "/a%20b/%22%3C%3E%60%7C%23%25zz%41")
    }

    // MARK: Website addresses

    @Test func websiteAddressesWithQuotesOrAngleBracketsAreRefused() async throws {
        let env = TestEnvironment()
        try await env.run { client async throws in
            for url in ["https://example.org/\"onmouseover=alert(1)", "https://example.org/<script>", "https://example.org/it's"] {
                var json = commentJSON()
                json["url"] = url
                let response = try await client.postJSON(json)
                #expect(response.status == .unprocessableContent, "\(url)")
                #expect(try response.errorFields() == ["url"])
            }
            var fine = commentJSON()
            fine["url"] = "https://example.org/a?b=c&d=e#f"
            #expect(try await client.postJSON(fine).status == .created)
        }
    }

    // MARK: Data at rest

    @Test(.enabled(if: TestEngine.isSQLite, "an SQLite file's modes; a PostgreSQL server keeps its own files"))
    func theDataFolderAndDatabaseFilesAreForTheOwnerOnly() async throws {
        let env = TestEnvironment()
        try await env.run { client async throws in
            #expect(try await client.postJSON(commentJSON()).status == .created)
            for suffix in ["", "-wal", "-shm"] {
                #expect(try Self.mode(env.configuration.databasePath + suffix) == 0o600, "moderato.sqlite\(suffix)")
            }
        }
        #expect(try Self.mode(env.folder + "/data") == 0o700)
        #expect(try Self.mode(env.configuration.secretKeyFile) == 0o600)
    }

    static func mode(_ path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return (attributes[.posixPermissions] as? Int ?? -1) & 0o777
    }

    @Test(.enabled(if: TestEngine.isSQLite, "SQLite's secure_delete and WAL"))
    func erasedTextIsInNoFileOfTheDataFolderRightAfterForget() async throws {
        let env = TestEnvironment()
        let body = "An erasable remark 7c41e9"
        try await env.run { client async throws in
            #expect(try await client.postJSON(commentJSON(body: body, email: "gone@example.org")).status == .created)
        }
        let store = try await env.store()
        let secureDelete = try await env.database().read { db in try Int.fetchOne(db, sql: "PRAGMA secure_delete") }
        #expect(secureDelete == 1, "set explicitly on every connection")
        let keyring = try Keyring(secret: SecretKeyFile.load(path: env.configuration.secretKeyFile))
        let erased = try await store.forgetEmail(hash: keyring.emailHash(normalizedEmail: "gone@example.org"), actor: "test")
        #expect(erased == 1)
        // Still open, as a running server would be: the WAL has been checkpointed and truncated.
        for (path, data) in env.databaseFileBytes() {
            #expect(data.range(of: Data(body.utf8)) == nil, "\(path) still holds the erased text")
        }
        #expect((try? Data(contentsOf: URL(fileURLWithPath: env.configuration.databasePath + "-wal")).count) ?? 0 == 0)
    }

    /// PostgreSQL's equivalent: the erased comment is gone for every reader at once, so no dump
    /// (no backup taken from now on) holds it.
    @Test(.enabled(if: TestEngine.current == .postgresql, "PostgreSQL's dump"))
    func erasedTextIsInNoDumpRightAfterForget() async throws {
        let env = TestEnvironment()
        let body = "An erasable remark 9d02b3"
        try await env.run { client async throws in
            #expect(try await client.postJSON(commentJSON(body: body, email: "gone@example.org")).status == .created)
        }
        try assertPresent(body, in: try env.storedBytes())
        let keyring = try Keyring(secret: SecretKeyFile.load(path: env.configuration.secretKeyFile))
        let erased = try await env.store().forgetEmail(hash: keyring.emailHash(normalizedEmail: "gone@example.org"), actor: "test")
        #expect(erased == 1)
        try assertAbsent([body], in: try env.storedBytes())
    }

    private func assertPresent(_ text: String, in files: [String: Data]) throws {
        #expect(files.values.contains { $0.range(of: Data(text.utf8)) != nil }, "the search would find it")
    }

    // MARK: The secret is created only by a new install

    @Test func aServerWithCommentsRefusesToStartWithoutItsSecret() async throws {
        let env = TestEnvironment()
        try await env.run { client async throws in
            #expect(try await client.postJSON(commentJSON()).status == .created)
        }
        try FileManager.default.removeItem(atPath: env.configuration.secretKeyFile)
        await #expect(throws: SecretKeyError.missing(env.configuration.secretKeyFile)) {
            _ = try await buildApplication(configuration: env.configuration, logger: env.logger)
        }
        #expect(!FileManager.default.fileExists(atPath: env.configuration.secretKeyFile), "no fresh secret was made")
    }
}
