import Foundation
import GRDB
import ModeratoImport
import Testing

/// A file that turns out malformed halfway is an error naming the file, the line and the problem,
/// on one line — thrown by the reader, so the caller's transaction (or dry run) imports nothing.
@Suite("Malformed input")
struct MalformedInputTests {
    let folder = TemporaryFolder()
    let wordpress = try! String(contentsOfFile: Fixture.path("wordpress.xml"), encoding: .utf8)

    @Test func aTruncatedExportNamesTheLineWhereItEnds() throws {
        let cut = String(wordpress[..<wordpress.range(of: "Third level")!.lowerBound])
        let file = folder.file("truncated.xml", contents: cut)
        let lines = cut.split(separator: "\n", omittingEmptySubsequences: false).count
        let error = try #require(throws: ImportError.self) { try Fixture.read(.wordpress, file) }
        guard case .malformedXML(let name, let line, let problem) = error else {
            Issue.record("\(error)")
            return
        }
        #expect(name == file)
        #expect(line == lines)
        #expect(problem.contains("truncated"))
        #expect(!error.description.contains("\n"))
    }

    @Test func aDocumentWithoutAnyElement() throws {
        let file = folder.file("comments-only.xml", contents: "<?xml version=\"1.0\"?>\n<!-- nothing here -->\n")
        let error = try #require(throws: ImportError.self) { try Fixture.read(.wordpress, file) }
        guard case .malformedXML(_, _, "no XML element in the file") = error else {
            Issue.record("\(error)")
            return
        }
    }

