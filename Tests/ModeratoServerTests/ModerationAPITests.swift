import Foundation
import HTTPTypes
import HummingbirdTesting
import ModeratoCore
import ModeratoStore
import NIOCore
import Testing

@testable import ModeratoServer

/// SPEC §3.3, through the real router with tokens created as the CLI creates them.
@Suite("Moderation API")
struct ModerationAPITests {
    /// Creates a token the way `moderato tokens create` does and returns it.
    func token(_ env: TestEnvironment, name: String = "ci") async throws -> String {
        let token = APITokenSecret.generate()
        let created = try await env.store().createToken(name: name, hash: APITokenSecret.hash(token))
        #expect(created)
        return token
    }

    func bearer(_ token: String) -> HTTPFields { [.authorization: "Bearer \(token)"] }

    @Test func missingWrongAndRevokedTokensAre401WithABearerChallenge() async throws {
        let env = TestEnvironment()
        try await env.seed([.pending])
        let token = try await token(env)
        try await env.run { client async throws in
            let attempts: [HTTPFields] = [[:], bearer("mod_wrong"), [.authorization: "Basic dXNlcjpwYXNz"], [.authorization: "Bearer "]]
            for headers in attempts {
                let response = try await client.execute(uri: "/moderation/comments", method: .get, headers: headers)
                #expect(response.status == .unauthorized)
                #expect(response.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
                #expect(response.headers[.contentType] == "application/problem+json")
            }
            #expect(try await client.execute(uri: "/moderation/comments/1/approve", method: .post).status == .unauthorized)
            #expect(try await client.execute(uri: "/moderation/comments/1", method: .delete).status == .unauthorized)
            #expect(try await client.execute(uri: "/moderation/comments", method: .get, headers: bearer(token)).status == .ok)

            #expect(try await env.store().revokeToken(name: "ci"))
            let revoked = try await client.execute(uri: "/moderation/comments", method: .get, headers: bearer(token))
            #expect(revoked.status == .unauthorized)
            #expect(revoked.headers[.wwwAuthenticate]?.contains("invalid_token") == true)
        }
        #expect(try env.count("SELECT COUNT(*) FROM comments WHERE status = 'pending'") == 1, "nothing changed")
    }

