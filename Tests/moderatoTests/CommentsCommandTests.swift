import Foundation
import Testing

/// `moderato comments …` run as a subprocess against a real database, with and without a live
/// server on the same file (SPEC §4).
@Suite("moderato comments")
struct CommentsCommandTests {
    /// A folder with a database holding `count` pending comments from distinct readers (ids 1…count).
    func folderWithComments(_ count: Int, post: String = "/p/") throws -> WorkingFolder {
        let folder = WorkingFolder()
        let server = try ServerProcess(folder: folder)
        for index in 1...count {
            let reply = try server.submit(
                body: "Comment \(index)\nsecond line", author: "Reader \(index)", email: "reader\(index)@example.org", post: post)
            #expect(reply.status == 201)
        }
        #expect(server.stop() == 0)
        return folder
    }

    @Test func listShowsPendingNewestFirstWithoutEmails() throws {
        let folder = try folderWithComments(3)
        let table = try folder.runner.run("comments", "list")
        #expect(table.status == 0, "\(table.stderr)")
        let lines = table.stdout.split(separator: "\n")
        #expect(lines.first?.hasPrefix("ID  POST  STATUS   REASON      AUTHOR    AGE  EMAIL     COMMENT") == true, "\(table.stdout)")
        #expect(lines.dropFirst().allSatisfy { $0.contains(" pending  first_time  Reader ") }, "why each was held: \(table.stdout)")
        #expect(lines.dropFirst().map { $0.prefix(1) } == ["3", "2", "1"])
        #expect(table.stdout.contains("Comment 3"))
        #expect(!table.stdout.contains("second line"), "first line of the body only")
        #expect(!table.stdout.contains("@example.org"))

        let ids = try folder.runner.run("comments", "list", "--format", "ids")
        #expect(ids.stdout == "3\n2\n1\n")

        let json = try folder.runner.run("comments", "list", "--format", "json", "--limit", "2")
        let items = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(items.count == 2)
        #expect(
            Set(items[0].keys) == [
                "id", "post", "parent", "author", "body_html", "created_at", "status", "body", "email_hash", "ip_hash", "updated_at",
                "moderated_at", "reason",
            ])
        let reason = try #require(items[0]["reason"] as? [String: Any])
        #expect(reason["code"] as? String == "first_time")
        #expect(reason["detail"] is NSNull)
        #expect(items[0]["status"] as? String == "pending")
        #expect((items[0]["email_hash"] as? String)?.count == 64)
        #expect(!json.stdout.contains("@example.org"))