    @Test func aBadDateNamesItsElementAndLine() throws {
        let bad = wordpress.replacingOccurrences(of: "2025-03-01 05:00:00", with: "2025-02-30 05:00:00")
        let file = folder.file("bad-date.xml", contents: bad)
        let line = lineNumber(of: "2025-02-30 05:00:00", in: bad)
        let error = try #require(throws: ImportError.self) { try Fixture.read(.wordpress, file) }
        #expect(
            error
                == .invalidValue(
                    file: file, line: line, element: "wp:comment_date_gmt", value: "2025-02-30 05:00:00",
                    expected: "a date YYYY-MM-DD HH:MM:SS"
                ))
        #expect(
            error.description == "\(file):\(line): <wp:comment_date_gmt> is \"2025-02-30 05:00:00\", expected a date YYYY-MM-DD HH:MM:SS")
    }

    @Test func aCommentWithoutAnIDIsAMissingElement() throws {
        let bad = wordpress.replacingOccurrences(of: "<wp:comment_id>103</wp:comment_id>", with: "")
        let file = folder.file("no-id.xml", contents: bad)
        let error = try #require(throws: ImportError.self) { try Fixture.read(.wordpress, file) }
        guard case .missingElement(_, let line, "wp:comment_id", "wp:comment") = error else {
            Issue.record("\(error)")
            return
        }
        #expect(line > 0)
    }

    @Test func anUnknownStatusIsRefusedNotGuessed() throws {
        let bad = wordpress.replacingOccurrences(of: "<![CDATA[spam]]>", with: "<![CDATA[junk]]>")
        let file = folder.file("status.xml", contents: bad)
        let error = try #require(throws: ImportError.self) { try Fixture.read(.wordpress, file) }
        guard case .invalidValue(_, _, "wp:comment_approved", "junk", _) = error else {
            Issue.record("\(error)")
            return
        }
    }

    @Test func anHTMLEntityOutsideCDATAIsMalformedXML() throws {
        let bad = wordpress.replacingOccurrences(of: "<title>ニュースの解説 &amp; 考察</title>", with: "<title>A&nbsp;B</title>")
        let file = folder.file("entity.xml", contents: bad)
        let error = try #require(throws: ImportError.self) { try Fixture.read(.wordpress, file) }
        guard case .malformedXML(_, let line, let problem) = error else {
            Issue.record("\(error)")
            return
        }
        #expect(line == lineNumber(of: "A&nbsp;B", in: bad))
        #expect(problem.contains("entity"))
    }

    @Test func theSameCommentIDTwiceInOnePostIsAnError() throws {
        let bad = wordpress.replacingOccurrences(of: "<wp:comment_id>111</wp:comment_id>", with: "<wp:comment_id>110</wp:comment_id>")
        let file = folder.file("duplicate.xml", contents: bad)
        let error = try #require(throws: ImportError.self) { try Fixture.read(.wordpress, file) }
        guard case .duplicateComment(_, _, "4", "110") = error else {
            Issue.record("\(error)")
            return
        }
    }

    @Test func aDisqusDateThatIsNotADate() throws {
        let disqus = try String(contentsOfFile: Fixture.path("disqus.xml"), encoding: .utf8)
        let bad = disqus.replacingOccurrences(of: "2025-03-01T12:00:00Z", with: "yesterday")
        let file = folder.file("disqus-date.xml", contents: bad)
        let error = try #require(throws: ImportError.self) { try Fixture.read(.disqus, file) }
        guard case .invalidValue(_, let line, "createdAt", "yesterday", _) = error else {
            Issue.record("\(error)")
            return
        }
        #expect(line == lineNumber(of: "yesterday", in: bad))
    }

    @Test func errorsNeverQuoteAnAddress() throws {
        // A broken comment right after an email: the message names the element, not the data.
        let bad = wordpress.replacingOccurrences(
            of: "<![CDATA[hanako@example.org]]></wp:comment_author_email>",
            with: "<![CDATA[hanako@example.org]]></wp:comment_author_mail>")
        let file = folder.file("mismatch.xml", contents: bad)
        let error = try #require(throws: ImportError.self) { try Fixture.read(.wordpress, file) }
        #expect(!error.description.contains("@"))
        guard case .malformedXML = error else {
            Issue.record("\(error)")
            return
        }
    }

    @Test func aFormatNamedWithFromThatTheFileIsNot() throws {
        let disqus = Fixture.path("disqus.xml")
        #expect(throws: ImportError.notFormat(file: disqus, expected: .wordpress, found: "<disqus> at line 2")) {
            try Fixture.read(.wordpress, disqus)
        }
        let wordpressFile = Fixture.path("wordpress.xml")
        let error = try #require(throws: ImportError.self) { try Fixture.read(.disqus, wordpressFile) }
        #expect(error.description.hasPrefix("\(wordpressFile): expected a Disqus export, found <rss>"))
        let isso = try #require(throws: ImportError.self) { try Fixture.read(.isso, wordpressFile) }
        guard case .database = isso else {
            Issue.record("\(isso)")
            return
        }
    }

    @Test func anIssoRowWithAModeIssoNeverWrites() throws {
        let path = folder.file("isso.db")
        try DatabaseQueue(path: path).write { db in
            try db.execute(
                sql: """
                    CREATE TABLE threads (id INTEGER PRIMARY KEY, uri VARCHAR(256) UNIQUE, title VARCHAR(256));
                    CREATE TABLE comments (tid REFERENCES threads(id), id INTEGER PRIMARY KEY, parent INTEGER,
                        created FLOAT NOT NULL, modified FLOAT, mode INTEGER, remote_addr VARCHAR, text VARCHAR NOT NULL,
                        author VARCHAR, email VARCHAR, website VARCHAR, likes INTEGER DEFAULT 0, dislikes INTEGER DEFAULT 0,
                        voters BLOB NOT NULL, notification INTEGER DEFAULT 0);
                    INSERT INTO threads VALUES (1, '/p/', 'P');
                    INSERT INTO comments (tid, id, created, mode, text, voters) VALUES (1, 1, 1.0, 3, 'x', x'00');
                    """)
        }
        #expect(throws: ImportError.invalidRow(file: path, table: "comments", id: 1, column: "mode", problem: "is 3, expected 1, 2 or 4")) {
            try Fixture.read(.isso, path)
        }
    }

    private func lineNumber(of text: String, in document: String) -> Int {
        document.components(separatedBy: "\n").firstIndex { $0.contains(text) }! + 1
    }
}
