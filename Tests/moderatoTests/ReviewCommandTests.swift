import Foundation
import Testing

/// `moderato review`, the built binary in a real pseudo-terminal (tmux): what a moderator sees and
/// what each key leaves in the database, read back through `comments list --format json`.
@Suite("moderato review", .serialized)
struct ReviewCommandTests {
    struct Seed {
        var body: String
        var author = "Reader"
        var email: String
        var post = "/p/"
    }

    /// A folder whose database holds `seeds` (ids 1…), submitted through a live server with the
    /// default policy (first-time: each new address is held), and a configuration with a site URL.
    func folder(_ seeds: [Seed], config: String = "") throws -> WorkingFolder {
        let folder = WorkingFolder()
        try FileManager.default.createDirectory(atPath: folder.path + "/Config", withIntermediateDirectories: true)
        _ = try folder.write("site:\n  url: \"https://blog.example\"\n" + config, to: "Config/moderato.yaml")
        let server = try ServerProcess(folder: folder)
        for seed in seeds {
            let reply = try server.submit(body: seed.body, author: seed.author, email: seed.email, post: seed.post)
            #expect(reply.status == 201, "\(reply.text)")
        }
        #expect(server.stop() == 0)
        return folder
    }

    /// A pane that runs `moderato review ARGUMENTS` between two marks, saving the terminal
    /// settings before and after, and stays open to be read.
    func pane(
        _ folder: WorkingFolder, _ arguments: String = "", name: String = "pane", columns: Int = 100, rows: Int = 30,
        environment: [String: String] = [:]
    ) throws -> TmuxPane {
        try TmuxPane(
            folder: folder, name: name,
            script: """
                echo "before review"
                stty -g > \(name).stty-before
                '\(CommandRunner.binary)' review \(arguments)
                echo "review exited $?"
                stty -g > \(name).stty-after
                exec sleep 600
                """,
            columns: columns, rows: rows, environment: environment)
    }

