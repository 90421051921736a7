import Foundation
import ModeratoCore
import ModeratoImport
import Testing

@Suite("Disqus reader")
struct DisqusReaderTests {
    let result: ReadResult

    init() throws {
        result = try Fixture.read(.disqus, Fixture.path("disqus.xml"))
    }

    @Test func postsAreThePathsOfTheThreadLinks() {
        #expect(
            result.posts == [
                ImportedPost(key: "/2025/03/%e5%81%9c%e6%88%a6%e4%ba%a4%e6%b8%89/", closed: false, title: "トランプ政権下の停戦・和平交渉の経緯"),
                // Declared after its comments: the first pass over the file found it.
                ImportedPost(key: "/late/", closed: false, title: "Late thread"),
                // Closed and without comments: still a post, so no new comment can come.
                ImportedPost(key: "/closed-post/", closed: true, title: "Closed & quiet"),
            ])
    }

    @Test func commentsWithoutAThreadOrLinkAreSkippedAndCounted() {
        #expect(result.comment("5006") == nil)  // thread without a link
        #expect(result.comment("5007") == nil)  // thread missing from the export
        #expect(result.skips[.missingThread] == 2)
    }

    @Test func spamDeletedAndApproved() {
        #expect(result.comment("5001")?.status == .approved)
        #expect(result.comment("5004")?.status == .spam)
        #expect(result.comment("5005")?.status == .trash)
        #expect(result.comment("5005")?.body == "Deleted, but the text is still here.")
    }

    @Test func aDeletedCommentWithoutTextIsSkippedAndItsRepliesMoveUp() {
        #expect(result.comment("5002") == nil)
        #expect(result.skips[.deletedWithoutText] == 1)
        #expect(result.comment("5003")?.parentSourceID == "5001")
        #expect(result.comment("5004")?.parentSourceID == "5003")
    }

    @Test func aReplyBeforeItsParentInTheFileComesOutAfterIt() throws {
        let order = result.comments.map(\.source.comment)
        #expect(order == ["5001", "5003", "5004", "5005", "5009", "5008", "5010"])
        #expect(result.comment("5008")?.parentSourceID == "5009")
        #expect(result.isInInsertableOrder)
    }

    @Test func bodiesDatesAndAuthors() {
        let first = result.comment("5001")
        // The link shows its own address (Disqus's redirect in href is not kept).
        #expect(first?.body == "最初のコメントです。\n\n二行目\n三行目 & https://example.org/ref")
        #expect(first?.author == "花子")
        #expect(first?.url == nil)
        #expect(first?.createdAt == date("2025-03-01T10:00:00Z"))
        #expect(first?.source == CommentSource(system: .disqus, post: "1001", comment: "5001"))
        #expect(result.comment("5008")?.createdAt == date("2025-03-02T00:00:00Z"))  // +09:00
        #expect(result.comment("5009")?.createdAt == date("2025-03-01T17:30:00Z").addingTimeInterval(0.25))
        #expect(result.comment("5008")?.author == "Guest")
    }

    @Test func emailsAndIPsAreHashed() {
        let hanako = Fixture.emailHash("hanako@example.org")
        #expect(result.comment("5001")?.emailHash == hanako)  // " Hanako@Example.ORG "
        #expect(result.comment("5004")?.emailHash == hanako)  // "HANAKO@example.org"
        #expect(result.comment("5001")?.ipHash == Fixture.keyring.ipHash("203.0.113.50"))
        #expect(result.comment("5008")?.emailHash == nil)
        #expect(result.comment("5008")?.ipHash == nil)
        let text = result.allText
        #expect(!text.contains("@"))
        #expect(!text.contains("203.0.113."))
        #expect(!text.contains("2001:db8"))
    }

    private func date(_ text: String) -> Date {
        try! Date(text, strategy: .iso8601)
    }
}
