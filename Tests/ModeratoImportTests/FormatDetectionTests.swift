import Foundation
import GRDB
import ModeratoImport
import Testing

@Suite("Format detection")
struct FormatDetectionTests {
    let folder = TemporaryFolder()

    @Test func recognisesEachFormatFromItsContent() throws {
        #expect(try ImportFormat.detect(file: Fixture.path("wordpress.xml")) == .wordpress)
        #expect(try ImportFormat.detect(file: Fixture.path("disqus.xml")) == .disqus)
    }

    @Test(.enabled(if: IssoFixture.unavailable == nil, "the Isso fixture needs python3 and PyPI"))
    func recognisesAnIssoDatabase() throws {
        #expect(try ImportFormat.detect(file: IssoFixture.path) == .isso)
    }

    @Test(arguments: ["1.0", "1.1", "1.2"])
    func everyWXRVersion(_ version: String) throws {
        let file = folder.file(
            "wxr-\(version).xml",
            contents: """
                \u{FEFF}<?xml version="1.0" encoding="UTF-8" ?>
                <!-- generator="WordPress/2.9" -->
                <rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wp='http://wordpress.org/export/\(version)/'>
                <channel></channel></rss>
                """)
        #expect(try ImportFormat.detect(file: file) == .wordpress)
    }

    @Test func aPlainRSSFeedIsNotAnExport() throws {
        let file = folder.file(
            "feed.xml",
            contents: """
                <?xml version="1.0"?><rss version="2.0"><channel><title>Blog</title></channel></rss>
                """)
        let error = try #require(throws: ImportError.self) { try ImportFormat.detect(file: file) }
        #expect(error == .unknownFormat(file: file, found: "<rss> without the WordPress export namespace"))
        #expect(error.description.hasPrefix("\(file): expected a WordPress WXR export"))
        #expect(!error.description.contains("\n"))
    }

    @Test func anHTMLPageJSONAndEmptyFilesAreRefusedWithWhatWasExpected() throws {
        let html = folder.file("page.html", contents: "<!DOCTYPE html><html lang=\"ja\"><body></body></html>")
        #expect(throws: ImportError.unknownFormat(file: html, found: "<html>")) { try ImportFormat.detect(file: html) }

        // Nothing of the content is quoted: it may be a list of addresses given by mistake.
        let csv = folder.file("subscribers.csv", contents: "taro@example.org,203.0.113.7\n")
        #expect(throws: ImportError.unknownFormat(file: csv, found: "neither XML nor an SQLite database")) {
            try ImportFormat.detect(file: csv)
        }

        let empty = folder.file("empty.xml", contents: "")
        let emptyError = try #require(throws: ImportError.self) { try ImportFormat.detect(file: empty) }
        #expect(emptyError == .empty(file: empty))
        #expect(emptyError.description == "\(empty): the file is empty; \(ImportError.expectedFormats)")
    }

    @Test func anSQLiteFileWithoutIssosTablesIsRefused() throws {
        let path = folder.file("other.sqlite")
        try DatabaseQueue(path: path).write { db in
            try db.execute(sql: "CREATE TABLE comments (id INTEGER PRIMARY KEY, body TEXT)")
        }
        #expect(throws: ImportError.unknownFormat(file: path, found: "an SQLite database without Isso's comments and threads tables")) {
            try ImportFormat.detect(file: path)
        }
    }

    @Test func aMissingFileIsUnreadable() throws {
        let path = folder.file("nowhere.xml")
        let error = try #require(throws: ImportError.self) { try ImportFormat.detect(file: path) }
        guard case .unreadable(let file, _) = error else {
            Issue.record("\(error)")
            return
        }
        #expect(file == path)
        #expect(!error.description.contains("\n"))
    }
}