        #expect(try folder.runner.run("comments", "list", "--status", "approved").stdout == "No approved comments.\n")
        #expect(try folder.runner.run("comments", "list", "--status", "all", "--post", "/other/").stdout == "No comments on /other/.\n")
    }

    @Test func showPrintsTheWholeCommentAndItsHistory() throws {
        let folder = try folderWithComments(1)
        #expect(try folder.runner.run("comments", "approve", "1").status == 0)
        let shown = try folder.runner.run("comments", "show", "1")
        #expect(shown.status == 0)
        #expect(shown.stdout.contains("Status:     approved"))
        #expect(shown.stdout.contains("Comment 1\nsecond line"))
        #expect(shown.stdout.contains("approve  pending → approved  by cli:"))
        #expect(!shown.stdout.contains("@example.org"))
        #expect(shown.stdout.contains("Reason:     first_time — first comment from this address"), "approving keeps why it was held")
        let json = try folder.runner.run("comments", "show", "1", "--format", "json")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["id"] as? Int == 1)
        #expect((object["reason"] as? [String: Any])?["code"] as? String == "first_time")
        let missing = try folder.runner.run("comments", "show", "42")
        #expect(missing.status == 1)
        #expect(missing.stderr == "moderato: no comment with id 42\n")
    }

    @Test func bulkVerbsReportEachIdAndOneBadIdMakesExit1() throws {
        let folder = try folderWithComments(3)
        let approve = try folder.runner.run("comments", "approve", "1", "42", "2")
        #expect(approve.status == 1)
        #expect(approve.stdout == "Approved comment 1.\nApproved comment 2.\n")
        #expect(approve.stderr == "moderato: no comment with id 42\n")
        #expect(try folder.runner.run("comments", "spam", "3").stdout == "Marked comment 3 as spam.\n")
        #expect(try folder.runner.run("comments", "trash", "3").stdout == "Trashed comment 3.\n")
        #expect(try folder.runner.run("comments", "hold", "3", "2").stdout == "Held comment 3.\nHeld comment 2.\n")
        #expect(try folder.runner.run("comments", "list", "--status", "approved", "--format", "ids").stdout == "1\n")
        #expect(try folder.runner.run("comments", "list", "--format", "ids").stdout == "3\n2\n")
    }

    @Test func deleteNeedsForceAndMovesRepliesUp() throws {
        let folder = WorkingFolder()
        let server = try ServerProcess(folder: folder)
        #expect(try server.submit(body: "top", email: "a@example.org").status == 201)
        #expect(try folder.runner.run("comments", "approve", "1").status == 0)
        // The live server sees the CLI's approval, so a reply to comment 1 is accepted.
        var reply = try server.submit(body: "reply", email: "b@example.org", parent: 1)
        for _ in 0..<50 where reply.status != 201 {
            Thread.sleep(forTimeInterval: 0.05)
            reply = try server.submit(body: "reply", email: "b@example.org", parent: 1)
        }
        #expect(reply.status == 201)
        #expect(try folder.runner.run("comments", "approve", "2").status == 0)
        #expect(try server.submit(body: "reply to reply", email: "c@example.org", parent: 2).status == 201)

        let refused = try folder.runner.run("comments", "delete", "2")
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("--force"))
        let deleted = try folder.runner.run("comments", "delete", "2", "99", "--force")
        #expect(deleted.status == 1)
        #expect(deleted.stdout == "Deleted comment 2.\n")
        #expect(deleted.stderr == "moderato: no comment with id 99\n")
        let remaining = try folder.runner.run("comments", "list", "--status", "all", "--format", "json")
        let items = try #require(try JSONSerialization.jsonObject(with: Data(remaining.stdout.utf8)) as? [[String: Any]])
        #expect(items.compactMap { $0["id"] as? Int } == [3, 1])
        #expect(items.first?["parent"] as? Int == 1, "comment 3 moved up to comment 1")
        #expect(server.stop() == 0)
    }

    @Test func countPerStatus() throws {
        let folder = try folderWithComments(3)
        _ = try folder.runner.run("comments", "approve", "1")
        _ = try folder.runner.run("comments", "spam", "2")
        let table = try folder.runner.run("comments", "count")
        #expect(table.stdout == "STATUS    COUNT\npending   1\napproved  1\nspam      1\ntrash     0\ntotal     3\n")
        let json = try folder.runner.run("comments", "count", "--post", "/p/", "--format", "json")
        let counts = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Int])
        #expect(counts == ["pending": 1, "approved": 1, "spam": 1, "trash": 0, "total": 3])
        #expect(try folder.runner.run("comments", "count", "--post", "/none/", "--format", "json").stdout.contains("\"total\" : 0"))
    }

    /// The promise is one second (the server polls every 200 ms); the test allows ten, so a slow
    /// machine cannot fail it.
    @Test func anApprovalFromTheCLIShowsInTheRunningServer() throws {
        let folder = WorkingFolder()
        let server = try ServerProcess(folder: folder)
        #expect(try server.submit(body: "waiting", email: "w@example.org").status == 201)
        func total() throws -> Int {
            try (server.request("GET", "/comments?post=/p/").json() as? [String: Any])?["total"] as? Int ?? -1
        }
        #expect(try total() == 0)
        let approved = try folder.runner.run("comments", "approve", "1")
        #expect(approved.stdout == "Approved comment 1.\n")
        func totalBecomes(_ expected: Int) throws -> Int {
            let deadline = Date().addingTimeInterval(10)
            var seen = try total()
            while seen != expected, Date() < deadline {
                Thread.sleep(forTimeInterval: 0.02)
                seen = try total()
            }
            return seen
        }
        #expect(try totalBecomes(1) == 1, "the public API shows the CLI's approval")
        #expect(try folder.runner.run("comments", "trash", "1").status == 0)
        #expect(try totalBecomes(0) == 0, "and its removal")
        #expect(server.stop() == 0)
    }

    @Test func badInputIsAOneLineErrorOrUsage() throws {
        let empty = WorkingFolder()
        let noDatabase = try empty.runner.run("comments", "list")
        #expect(noDatabase.status == 1)
        #expect(noDatabase.stderr.hasPrefix("moderato: no database at data/moderato.sqlite"))
        #expect(noDatabase.stderr.split(separator: "\n").count == 1)
        #expect(!FileManager.default.fileExists(atPath: empty.path + "/data/moderato.sqlite"), "no empty database was created")

        let folder = try folderWithComments(1)
        #expect(try folder.runner.run("comments", "list", "--status", "deleted").status == 2)
        #expect(try folder.runner.run("comments", "approve").status == 2)
        #expect(try folder.runner.run("comments", "approve", "abc").status == 2)
        #expect(try folder.runner.run("comments", "list", "--limit", "0").status == 2)
        #expect(try folder.runner.run("comments", "show", "1", "--format", "ids").status == 2)
        let missingConfig = try folder.runner.run("comments", "list", "--config", "nope.yaml")
        #expect(missingConfig.status == 1)
        #expect(missingConfig.stderr == "moderato: configuration error: nope.yaml does not exist\n")
    }
}
