import Foundation
import Testing

/// What the CLI shows people in their language and script: dates in `site.language`'s form and
/// `site.timezone`, and tables whose columns line up with Japanese text (SPEC §5).
@Suite("moderato: dates and Japanese text")
struct LanguageCommandTests {
    @Test func showWritesDatesInTheSiteLanguageAndTimeZone() throws {
        let folder = WorkingFolder()
        let server = try ServerProcess(folder: folder)
        #expect(try server.submit(body: "日付", author: "山田", email: "yamada@example.org").status == 201)
        #expect(server.stop() == 0)
        #expect(try folder.runner.run("comments", "approve", "1").status == 0)

        let json = try folder.runner.run("comments", "show", "1", "--format", "json")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let createdText = try #require(object["created_at"] as? String)
        #expect(createdText.hasSuffix("Z"), "JSON keeps RFC 3339 UTC")
        let created = try Date(createdText, strategy: .iso8601)

        func parts(_ zone: String) -> DateComponents {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: zone)!
            return calendar.dateComponents([.year, .month, .day, .hour, .minute], from: created)
        }
        func two(_ number: Int?) -> String { number.map { $0 < 10 ? "0\($0)" : "\($0)" } ?? "?" }

        let utc = parts("UTC")
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let english = "\(utc.day!) \(months[utc.month! - 1]) \(utc.year!) \(two(utc.hour)):\(two(utc.minute))"
        let shown = try folder.runner.run("comments", "show", "1")
        #expect(shown.stdout.contains("Created:    \(english) ("), "\(shown.stdout)")
        #expect(shown.stdout.contains("Moderated:  "))
        #expect(!shown.stdout.contains(createdText))

        var japanese = folder.runner
        japanese.environment = ["MODERATO_SITE_LANGUAGE": "ja", "MODERATO_SITE_TIMEZONE": "Asia/Tokyo"]
        let tokyo = parts("Asia/Tokyo")
        let expected = "\(tokyo.year!)年\(tokyo.month!)月\(tokyo.day!)日 \(two(tokyo.hour)):\(two(tokyo.minute))"
        let shownInJapanese = try japanese.run("comments", "show", "1")
        #expect(shownInJapanese.status == 0, "\(shownInJapanese.stderr)")
        #expect(shownInJapanese.stdout.contains("Created:    \(expected) ("), "\(shownInJapanese.stdout)")
        #expect(shownInJapanese.stdout.contains("  approve  pending → approved  by cli:"))
        #expect(shownInJapanese.stdout.split(separator: "\n").contains { $0.hasPrefix("  \(tokyo.year!)年") }, "the history too")

        var wrongZone = folder.runner
        wrongZone.environment = ["MODERATO_SITE_TIMEZONE": "Asia/Tokio"]
        let refused = try wrongZone.run("comments", "show", "1")
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("MODERATO_SITE_TIMEZONE must be an IANA time zone name"))
    }

    @Test func listLinesUpJapaneseNamesColumnByColumnInTerminalCells() throws {
        let folder = WorkingFolder()
        let server = try ServerProcess(folder: folder)
        let comments: [(author: String, body: String, post: String)] = [
            ("Ann", "Plain English", "/p/"),
            ("山田太郎", "停戦交渉の経緯がよくまとまっていて参考になりました", "/記事/"),
            ("ｆｕｌｌｗｉｄｔｈ", "全角の名前", "/p/"),
            ("Zoe\u{308} Ma\u{301}rquez", "combining marks take no cell", "/p/"),
            ("寿限無寿限無五劫の擦り切れ海砂利水魚", "長い名前は二十セルで切られる", "/長い記事/"),
        ]
        for (index, comment) in comments.enumerated() {
            let reply = try server.submit(body: comment.body, author: comment.author, email: "r\(index)@example.org", post: comment.post)
            #expect(reply.status == 201)
        }
        #expect(server.stop() == 0)

        let list = try folder.runner.run("comments", "list", "--status", "all")
        #expect(list.status == 0, "\(list.stderr)")
        let lines = list.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == comments.count + 1, "\(list.stdout)")
        // The header is ASCII: its characters are its cells.
        let header = lines[0]
        let columns = ["ID", "POST", "STATUS", "AUTHOR", "AGE", "EMAIL", "COMMENT"]
        let columnStarts = columns.map { header.range(of: $0).map { header.distance(from: header.startIndex, to: $0.lowerBound) } ?? -1 }
        #expect(!columnStarts.contains(-1))

        // Newest first: row i is comment count - i.
        for (row, line) in lines.dropFirst().enumerated() {
            let grid = cells(line)
            let comment = comments[comments.count - 1 - row]
            for (column, start) in columnStarts.enumerated() where column > 0 {
                #expect(grid.count > start, "row \(row): shorter than column \(columns[column])")
                guard grid.count > start else { continue }
                #expect(
                    grid[start - 1] == " " && grid[start - 2] == " ",
                    "row \(row): two blank cells before \(columns[column])\n\(list.stdout)")
                #expect(grid[start] != " " && grid[start] != "", "row \(row): \(columns[column]) starts at cell \(start)\n\(list.stdout)")
            }
            let author = text(of: grid, from: columnStarts[3], to: columnStarts[4])
            let expectedAuthor = comment.author.hasPrefix("寿限無") ? "寿限無寿限無五劫の…" : comment.author  // 18 cells + …
            #expect(author == expectedAuthor, "row \(row): author column holds \(author)")
            #expect(width(author) <= 20)
            #expect(text(of: grid, from: columnStarts[1], to: columnStarts[2]) == comment.post)
            #expect(text(of: grid, from: columnStarts[6], to: grid.count) == comment.body)
        }
    }

    /// A line as terminal cells: a wide character fills its cell and leaves "" in the next, a
    /// combining mark joins the character before it. Measured here on its own, not with the CLI's
    /// `TerminalCells`, so the test checks the rule rather than repeating the code.
    func cells(_ line: String) -> [String] {
        var grid: [String] = []
        for character in line {
            let cellCount = width(String(character))
            grid.append(String(character))
            if cellCount == 2 { grid.append("") }
        }
        return grid
    }

    func width(_ text: String) -> Int {
        text.reduce(0) { total, character in
            let base = character.unicodeScalars.first!.value
            let wide =
                (0x3000...0x30FF).contains(base) || (0x4E00...0x9FFF).contains(base) || (0xFF01...0xFF60).contains(base)
            return total + (wide ? 2 : 1)
        }
    }

    func text(of grid: [String], from start: Int, to end: Int) -> String {
        grid[start..<min(end, grid.count)].joined().trimmingCharacters(in: .whitespaces)
    }
}