    @Test func theQueueShowsEveryStatusWithHashesAndRawBody() async throws {
        let env = TestEnvironment()
        let ids = try await env.seed([.pending, .approved, .spam, .trash, .pending], body: { "raw <b>\($0)</b>" })
        let token = try await token(env)
        try await env.run { client async throws in
            let pending = try await client.execute(uri: "/moderation/comments", method: .get, headers: bearer(token)).json()
            #expect(pending["total"] as? Int == 2)
            let items = try #require(pending["comments"] as? [[String: Any]])
            #expect(items.compactMap { $0["id"] as? Int } == [Int(ids[0]), Int(ids[4])], "oldest first")
            let first = items[0]
            #expect(first["status"] as? String == "pending")
            #expect((first["email_hash"] as? String)?.count == 64)
            #expect((first["ip_hash"] as? String)?.count == 64)
            #expect(first["body"] as? String == "raw <b>0</b>")
            #expect(first["body_html"] as? String == "<p>raw &lt;b&gt;0&lt;/b&gt;</p>")

            for (status, expected) in [("approved", [ids[1]]), ("spam", [ids[2]]), ("trash", [ids[3]]), ("all", ids)] {
                let listing = try await client.execute(uri: "/moderation/comments?status=\(status)", method: .get, headers: bearer(token))
                    .json()
                #expect((listing["comments"] as? [[String: Any]])?.compactMap { $0["id"] as? Int } == expected.map(Int.init), "\(status)")
            }
            let paged = try await client.execute(uri: "/moderation/comments?status=all&limit=2", method: .get, headers: bearer(token))
                .json()
            let next = try #require(paged["next"] as? String)
            let second = try await client.execute(
                uri: "/moderation/comments?status=all&limit=2&after=\(next)", method: .get, headers: bearer(token)
            ).json()
            #expect((second["comments"] as? [[String: Any]])?.compactMap { $0["id"] as? Int } == [Int(ids[2]), Int(ids[3])])
            let wrongScope = try await client.execute(
                uri: "/moderation/comments?status=pending&after=\(next)", method: .get, headers: bearer(token))
            #expect(wrongScope.status == .badRequest)
            #expect(
                try await client.execute(uri: "/moderation/comments?status=deleted", method: .get, headers: bearer(token)).status
                    == .badRequest)
        }
    }

    @Test func everyTransitionAnswersTheUpdatedCommentAndIsAudited() async throws {
        let env = TestEnvironment()
        let ids = try await env.seed([.pending])
        let token = try await token(env)
        try await env.run { client async throws in
            for (action, status) in [
                ("approve", "approved"), ("spam", "spam"), ("trash", "trash"), ("hold", "pending"), ("approve", "approved"),
            ] {
                let response = try await client.execute(
                    uri: "/moderation/comments/\(ids[0])/\(action)", method: .post, headers: bearer(token))
                #expect(response.status == .ok, "\(action)")
                #expect(try response.json()["status"] as? String == status)
            }
            #expect(try await client.execute(uri: "/comments/\(ids[0])", method: .get).status == .ok, "published at once")
            #expect(
                try await client.execute(uri: "/moderation/comments/999/approve", method: .post, headers: bearer(token)).status == .notFound
            )
            #expect(
                try await client.execute(uri: "/moderation/comments/\(ids[0])/publish", method: .post, headers: bearer(token)).status
                    == .notFound)
            #expect(
                try await client.execute(uri: "/moderation/comments/abc/approve", method: .post, headers: bearer(token)).status == .notFound
            )
        }
        let log = try env.rows("SELECT action, from_status, to_status, actor FROM moderation_log WHERE actor <> 'test' ORDER BY id")
        #expect(log.map { $0["action"] as String } == ["approve", "spam", "trash", "hold", "approve"])
        #expect(log.map { $0["from_status"] as String } == ["pending", "approved", "spam", "trash", "pending"])
        #expect(log.allSatisfy { $0["actor"] as String == "token:ci" })
    }

    @Test func everyCommentSaysWhyItWasHeldOrMarkedAsSpam() async throws {
        let env = TestEnvironment {
            $0.moderation = ModerationPolicy(mode: .firstTime, maxLinks: 2, holdWords: ["Casino"], blockWords: ["viagra"])
        }
        let published = try await env.seed([.approved])
        let token = try await token(env)
        try await env.run { client async throws in
            for (body, email) in [
                ("First words", "new@example.org"), ("http://a.example/ http://b.example/", "links@example.org"),
                ("a casino night", "word@example.org"), ("VIAGRA", "spam@example.org"),
            ] {
                #expect(try await client.postJSON(commentJSON(body: body, email: email)).status == .created)
            }
            let listing = try await client.execute(uri: "/moderation/comments?status=all", method: .get, headers: bearer(token)).json()
            let items = try #require(listing["comments"] as? [[String: Any]])
            func reason(_ item: [String: Any]) -> [String: String]? {
                guard let object = item["reason"] as? [String: Any] else { return nil }
                return object.mapValues { $0 as? String ?? "null" }
            }
            #expect(
                items.map(reason) == [
                    nil, ["code": "first_time", "detail": "null"], ["code": "links", "detail": "2"],
                    ["code": "hold_word", "detail": "Casino"],
                    ["code": "block_word", "detail": "viagra"],
                ])
            #expect(items.first?["reason"] is NSNull, "published by the policy: reason null, present")
            #expect(items.first?["id"] as? Int == Int(published[0]))

            let held = try await client.execute(uri: "/moderation/comments/\(published[0])/hold", method: .post, headers: bearer(token))
            #expect(try reason(held.json()) == ["code": "moderator", "detail": "token:ci"], "a moderator's hold is their reason")
            let approved = try await client.execute(
                uri: "/moderation/comments/\(published[0])/approve", method: .post, headers: bearer(token))
            #expect(try reason(approved.json()) == ["code": "moderator", "detail": "token:ci"], "approving keeps it")
        }
    }

    @Test func deleteMovesRepliesUpAndAnswers204() async throws {
        let env = TestEnvironment()
        let top = try await env.seed([.approved])
        let middle = try await env.seed([.approved], parent: top[0])
        let leaf = try await env.seed([.approved], parent: middle[0])
        let token = try await token(env)
        try await env.run { client async throws in
            let response = try await client.execute(uri: "/moderation/comments/\(middle[0])", method: .delete, headers: bearer(token))
            #expect(response.status == .noContent)
            #expect(
                try await client.execute(uri: "/moderation/comments/\(middle[0])", method: .delete, headers: bearer(token)).status
                    == .notFound)
            let listing = try await client.execute(uri: "/comments?post=/p/", method: .get).json()
            let comments = try #require(listing["comments"] as? [[String: Any]])
            #expect(comments.compactMap { $0["id"] as? Int } == [Int(top[0]), Int(leaf[0])])
            #expect(comments.last?["parent"] as? Int == Int(top[0]), "the reply moved up to its grandparent")
        }
        #expect(try env.count("SELECT COUNT(*) FROM moderation_log WHERE action = 'delete'") == 1)
    }

    @Test func postsCanBeClosedAndOpened() async throws {
        let env = TestEnvironment()
        let token = try await token(env)
        try await env.run { client async throws in
            var headers = bearer(token)
            headers[.contentType] = "application/json"
            let close = try await client.execute(
                uri: "/moderation/posts/close", method: .post, headers: headers, body: ByteBuffer(string: #"{"post": "/p/"}"#))
            #expect(close.status == .ok)
            #expect(try close.json()["closed"] as? Bool == true)
            #expect(try await client.postJSON(commentJSON(post: "/p/")).status == .forbidden)
            let open = try await client.execute(
                uri: "/moderation/posts/open", method: .post, headers: headers, body: ByteBuffer(string: #"{"post": "/p/"}"#))
            #expect(open.status == .ok)
            #expect(try await client.postJSON(commentJSON(post: "/p/")).status == .created)
            let bad = try await client.execute(
                uri: "/moderation/posts/close", method: .post, headers: headers, body: ByteBuffer(string: "[]"))
            #expect(bad.status == .badRequest)
            let noPost = try await client.execute(
                uri: "/moderation/posts/close", method: .post, headers: headers, body: ByteBuffer(string: "{}"))
            #expect(noPost.status == .badRequest)
            #expect(try noPost.errorFields() == ["post"])
        }
    }

    @Test func noPlainEmailOrTokenInAnswersOrTheDatabase() async throws {
        let env = TestEnvironment()
        let token = try await token(env)
        let email = "moderation-privacy-91@example.org"
        try await env.run { client async throws in
            #expect(try await client.postJSON(commentJSON(email: email)).status == .created)
            for uri in ["/moderation/comments?status=all", "/moderation/comments"] {
                let response = try await client.execute(uri: uri, method: .get, headers: bearer(token))
                #expect(!response.text.contains(email))
                #expect(!response.text.contains(token))
            }
            let approved = try await client.execute(uri: "/moderation/comments/1/approve", method: .post, headers: bearer(token))
            #expect(!approved.text.contains(email))
            try assertAbsent([email, token], in: env.storedBytes())
        }
        #expect(!env.log.text.contains(token))
        #expect(try env.rows("SELECT token_hash FROM api_tokens").first?["token_hash"] == APITokenSecret.hash(token))
    }
}
