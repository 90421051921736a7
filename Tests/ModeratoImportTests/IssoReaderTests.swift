import Foundation
import GRDB
import ModeratoCore
import ModeratoImport
import Testing

/// Against a database written by Isso 0.14.0 itself (see `Fixtures/make-isso-db.py`).
@Suite("Isso reader", .enabled(if: IssoFixture.unavailable == nil, "the Isso fixture needs python3 and PyPI"))
struct IssoReaderTests {
    let result: ReadResult

    init() throws {
        result = try Fixture.read(.isso, IssoFixture.path)
    }

    @Test func postsAreTheThreadURIsNFCNormalised() {
        #expect(
            result.posts == [
                // Isso stored the uri decomposed ("e" + U+0301); the key is precomposed.
                ImportedPost(key: "/2025/03/ceasefire-caf\u{E9}/", closed: false, title: "トランプ政権下の停戦・和平交渉の経緯"),
                ImportedPost(key: "/about/", closed: false, title: "About & contact"),
            ])
        #expect(
            result.posts[0].key.unicodeScalars.count
                == "/2025/03/ceasefire-café/".precomposedStringWithCanonicalMapping.unicodeScalars.count)
    }

    @Test func modesBecomeStatuses() {
        #expect(result.comment("1")?.status == .approved)
        #expect(result.comment("2")?.status == .pending)
        #expect(result.comment("7")?.status == .trash)  // mode 4 with its text kept
    }

    @Test func aDeletedCommentWhoseTextIsGoneIsSkippedAndItsReplyMovesUp() {
        #expect(result.comment("4") == nil)
        #expect(result.comment("5")?.parentSourceID == nil)
        #expect(result.skips[.deletedWithoutText] == 1)
    }

    @Test func aThreadWhoseURIIsNotAPostKeyIsSkippedAndCounted() {
        #expect(result.comment("9") == nil)
        #expect(result.skips[.invalidPostKey] == 1)
        #expect(result.skips.total == 2)
    }

    @Test func repliesKeepTheirParents() {
        #expect(result.comment("2")?.parentSourceID == "1")
        #expect(result.comment("3")?.parentSourceID == "1")  // Isso itself flattened the reply to a reply
        #expect(result.isInInsertableOrder)
    }

    @Test func markdownStaysAsWritten() {
        #expect(result.comment("1")?.body == "**停戦交渉**について。\n\n- 2月18日: 米露のみ\n- 2月28日: 決裂\n\nI <3 it & you?")
        #expect(result.comment("3")?.body == "Reply to a reply, `code` and  two  spaces.")
        #expect(result.comment("8")?.body == "Line one\nline two")
    }

    @Test func fieldsIssoStoredEscapedAreDecoded() {
        #expect(result.comment("1")?.author == "山田 太郎")
        #expect(result.comment("1")?.url == "http://taro.example")
        #expect(result.comment("3")?.author == "Tom & Jerry")
        #expect(result.comment("6")?.author == "Anonymous")
        #expect(result.comment("8")?.url == "https://win.example/")
        #expect(result.comment("1")?.createdAt == Date(timeIntervalSince1970: 1_740_000_000.25))
    }

    @Test func emailsAndAddressesAreHashed() {
        let taro = Fixture.emailHash("taro.yamada@example.jp")
        #expect(result.comment("1")?.emailHash == taro)  // " Taro.Yamada@Example.JP "
        #expect(result.comment("2")?.emailHash == taro)
        #expect(result.comment("3")?.emailHash == taro)  // upper case
        #expect(result.comment("6")?.emailHash == nil)
        // Isso stores addresses anonymised; those are what get hashed.
        #expect(result.comment("1")?.ipHash == Fixture.keyring.ipHash("203.0.113.0"))
        #expect(result.comment("3")?.ipHash == Fixture.keyring.ipHash("2001:0db8:85a3:0000:0000:0000:0000:0000"))
        let text = result.allText
        #expect(!text.contains("@"))
        #expect(!text.contains("203.0.113."))
        #expect(!text.contains("127.0.0.0"))
        #expect(!text.contains("2001:0db8"))
    }

    /// The store will insert from inside `visit`, into its own database, in one transaction.
    @Test func theConsumerCanWriteItsOwnDatabaseInsideVisit() throws {
        let folder = TemporaryFolder()
        let store = try DatabaseQueue(path: folder.file("moderato.sqlite"))
        try store.write { db in
            try db.execute(sql: "CREATE TABLE imported (source TEXT PRIMARY KEY, body TEXT NOT NULL)")
            let reader = IssoReader(file: IssoFixture.path, options: ImportOptions(hasher: Fixture.hasher))
            _ = try reader.read { record in
                guard case .comment(let comment) = record else { return }
                try db.execute(sql: "INSERT INTO imported VALUES (?, ?)", arguments: ["\(comment.source)", comment.body])
            }
        }
        #expect(try store.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM imported") } == result.comments.count)
    }
}
