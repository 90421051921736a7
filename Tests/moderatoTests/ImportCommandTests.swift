import Foundation
import Testing

/// `moderato import` and `moderato export --format wxr` through the built binary, on the fixtures
/// of `Tests/ModeratoImportTests/Fixtures` (a WordPress 6.x-shaped WXR, a Disqus export, an Isso
/// database written by Isso 0.14.0 itself).
@Suite("moderato import and export")
struct ImportCommandTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("ModeratoImportTests/Fixtures").path
    static let wordpress = fixtures + "/wordpress.xml"
    static let disqus = fixtures + "/disqus.xml"

    /// Addresses the fixture holds, which must never reach the data folder, the output or the log.
    static let personalData = [
        "taro.yamada@example.jp", "hanako@example.org", "jiro@example.org", "pills@spam.example", "203.0.113.7",
        "2001:db8::1", "198.51.100.23",
    ]

    func summary(_ output: CommandRunner.Output) throws -> [String: Int] {
        #expect(output.status == 0, "\(output.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Int])
    }

    func migrated() throws -> WorkingFolder {
        let folder = WorkingFolder()
        #expect(try folder.runner.run("migrate").status == 0)
        return folder
    }

    @Test func aWordPressExportComesInWithThreadsStatusesDatesAndClosedPosts() throws {
        let folder = try migrated()
        let first = try summary(try folder.runner.run("import", Self.wordpress, "--format", "json"))
        #expect(
            first == [
                "imported": 11, "posts": 3, "approved": 7, "pending": 1, "spam": 1, "trash": 2, "skipped": 2, "already_imported": 0,
            ])
        let again = try summary(try folder.runner.run("import", Self.wordpress, "--format", "json"))
        #expect(again["imported"] == 0 && again["already_imported"] == 11, "idempotent")

        let server = try ServerProcess(folder: folder)
        let thread = try #require(try server.request("GET", "/comments?post=4").json() as? [String: Any])
        let comments = try #require(thread["comments"] as? [[String: Any]])
        #expect(thread["total"] as? Int == 6)
        let taro = try #require(comments.first)
        #expect((taro["author"] as? [String: Any])?["name"] as? String == "山田 太郎")
        #expect(taro["created_at"] as? String == "2025-03-01T03:04:05Z", "comment_date_gmt, in UTC")
        let byAuthor = Dictionary(comments.map { (($0["author"] as? [String: Any])?["name"] as? String ?? "", $0) }) { a, _ in a }
        #expect(byAuthor["Hanako"]?["parent"] as? Int == taro["id"] as? Int, "replies keep their parents")
        #expect(
            byAuthor["Hanako"]?["body_html"] as? String == "<p>AT&amp;T &lt;3 &amp;amp; bold</p><p>second\u{A0}paragraph<br>next line</p>",
            "entities decoded once (&nbsp; too), then escaped; paragraphs and line breaks kept")
        let avatar = { (name: String) in (byAuthor[name]?["author"] as? [String: Any])?["avatar"] as? String }
        #expect(avatar("山田 太郎") != nil && avatar("山田 太郎") == avatar("TARO"), "mixed-case emails with spaces hash alike")
        #expect(byAuthor["Anonymous"]?["created_at"] as? String != nil, "a zero GMT date falls back to comment_date")

        // A closed post stays closed; a returning author is trusted at once (first-time mode).
        let closed = try server.submit(body: "late", email: "x@example.org", post: "7")
        #expect(closed.status == 403)
        let returning = try server.submit(body: "I am back", author: "Taro", email: " Taro.Yamada@EXAMPLE.jp", post: "4")
        #expect((try returning.json() as? [String: Any])?["status"] as? String == "approved", "\(returning.text)")
        #expect(server.stop() == 0)

        let forgotten = try folder.runner.run("forget", "email", "taro.yamada@example.jp")
        #expect(forgotten.stdout == "Erased 3 comments written with that address.\n", "two imported, one live")
        try expectNoPersonalData(in: folder, extra: [first.description])
    }

    /// An export made by WordPress 6.1 itself (Debian's package, content created through its own
    /// form, REST API and XML-RPC pingback; all addresses invented). WordPress's own counts:
    /// approved 17 (one a pingback), pending 3 (one a trackback), spam 1 (its exporter leaves spam
    /// out), trash 1, post-trashed 1.
    @Test func aRealWordPressExportComesInAsWordPressShowedIt() throws {
        let folder = try migrated()
        let result = try summary(try folder.runner.run("import", Self.fixtures + "/wordpress-6.1-real.xml", "--format", "json"))
        #expect(
            result == [
                "imported": 20, "posts": 7, "approved": 15, "pending": 3, "spam": 0, "trash": 2, "skipped": 2, "already_imported": 0,
            ], "the pingback and trackback skipped; the reply to the spam comment WordPress left out is held")
        let posts = try folder.runner.run("posts", "list", "--format", "json")
        let list = try #require(try JSONSerialization.jsonObject(with: Data(posts.stdout.utf8)) as? [[String: Any]])
        let closed = Dictionary(list.map { ($0["post"] as? String ?? "", $0["closed"] as? Bool ?? false) }) { a, _ in a }
        #expect(closed["7"] == true, "comments closed in WordPress")
        #expect(closed["8"] == true, "a trashed post takes no comments, as in WordPress")
        #expect(closed["5"] == false)
        let held = try folder.runner.run("comments", "list", "--format", "json")
        let orphan = try #require(try JSONSerialization.jsonObject(with: Data(held.stdout.utf8)) as? [[String: Any]])
            .first { $0["body"] as? String == "Is that link safe?" }
        #expect(orphan?["parent"] is NSNull)
        #expect((orphan?["reason"] as? [String: Any])?["code"] as? String == "imported")

        let server = try ServerProcess(folder: folder)
        let japanese = try #require(try server.request("GET", "/comments?post=6").json() as? [String: Any])
        #expect(japanese["total"] as? Int == 5)
        let five = try #require(try server.request("GET", "/comments?post=5").json() as? [String: Any])
        let texts = (five["comments"] as? [[String: Any]] ?? []).compactMap { $0["body_html"] as? String }
        #expect(texts.contains { $0.contains("&lt;3") }, "an admin's raw <3 survives, escaped")
        #expect(texts.contains { $0.contains("the reference (") }, "a link keeps its address")
        #expect(server.stop() == 0)
    }

    @Test func aDryRunAndATruncatedFileWriteNothing() throws {
        let folder = try migrated()
        let dry = try summary(try folder.runner.run("import", Self.wordpress, "--dry-run", "--format", "json"))
        #expect(dry["imported"] == 11)
        #expect(try folder.runner.run("comments", "count", "--format", "json").stdout.contains("\"total\" : 0"))

        let text = try String(contentsOfFile: Self.wordpress, encoding: .utf8)
        let cut = try folder.write(String(text.prefix(text.count * 3 / 4)), to: "truncated.xml")
        let truncated = try folder.runner.run("import", cut)
        #expect(truncated.status == 1)
        #expect(truncated.stderr.split(separator: "\n").count == 1, "one line: \(truncated.stderr)")
        #expect(truncated.stderr.contains("truncated.xml:") && truncated.stderr.contains("nothing was imported"))
        #expect(try folder.runner.run("comments", "count", "--format", "json").stdout.contains("\"total\" : 0"))

        let date = try folder.write(text.replacingOccurrences(of: "2025-03-01 05:00:00", with: "yesterday"), to: "bad-date.xml")
        let badDate = try folder.runner.run("import", date)
        #expect(badDate.status == 1)
        #expect(badDate.stderr.contains("yesterday"), "names the value: \(badDate.stderr)")
        #expect(try folder.runner.run("comments", "count", "--format", "json").stdout.contains("\"total\" : 0"))
    }

    @Test func anUnknownFormatOrAWrongFromIsOneLine() throws {
        let folder = try migrated()
        let notes = try folder.write("just some notes\n", to: "notes.txt")
        let unknown = try folder.runner.run("import", notes)
        #expect(unknown.status == 1)
        #expect(unknown.stderr.hasPrefix("moderato: ") && unknown.stderr.contains("expected a WordPress WXR export"))
        let wrong = try folder.runner.run("import", Self.wordpress, "--from", "disqus")
        #expect(wrong.status == 1)
        #expect(wrong.stderr.contains("expected a Disqus export"))
        #expect(try folder.runner.run("import", Self.wordpress, "--from", "blogger").status == 2, "a usage error")
        #expect(try folder.runner.run("import").status == 2)
    }

    @Test func disqusAndIssoExportsComeIn() throws {
        let folder = try migrated()
        let disqus = try summary(try folder.runner.run("import", Self.disqus, "--format", "json"))
        #expect(disqus["imported", default: 0] > 0)
        #expect(disqus["skipped", default: 0] > 0, "comments without a thread link are skipped and counted")

        let isso = Self.fixtures + "/.generated/isso-0.14.0.db"
        if !FileManager.default.fileExists(atPath: isso) {
            let make = Process()
            make.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            make.arguments = ["python3", Self.fixtures + "/make-isso-db.py", isso]
            try make.run()
            make.waitUntilExit()
        }
        try #require(FileManager.default.fileExists(atPath: isso), "Isso's own database (make-isso-db.py needs python3 and PyPI)")
        let fromIsso = try summary(try folder.runner.run("import", isso, "--format", "json"))
        #expect(fromIsso["imported", default: 0] > 0)
        #expect(fromIsso["pending", default: 0] > 0 && fromIsso["trash", default: 0] > 0, "\(fromIsso)")
        try expectNoPersonalData(in: folder, extra: [])
    }

    @Test func aWXRExportImportedIntoAFreshInstallGivesTheSameThreads() throws {
        let source = try migrated()
        _ = try summary(try source.runner.run("import", Self.wordpress, "--format", "json"))
        let exported = try source.runner.run("export", "--format", "wxr")
        #expect(exported.status == 0, "\(exported.stderr)")
        #expect(exported.stdout.contains("<wp:wxr_version>1.2</wp:wxr_version>"))
        for address in Self.personalData {
            #expect(!exported.stdout.lowercased().contains(address), "\(address) in the export")
        }
        let target = try migrated()
        let file = try target.write(exported.stdout, to: "moderato.wxr")
        let reimported = try summary(try target.runner.run("import", file, "--format", "json"))
        #expect(reimported["imported"] == 11 && reimported["approved"] == 7)

        func threads(_ folder: WorkingFolder) throws -> [String] {
            let server = try ServerProcess(folder: folder)
            defer { server.stop() }
            return try ["4", "7"].flatMap { post -> [String] in
                let page = try server.request("GET", "/comments?post=\(post)").json() as? [String: Any]
                let comments = page?["comments"] as? [[String: Any]] ?? []
                let names = Dictionary(comments.map { ($0["id"] as? Int ?? 0, ($0["author"] as? [String: Any])?["name"] as? String ?? "") })
                { a, _ in a }
                return comments.map { comment in
                    let author = (comment["author"] as? [String: Any])?["name"] as? String ?? ""
                    let parent = (comment["parent"] as? Int).flatMap { names[$0] } ?? "-"
                    return "\(post) \(author) ← \(parent) \(comment["created_at"] ?? "") \(comment["body_html"] ?? "")"
                }
            }
        }
        #expect(try threads(source) == threads(target))
    }

    /// No email or IP of the fixture in any file of the data folder (the WAL included) or `extra`.
    func expectNoPersonalData(in folder: WorkingFolder, extra: [String]) throws {
        let data = folder.path + "/data"
        for name in try FileManager.default.contentsOfDirectory(atPath: data) {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: data + "/" + name))
            let text = String(decoding: bytes, as: UTF8.self).lowercased()
            for address in Self.personalData {
                #expect(!text.contains(address), "\(address) in data/\(name)")
            }
        }
        for text in extra {
            for address in Self.personalData { #expect(!text.lowercased().contains(address)) }
        }
    }
}
