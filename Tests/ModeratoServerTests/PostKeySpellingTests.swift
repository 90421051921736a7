import Foundation
import GRDB
import HTTPTypes
import HummingbirdTesting
import ModeratoCore
import ModeratoStore
import Testing

@testable import ModeratoServer

/// Issue 12's crash loop and cache poisoning: two spellings of one key (`é` precomposed or as `e` +
/// U+0301, `K` or the Kelvin sign) must be one post everywhere — database, cache, versions,
/// cursors — and a server must start on a database that already holds both.
@Suite("One post key, one post")
struct PostKeySpellingTests {
    static let nfc = "/caf\u{E9}/"
    static let nfd = "/cafe\u{301}/"

    /// Published at once, so every comment changes a post's version (what used to trap).
    static func publishing(_ configuration: inout ModeratoConfiguration) {
        configuration.moderation = ModerationPolicy(mode: .none, maxLinks: 0)
    }

    static func query(_ post: String) -> String {
        formEncode(post)
    }

    func listing(_ client: any TestClientProtocol, _ post: String) async throws -> (total: Int, ids: [Int]) {
        let response = try await client.execute(uri: "/comments?post=\(Self.query(post))", method: .get)
        #expect(response.status == .ok)
        let json = try response.json()
        let ids = (json["comments"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? Int }
        return (json["total"] as? Int ?? -1, ids)
    }

    func count(_ client: any TestClientProtocol, _ post: String) async throws -> Int {
        let response = try await client.execute(uri: "/comments/count?post=\(Self.query(post))", method: .get)
        #expect(response.status == .ok)
        return try response.json().values.first as? Int ?? -1
    }

    @Test func bothSpellingsAreOnePostThroughHTTPAndAfterARestart() async throws {
        let env = TestEnvironment(Self.publishing)
        try await env.run { client async throws in
            // 20 concurrent posts alternating the spellings: the reproduction from the review.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<20 {
                    group.addTask {
                        let post = index.isMultiple(of: 2) ? Self.nfc : Self.nfd
                        let response =
                            index.isMultiple(of: 4)
                            ? try await client.postForm(commentForm(body: "comment \(index)", email: "r\(index)@example.org", post: post))
                            : try await client.postJSON(commentJSON(body: "comment \(index)", email: "r\(index)@example.org", post: post))
                        #expect([.created, .seeOther].contains(response.status))
                    }
                }
                try await group.waitForAll()
            }
            for spelling in [Self.nfc, Self.nfd] {
                let page = try await listing(client, spelling)
                #expect(page.total == 20)
                #expect(page.ids.count == 20)
                #expect(try await count(client, spelling) == 20)
            }
        }
        #expect(
            try env.rows("SELECT post FROM posts").map { $0["post"] as String }.map { Array($0.utf8) } == [Array(Self.nfc.utf8)],
            "one row, in NFC")

        // A restart reads every version back: this is where the old server trapped.
        try await env.run { client async throws in
            #expect(try await listing(client, Self.nfd).total == 20)
            #expect(try await count(client, Self.nfc) == 20)
        }
    }

    @Test func aReadOfOneSpellingNeverHidesTheOtherFromLaterReaders() async throws {
        let env = TestEnvironment(Self.publishing)
        try await env.run { client async throws in
            // First reader uses NFD while the post is empty: the old server cached that empty
            // page under a key the NFC reader shared, and never refreshed it.
            #expect(try await listing(client, Self.nfd).total == 0)
            #expect(try await client.postJSON(commentJSON(post: Self.nfc)).status == .created)
            #expect(try await listing(client, Self.nfc).ids.count == 1)
            #expect(try await listing(client, Self.nfd).ids.count == 1)
            #expect(try await count(client, Self.nfd) == 1)

            let kelvin = "/\u{212A}yoto/"
            #expect(try await listing(client, kelvin).total == 0)
            #expect(try await client.postJSON(commentJSON(body: "Kyoto", post: "/Kyoto/")).status == .created)
            #expect(try await listing(client, kelvin).total == 1)
            #expect(try await count(client, kelvin) == 1)
        }
    }

    @Test func aReplyAndACursorWorkAcrossSpellings() async throws {
        let env = TestEnvironment(Self.publishing)
        try await env.run { client async throws in
            let parent = try await client.postJSON(commentJSON(body: "parent", post: Self.nfc)).json()["id"] as? Int
            var reply = commentJSON(body: "reply", email: "other@example.org", post: Self.nfd)
            reply["parent"] = parent
            let answer = try await client.postJSON(reply)
            #expect(answer.status == .created, "the same post, so the parent is in it")
            #expect(try answer.json()["parent"] as? Int == parent)
            #expect(try answer.json()["post"] as? String == Self.nfc, "answers name the post in NFC")

            let first = try await client.execute(uri: "/comments?limit=1&post=\(Self.query(Self.nfd))", method: .get).json()
            let next = try #require(first["next"] as? String)
            let second = try await client.execute(uri: "/comments?limit=1&post=\(Self.query(Self.nfc))&after=\(next)", method: .get)
            #expect(second.status == .ok, "a cursor is bound to the post, not to its spelling")
            #expect((try second.json()["comments"] as? [[String: Any]])?.first?["body_html"] as? String == "<p>reply</p>")
        }
    }

    /// SQLite's migration 004; a PostgreSQL database was never written by a version that kept
    /// two spellings.
    @Test(.enabled(if: TestEngine.isSQLite, "SQLite's own migration"))
    func aDatabaseThatAlreadyHoldsBothSpellingsStartsAndMergesThem() async throws {
        let env = TestEnvironment(Self.publishing)
        // A database as an older Moderato left it: the same article under two byte spellings,
        // both with published comments and versions, one of them closed.
        try await env.store().close()
        let pool = try env.database()
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = '004_nfc_post_keys'")
            for (index, post) in [Self.nfc, Self.nfd, Self.nfd].enumerated() {
                try db.execute(
                    sql:
                        "INSERT INTO posts (post, closed, version, created_at, updated_at) VALUES (?, ?, ?, '2025-01-01 00:00:00.000', '2025-01-01 00:00:00.000') ON CONFLICT DO NOTHING",
                    arguments: [post, post == Self.nfd, index + 1]
                )
                try db.execute(
                    sql: """
                        INSERT INTO comments (post, status, author, email_hash, body, created_at, updated_at)
                        VALUES (?, 'approved', 'Old', 'hash', ?, '2025-01-01 00:00:00.000', '2025-01-01 00:00:00.000')
                        """,
                    arguments: [post, "old comment \(index)"]
                )
            }
        }
        #expect(try await pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM posts") } == 2, "two rows before the migration")
        try pool.close()

        try await env.run { client async throws in
            for spelling in [Self.nfc, Self.nfd] {
                #expect(try await listing(client, spelling).total == 3)
                #expect(try await count(client, spelling) == 3)
            }
            let closed = try await client.postJSON(commentJSON(post: Self.nfc))
            #expect(closed.status == .forbidden, "closed under either spelling means closed")
        }
        let posts = try env.rows("SELECT post, closed FROM posts")
        #expect(posts.count == 1)
        #expect(Array((posts.first?["post"] as String?)?.utf8 ?? "".utf8) == Array(Self.nfc.utf8))
        #expect(try env.count("SELECT COUNT(*) FROM comment_counts WHERE post <> '\(Self.nfc)'") == 0)
    }

    /// Families of spellings a person or a bot may send for the same and for look-alike keys:
    /// canonically equivalent ones must act as one post, compatibility look-alikes (`ﬁ` and `fi`,
    /// fullwidth digits) stay separate posts; whatever the order, nothing traps and the listing
    /// and the count agree.
    @Test(arguments: [1, 2, 3])
    func randomSpellingsNeverTrapAndListingAndCountAgree(seed: UInt64) async throws {
        let families: [[String]] = [
            ["/m\u{FC}nchen/", "/mu\u{308}nchen/"],
            ["/\u{212A}elvin/", "/Kelvin/"],
            ["/\u{212B}ngstr\u{F6}m/", "/\u{C5}ngstr\u{F6}m/", "/A\u{30A}ngstro\u{308}m/"],
            ["/\u{FB01}le/"], ["/file/"],
            ["/\u{1E0B}\u{323}/", "/d\u{323}\u{307}/", "/\u{1E0D}\u{307}/"],
            ["/ｐ/"], ["/p/"],
        ]
        let env = TestEnvironment(Self.publishing)
        var generator = SeededGenerator(state: seed)
        let steps = (0..<60).map { _ in
            let family = Int(generator.next() % UInt64(families.count))
            let spelling = families[family][Int(generator.next() % UInt64(families[family].count))]
            return SpellingStep(family: family, spelling: spelling, isRead: generator.next() % 3 == 0)
        }
        let expected = try await env.run { client async throws in try await play(steps, on: client) }
        try await env.run { client async throws in
            for (family, spellings) in families.enumerated() {
                for spelling in spellings {
                    #expect(try await listing(client, spelling).total == expected[family, default: 0])
                    #expect(try await count(client, spelling) == expected[family, default: 0])
                }
            }
        }
    }

    struct SpellingStep: Sendable {
        var family: Int
        var spelling: String
        var isRead: Bool
    }

    /// Posts or reads as `steps` say; returns how many comments each family got.
    func play(_ steps: [SpellingStep], on client: any TestClientProtocol) async throws -> [Int: Int] {
        var expected: [Int: Int] = [:]
        for (index, step) in steps.enumerated() {
            if step.isRead {
                let page = try await listing(client, step.spelling)
                let counted = try await count(client, step.spelling)
                #expect(page.total == counted, "listing and count of \(step.spelling.unicodeScalars.map { String($0.value, radix: 16) })")
                #expect(page.total == expected[step.family, default: 0])
            } else {
                let response = try await client.postJSON(
                    commentJSON(body: "step \(index)", email: "s\(index)@example.org", post: step.spelling))
                #expect(response.status == .created)
                expected[step.family, default: 0] += 1
            }
        }
        return expected
    }
}
