import Foundation
import Testing

/// Issue 12 through the built binary: the crash loop a moderator could cause, and commands that
/// must not hash with a secret of their own making.
@Suite("moderato and the hardening review")
struct HardeningCommandTests {
    /// Form bodies spelled byte by byte: `é` precomposed (C3 A9) and as `e` + U+0301 (65 CC 81).
    static let spellings = ["%2Fcaf%C3%A9%2F", "%2Fcafe%CC%81%2F"]

    func postForm(_ server: ServerProcess, post: String, index: Int) throws -> Int {
        let body = "comment=Comment+\(index)&author=Reader&email=reader\(index)%40example.org&comment_post_ID=\(post)"
        let reply = try server.request(
            "POST", "/comments", headers: ["Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"],
            body: Data(body.utf8)
        )
        #expect(reply.status == 201, "\(reply.text)")
        return (try reply.json() as? [String: Any])?["id"] as? Int ?? 0
    }

    func listing(_ server: ServerProcess, _ post: String) throws -> (total: Int, count: Int) {
        let list = try server.request("GET", "/comments?post=\(post)").json() as? [String: Any]
        let count = try server.request("GET", "/comments/count?post=\(post)").json() as? [String: Int]
        return (list?["total"] as? Int ?? -1, count?.values.first ?? -1)
    }

    @Test func approvingBothSpellingsFromTheCLIThenRestartingServesOnePost() throws {
        let folder = WorkingFolder()
        var server = try ServerProcess(folder: folder)
        let ids = try Self.spellings.enumerated().map { index, post in try postForm(server, post: post, index: index) }
        #expect(server.stop() == 0)

        let approved = try folder.runner.run(arguments: ["comments", "approve"] + ids.map(String.init))
        #expect(approved.status == 0, "\(approved.stderr)")
        let closed = try folder.runner.run("posts", "close", "/cafe\u{301}/")
        #expect(closed.status == 0, "\(closed.stderr)")
        let posts = try folder.runner.run("posts", "list", "--format", "json")
        let list = try #require(try JSONSerialization.jsonObject(with: Data(posts.stdout.utf8)) as? [[String: Any]])
        #expect(list.count == 1, "one post: \(posts.stdout)")
        #expect(list.first?["closed"] as? Bool == true)

        // The restart is where the old server trapped, again and again under systemd.
        server = try ServerProcess(folder: folder)
        for spelling in Self.spellings {
            let seen = try listing(server, spelling)
            #expect(seen.total == 2 && seen.count == 2, "\(spelling): \(seen)")
        }
        #expect(server.stop() == 0)
    }

    @Test func commandsThatHashRefuseToRunWithoutTheSecret() throws {
        let folder = WorkingFolder()
        let server = try ServerProcess(folder: folder)
        _ = try postForm(server, post: "%2Fp%2F", index: 1)
        #expect(server.stop() == 0)
        try FileManager.default.removeItem(atPath: folder.path + "/data/secret.key")

        for command in [["forget", "email", "reader1@example.org"], ["block", "email", "reader1@example.org"]] {
            let result = try folder.runner.run(arguments: command)
            #expect(result.status == 1, "\(command)")
            #expect(result.stdout.isEmpty, "no 'Erased 0 comments': \(result.stdout)")
            #expect(result.stderr.split(separator: "\n").count == 1)
            #expect(result.stderr.contains("data/secret.key is missing"), "\(result.stderr)")
            #expect(!result.stderr.contains("reader1@example.org"))
        }
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/data/secret.key"), "no command made a new one")

        let serve = try folder.runner.run("serve", "--port", "0")
        #expect(serve.status == 1, "a server with comments will not start on a new secret either")
        #expect(serve.stderr.contains("secret.key is missing"))
        #expect(try folder.runner.run("comments", "count").status == 0, "commands that do not hash still work")
    }
}