    /// `comments list --status all --format json`, by id.
    func comments(_ folder: WorkingFolder) throws -> [Int: [String: Any]] {
        let output = try folder.runner.run("comments", "list", "--status", "all", "--format", "json")
        let items = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [[String: Any]])
        return Dictionary(uniqueKeysWithValues: items.map { ($0["id"] as? Int ?? 0, $0) })
    }

    func statuses(_ folder: WorkingFolder) throws -> [Int: String] {
        try comments(folder).mapValues { $0["status"] as? String ?? "?" }
    }

    func reason(_ item: [String: Any]?) -> String {
        guard let reason = item?["reason"] as? [String: Any], let code = reason["code"] as? String else { return "null" }
        return (reason["detail"] as? String).map { "\(code) \($0)" } ?? code
    }

    @Test func theFirstHeldCommentShowsItsReasonHistoryAndPost() throws {
        let folder = try folder([
            Seed(body: "An old one", email: "x@example.org"),
            Seed(body: "Hello again,\nwith a second line.", author: "Xavier", email: "x@example.org"),
            Seed(body: "see http://a.example/ and http://b.example/ and https://c.example/", email: "y@example.org"),
        ])
        #expect(try folder.runner.run("comments", "spam", "1").status == 0)
        let pane = try pane(folder)
        let screen = try pane.waitFor("#2")
        #expect(screen.contains("moderato review · pending · #2 (2 pending)"), "\(screen)")
        #expect(screen.contains("Post      /p/"))
        #expect(screen.contains("https://blog.example/p/"), "the post's page from site.url")
        #expect(screen.contains("Author    Xavier"))
        #expect(screen.range(of: "avatar [0-9a-f]{16}", options: .regularExpression) != nil)
        #expect(screen.contains("Reason    first_time — first comment from this address"))
        #expect(screen.contains("History   approved 0 · pending 1 · spam 1 · trash 0  (this email hash)"))
        #expect(screen.contains("Hello again,") && screen.contains("with a second line."), "the whole body")
        #expect(!screen.contains("example.org"), "never an address")
        let colours = try pane.screenWithAttributes()
        #expect(hasColour(colours, 33), "the reason in colour (yellow) on a terminal that has colours")

        try pane.send("o")
        try pane.waitFor("The page of /p/:")
        try pane.send("x")
        try pane.waitFor("Hello again,")
        try pane.send("?")
        try pane.waitFor("u  undo the last decision")
        try pane.send("Escape")
        try pane.waitFor("Hello again,")

        try pane.send("h")
        let links = try pane.waitFor("#3")
        #expect(links.contains("Reason    links — 3 links in the comment"), "\(links)")
        #expect(links.contains("Left #2 pending."))
        try pane.send("q")
        let after = try pane.waitFor("review exited 0")
        #expect(after.contains("approved 0, spam 0, trash 0, left 1"))
        #expect(try statuses(folder) == [1: "spam", 2: "pending", 3: "pending"], "leaving changes nothing")
    }

    @Test func approveSpamTrashAndUndoChangeWhatTheCLIReports() throws {
        let folder = try folder((1...4).map { Seed(body: "Comment \($0)", author: "Reader \($0)", email: "r\($0)@example.org") })
        let pane = try pane(folder)
        try pane.waitFor("#1 (4 pending)")
        try pane.send("a")
        try pane.waitFor("#1 approved.")
        try pane.waitFor("#2 (3 pending)")
        try pane.send("s")
        try pane.waitFor("#2 marked as spam.")
        try pane.send("t")
        try pane.waitFor("#3 trashed.")
        try pane.waitFor("Comment 4")
        #expect(try statuses(folder) == [1: "approved", 2: "spam", 3: "trash", 4: "pending"], "each decision is saved at once")

        try pane.send("u")
        let undone = try pane.waitFor("Undone: #3 is pending again.")
        #expect(undone.contains("Comment 3"), "back on the comment whose decision was undone")
        #expect(try statuses(folder) == [1: "approved", 2: "spam", 3: "pending", 4: "pending"])
        try pane.send("h")
        try pane.waitFor("Comment 4")
        try pane.send("q")
        let after = try pane.waitFor("review exited 0")
        #expect(after.contains("approved 1, spam 1, trash 0, left 1"), "\(after)")

        let items = try comments(folder)
        #expect(reason(items[1]) == "first_time", "approving keeps why it had been held")
        #expect(reason(items[2]) == "moderator cli:reviewer", "a moderator's spam is their reason")
        #expect(reason(items[3]) == "first_time", "the undo put the reason back too")
        let history = try folder.runner.run("comments", "show", "3").stdout
        #expect(history.contains("trash  pending → trash  by cli:reviewer"))
        #expect(history.contains("hold  trash → pending  by cli:reviewer"), "the undo went through the same audited call")
    }

    @Test func aJapaneseNameAndBodyLineUpAndFollowAResize() throws {
        let body = String(repeating: "日本語のコメントを書きました。", count: 60) + "\n二行目です。"
        let folder = try folder([Seed(body: body, author: "山田太郎", email: "taro@example.jp", post: "/ブログ/日本語/")])
        let pane = try pane(folder, columns: 80, rows: 24)
        for (columns, rows) in [(80, 24), (61, 20)] {
            if columns != 80 { try pane.resize(columns: columns, rows: rows) }
            let screen = try pane.waitFor("the layout for \(columns) columns") { text in
                text.split(separator: "\n").contains { $0.contains("山田太郎") && cellWidth($0) == columns - 1 }
            }
            let lines = screen.split(separator: "\n", omittingEmptySubsequences: false)
            #expect(lines.allSatisfy { cellWidth($0) <= columns }, "nothing wider than the terminal:\n\(screen)")
            let author = try #require(lines.first { $0.contains("山田太郎") })
            #expect(author.range(of: "avatar [0-9a-f]{16}$", options: .regularExpression) != nil, "the avatar seed at the right edge")
            #expect(screen.contains("Post      /ブログ/日本語/"))
            let bodyLines = lines.filter { $0.contains("日本語のコメント") || $0.contains("書きました") }
            #expect(bodyLines.count >= 3, "the body is wrapped")
            #expect(bodyLines.dropLast().allSatisfy { cellWidth($0) >= columns - 2 }, "wrapped lines fill the width:\n\(screen)")
        }
        // Too small to show the comment: keys other than q decide nothing.
        try pane.resize(columns: 30, rows: 10)
        try pane.waitFor("Terminal too small")
        try pane.send("a")
        try pane.resize(columns: 80, rows: 24)
        try pane.waitFor("山田太郎")
        #expect(try statuses(folder) == [1: "pending"])

        // A long body scrolls: its last line is reached with the keys.
        #expect(try !pane.screen().contains("二行目です。"))
        try pane.send("End")
        try pane.waitFor("二行目です。")
        try pane.send("q")
        try pane.waitFor("review exited 0")
    }

    @Test func aDecisionMadeElsewhereMeanwhileIsShownAndSkipped() throws {
        let folder = try folder((1...3).map { Seed(body: "Comment \($0)", email: "r\($0)@example.org") })
        let pane = try pane(folder)
        try pane.waitFor("Comment 1")
        // Another moderator, in another shell, while comment 1 is on this screen.
        var elsewhere = folder.runner
        elsewhere.environment["USER"] = "bob"
        #expect(try elsewhere.run("comments", "approve", "1").status == 0)
        #expect(try elsewhere.run("comments", "trash", "2").status == 0)

        try pane.send("s")
        let screen = try pane.waitFor("#1 was already approved by cli:bob")
        #expect(screen.contains("skipped, nothing changed"))
        #expect(screen.contains("Comment 3"), "on to the next comment still pending; #2 was trashed meanwhile")
        try pane.send("q")
        let after = try pane.waitFor("review exited 0")
        #expect(after.contains("approved 0, spam 0, trash 0, left 0, decided elsewhere 1"), "\(after)")

        #expect(try statuses(folder) == [1: "approved", 2: "trash", 3: "pending"], "no decision applied twice")
        let history = try folder.runner.run("comments", "show", "1").stdout
        #expect(history.contains("approve  pending → approved  by cli:bob"))
        #expect(!history.contains("cli:reviewer"), "nothing of the late decision was written")
    }

    @Test func quitCtrlCAndSignalsRestoreTheScreen() throws {
        let folder = try folder((1...3).map { Seed(body: "Comment \($0)", email: "r\($0)@example.org") })
        for (name, ending) in [("quit", "q"), ("ctrl-c", "C-c"), ("sigterm", "")] {
            let pane = try pane(folder, name: name)
            try pane.waitFor("moderato review · pending")
            #expect(try pane.isOnAlternateScreen())
            if name == "ctrl-c" {
                try pane.send("a")
                try pane.waitFor("approved.")
            }
            if ending.isEmpty {
                let process = try #require(try pane.childProcess())
                #expect(kill(process, SIGTERM) == 0)
            } else {
                try pane.send(ending)
            }
            let after = try pane.waitFor("review exited")
            #expect(try !pane.isOnAlternateScreen(), "\(name): back on the ordinary screen")
            #expect(after.contains("before review"), "\(name): the shell's text is there again")
            #expect(!after.contains("moderato review ·"), "\(name): no trace of the review screen")
            #expect(after.contains(name == "sigterm" ? "review exited 143" : "review exited 0"), "\(name): \(after)")
            #expect(after.contains(name == "ctrl-c" ? "approved 1, spam 0" : "approved 0, spam 0"), "\(name): the summary")
            let before = try String(contentsOfFile: folder.path + "/\(name).stty-before", encoding: .utf8)
            let restored = try String(contentsOfFile: folder.path + "/\(name).stty-after", encoding: .utf8)
            #expect(before == restored, "\(name): the terminal settings are as they were")
        }
        #expect(try statuses(folder)[1] == "approved", "what was decided before Ctrl-C is kept")
    }

    @Test func withoutColoursWhenNoColorIsSet() throws {
        let folder = try folder([Seed(body: "Plain", email: "p@example.org")])
        let pane = try pane(folder, environment: ["NO_COLOR": "1"])
        try pane.waitFor("first_time")
        let screen = try pane.screenWithAttributes()
        #expect((31...37).allSatisfy { !hasColour(screen, $0) }, "no colour: \(screen)")
        try pane.send("q")
        try pane.waitFor("review exited 0")
    }

    @Test func aRedirectedRunExits2WithOneLine() throws {
        let folder = try folder([Seed(body: "Waiting", email: "w@example.org")])
        let piped = try folder.runner.run("review")
        #expect(piped.status == 2)
        #expect(piped.stdout.isEmpty)
        #expect(piped.stderr.split(separator: "\n").count == 1)
        #expect(piped.stderr.contains("comments list") && piped.stderr.contains("comments approve"), "\(piped.stderr)")

        // Only stdout redirected, from a real terminal: still not a screen to draw on.
        let pane = try TmuxPane(
            folder: folder, script: "'\(CommandRunner.binary)' review > out.txt 2> err.txt; echo \"redirected exited $?\"; exec sleep 600")
        try pane.waitFor("redirected exited 2")
        #expect(try String(contentsOfFile: folder.path + "/out.txt", encoding: .utf8).isEmpty)
        #expect(try statuses(folder) == [1: "pending"])

        #expect(try folder.runner.run("review", "--status", "approved").status == 2, "only pending or spam")
    }

    @Test func anEmptyQueueSaysSoWithoutTakingTheScreen() throws {
        let folder = try folder([Seed(body: "Waiting", email: "w@example.org")])
        let pane = try pane(folder, "--status spam")
        let screen = try pane.waitFor("review exited 0")
        #expect(screen.contains("No spam comments to review."))
    }
}

/// Whether a screen captured with its attributes sets the foreground colour `code` (31 red …).
func hasColour(_ screen: String, _ code: Int) -> Bool {
    screen.range(of: "\u{1B}\\[([0-9;]*;)?\(code)(;[0-9;]*)?m", options: .regularExpression) != nil
}
