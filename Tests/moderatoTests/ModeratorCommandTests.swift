import Foundation
import Testing

/// `posts`, `tokens`, `block` and `forget`, run as a subprocess (SPEC §4).
@Suite("moderato posts, tokens, block, forget")
struct ModeratorCommandTests {
    @Test func postsListCloseAndOpenWithTheServerRunning() throws {
        let folder = WorkingFolder()
        let server = try ServerProcess(folder: folder)
        #expect(try server.submit(body: "hello", email: "a@example.org", post: "/a/").status == 201)
        #expect(try folder.runner.run("posts", "close", "/a/").stdout == "Closed comments on /a/.\n")
        #expect(try server.submit(body: "too late", email: "b@example.org", post: "/a/").status == 403)
        let list = try folder.runner.run("posts", "list")
        #expect(
            list.stdout.hasPrefix("POST  COMMENTS  APPROVED  PENDING  SPAM  TRASH  LAST\n/a/   closed    0         1 "), "\(list.stdout)")
        #expect(try folder.runner.run("posts", "open", "/a/").stdout == "Opened comments on /a/.\n")
        #expect(try server.submit(body: "now open", email: "b@example.org", post: "/a/").status == 201)
        let json = try folder.runner.run("posts", "list", "--format", "json")
        let posts = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(posts.first?["post"] as? String == "/a/")
        #expect(posts.first?["closed"] as? Bool == false)
        #expect((posts.first?["counts"] as? [String: Int])?["pending"] == 2)
        #expect(try folder.runner.run("posts", "close", "not-a-path").status == 2)
        #expect(server.stop() == 0)
    }

    @Test func tokensAreShownOnceStoredHashedAndWorkUntilRevoked() throws {
        let folder = WorkingFolder()
        let server = try ServerProcess(folder: folder)
        let created = try folder.runner.run("tokens", "create", "ci-bot")
        #expect(created.status == 0)
        let token = created.stdout.trimmingCharacters(in: .newlines)
        #expect(token.hasPrefix("mod_") && token.count >= 47, "32 random bytes, URL-safe")
        #expect(!token.contains("\n"), "the token alone on stdout")
        #expect(created.stderr.contains("not shown again"))
        #expect(try folder.runner.run("tokens", "create", "ci-bot").status == 1, "names are unique")

        let list = try folder.runner.run("tokens", "list")
        #expect(list.stdout.contains("ci-bot  active"))
        #expect(!list.stdout.contains(token))
        let database =
            try Data(contentsOf: URL(fileURLWithPath: folder.path + "/data/moderato.sqlite-wal"))
            + Data(contentsOf: URL(fileURLWithPath: folder.path + "/data/moderato.sqlite"))
        #expect(database.range(of: Data(token.utf8)) == nil, "only the hash is stored")

        #expect(try server.request("GET", "/moderation/comments", headers: ["Authorization": "Bearer \(token)"]).status == 200)
        #expect(try folder.runner.run("tokens", "list", "--format", "json").stdout.contains("\"last_used_at\""))
        #expect(try folder.runner.run("tokens", "revoke", "ci-bot").stdout == "Revoked token ci-bot.\n")
        let refused = try server.request("GET", "/moderation/comments", headers: ["Authorization": "Bearer \(token)"])
        #expect(refused.status == 401)
        #expect(refused.headers["www-authenticate"]?.hasPrefix("Bearer") == true)
        let again = try folder.runner.run("tokens", "revoke", "ci-bot")
        #expect(again.status == 1)
        #expect(again.stderr == "moderato: no active token named ci-bot\n")
        #expect(try folder.runner.run("tokens", "create", "bad name!").status == 2)
        #expect(server.stop() == 0)
    }

    @Test func aBlockedAddressIsAnsweredAsPendingAndStoredAsSpam() throws {
        let folder = WorkingFolder()
        let server = try ServerProcess(folder: folder, environment: ["MODERATO_MODERATION_MODE": "none"])
        let blocked = try folder.runner.run("block", "email", " Troll@Example.org ")
        #expect(blocked.status == 0, "\(blocked.stderr)")
        #expect(blocked.stdout.hasPrefix("Blocked email "))
        #expect(!blocked.stdout.lowercased().contains("troll@example.org"))
        #expect(try folder.runner.run("block", "email", "troll@example.org").stdout.contains("already blocked"))

        let reply = try server.submit(body: "I am blocked", email: "troll@example.org")
        #expect(reply.status == 201)
        #expect((try reply.json() as? [String: Any])?["status"] as? String == "pending", "the submitter sees the ordinary pending answer")
        #expect(try server.submit(body: "I am fine", email: "friend@example.org").status == 201)
        #expect(try folder.runner.run("comments", "list", "--status", "spam", "--format", "ids").stdout == "1\n")
        #expect(try folder.runner.run("comments", "list", "--status", "approved", "--format", "ids").stdout == "2\n")
        let malformed = try folder.runner.run("block", "email", "not-an-address")
        #expect(malformed.status == 1)
        #expect(malformed.stderr == "moderato: that is not a valid email address\n")
        #expect(server.stop() == 0)
    }

    @Test func forgetErasesEveryCommentOfAnAddressAndLogsItWithoutTheAddress() throws {
        let folder = WorkingFolder()
        let server = try ServerProcess(folder: folder)
        let email = "forget-me-3141@example.org"
        #expect(try server.submit(body: "first", email: email).status == 201)
        #expect(try folder.runner.run("comments", "approve", "1").status == 0)
        Thread.sleep(forTimeInterval: 0.5)
        #expect(try server.submit(body: "reply by someone else", email: "other@example.org", parent: 1).status == 201)
        #expect(try server.submit(body: "second", email: email, post: "/other/").status == 201)
        #expect(try server.submit(body: "third", email: email.uppercased()).status == 201)

        let forgotten = try folder.runner.run("forget", "email", email)
        #expect(forgotten.status == 0, "\(forgotten.stderr)")
        #expect(forgotten.stdout == "Erased 3 comments written with that address.\n")
        let remaining = try folder.runner.run("comments", "list", "--status", "all", "--format", "json")
        let items = try #require(try JSONSerialization.jsonObject(with: Data(remaining.stdout.utf8)) as? [[String: Any]])
        #expect(items.compactMap { $0["id"] as? Int } == [2])
        #expect(items.first?["parent"] is NSNull, "the reply moved up to top level")
        #expect(try folder.runner.run("forget", "email", email).stdout == "Erased 0 comments written with that address.\n")
        #expect(server.stop() == 0)

        for file in ["moderato.sqlite", "moderato.sqlite-wal"] {
            if let bytes = FileManager.default.contents(atPath: folder.path + "/data/" + file) {
                #expect(bytes.range(of: Data(email.utf8)) == nil)
                #expect(bytes.range(of: Data("forget-me".utf8)) == nil)
            }
        }
        let log = try folder.runner.run("comments", "show", "2")
        #expect(!log.stdout.contains(email))
        #expect(try folder.runner.run("forget", "email", "@@").status == 1)
    }
}
