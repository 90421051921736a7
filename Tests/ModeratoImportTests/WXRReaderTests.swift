import Foundation
import ModeratoCore
import ModeratoImport
import Synchronization
import Testing

@Suite("WordPress WXR reader")
struct WXRReaderTests {
    let result: ReadResult

    init() throws {
        result = try Fixture.read(.wordpress, Fixture.path("wordpress.xml"))
    }

    @Test func postsAreKeyedByPostIDWithTheirClosedState() {
        #expect(
            result.posts == [
                ImportedPost(key: "4", closed: false, title: "トランプ政権下の停戦・和平交渉の経緯"),
                ImportedPost(key: "7", closed: true, title: "Closed & archived"),
                // A closed page counts without comments; a closed menu item (post 12) does not.
                ImportedPost(key: "9", closed: true, title: "About"),
            ])
    }

    @Test func everyStatusIsMapped() {
        #expect(result.comment("101", post: "4")?.status == .approved)
        #expect(result.comment("103")?.status == .pending)
        #expect(result.comment("108")?.status == .spam)
        #expect(result.comment("109")?.status == .trash)
        #expect(result.comment("101", post: "7")?.status == .trash)  // post-trashed
    }

    @Test func pingbacksAndTrackbacksAreSkippedAndCounted() {
        #expect(result.comment("105") == nil)
        #expect(result.comment("107") == nil)
        #expect(result.skips[.pingback] == 1)
        #expect(result.skips[.trackback] == 1)
        #expect(result.skips.total == 2)
        #expect(result.comments.count == 11)
    }

    @Test func repliesKeepTheirParentsFourDeep() {
        #expect(result.comment("101", post: "4")?.parentSourceID == nil)
        #expect(result.comment("102")?.parentSourceID == "101")
        #expect(result.comment("103")?.parentSourceID == "102")
        #expect(result.comment("104")?.parentSourceID == "103")
        #expect(result.comment("111")?.parentSourceID == "101")
        #expect(result.isInInsertableOrder)
    }

    @Test func aReplyToASkippedPingbackMovesUpToTopLevel() {
        #expect(result.comment("106")?.parentSourceID == nil)
    }

    @Test func repeatedCommentIDsInAnotherPostBothComeIn() {
        let first = result.comment("101", post: "4")
        let second = result.comment("101", post: "7")
        #expect(first?.source == CommentSource(system: .wordpress, post: "4", comment: "101"))
        #expect(second?.source == CommentSource(system: .wordpress, post: "7", comment: "101"))
        #expect(second?.post == "7")
        #expect(result.comment("112")?.parentSourceID == "101")
        #expect(result.comment("112")?.source.post == "7")
    }

    @Test func datesAreUTCFromTheGMTFieldOrTheLocalOneWhenGMTIsZero() {
        #expect(result.comment("101", post: "4")?.createdAt == date("2025-03-01T03:04:05Z"))
        #expect(result.comment("110")?.createdAt == date("2025-03-02T10:00:00Z"))
    }

    @Test func bodiesArePlainTextAsTheReaderSawThem() {
        #expect(
            result.comment("101", post: "4")?.body == """
                停戦交渉の経緯、よくまとまっています。
                詳しくはこちら (https://example.org/ref)を。

                2月28日の会談については“決裂”と書くのが正確だと思います。
                """)
        #expect(result.comment("102")?.body == "AT&T <3 &amp; bold\n\nsecond\u{A0}paragraph\nnext line")
        #expect(result.comment("104")?.body == "Fourth level. See https://example.org/a?b=1&c=2 and https://example.org/same.")
        #expect(result.comment("101", post: "7")?.body == "A hand-edited file repeats id 101; CDATA end ]]> inside.")
        #expect(result.comment("108")?.body == "Buy now (https://spam.example/buy)!")
    }

    @Test func authorsAndWebsites() {
        #expect(result.comment("101", post: "4")?.author == "山田 太郎")
        #expect(result.comment("101", post: "4")?.url == "https://taro.example/")
        #expect(result.comment("103")?.url == nil)  // "http://" alone
        #expect(result.comment("104")?.author == "Saburo & Co.")
        #expect(result.comment("104")?.url == "http://saburo.example")
        #expect(result.comment("110")?.author == "Anonymous")
    }

    @Test func emailsAndIPsComeOutOnlyAsTheInstallsHashes() {
        let taro = Fixture.emailHash("taro.yamada@example.jp")
        // " Taro.Yamada@Example.JP " and "TARO.YAMADA@EXAMPLE.JP": one commenter.
        #expect(result.comment("101", post: "4")?.emailHash == taro)
        #expect(result.comment("111")?.emailHash == taro)
        #expect(result.comment("102")?.emailHash == Fixture.emailHash("hanako@example.org"))
        #expect(result.comment("101", post: "4")?.ipHash == Fixture.keyring.ipHash("203.0.113.7"))
        #expect(result.comment("102")?.ipHash == Fixture.keyring.ipHash("2001:db8::1"))
        // The anonymous comment has neither.
        #expect(result.comment("110")?.emailHash == nil)
        #expect(result.comment("110")?.ipHash == nil)
        // The convenience hasher made from the keyring agrees with the one built by hand.
        let convenience = PersonalDataHasher(keyring: Fixture.keyring, ipv6Prefix: 64)
        #expect(convenience.email(" Taro.Yamada@Example.JP ") == taro)
        #expect(convenience.email("  ") == nil)
        // IPs as the abuse rules count a client: IPv4 by address, IPv6 by its /64.
        #expect(convenience.ip(" 203.0.113.7 ") == Fixture.keyring.ipHash("203.0.113.7"))
        #expect(convenience.ip("2001:db8::1") == Fixture.keyring.ipHash("2001:db8::/64"))
        #expect(convenience.ip("not an address") == nil)
    }

    @Test func noPlainEmailOrIPInAnyValue() {
        let text = result.allText
        #expect(!text.contains("@"))
        for prefix in ["203.0.113.", "198.51.100.", "192.0.2.", "2001:db8"] {
            #expect(!text.contains(prefix), "\(prefix) appears in the output")
        }
    }

    @Test func postKeyPathUsesTheLinksPathAndQueryAsWritten() throws {
        let byPath = try Fixture.read(.wordpress, Fixture.path("wordpress.xml"), postKey: .path)
        #expect(byPath.posts.map(\.key) == ["/2025/03/%e5%81%9c%e6%88%a6%e4%ba%a4%e6%b8%89/", "/?p=7", "/about/"])
        #expect(byPath.comment("101", post: "4")?.post == "/2025/03/%e5%81%9c%e6%88%a6%e4%ba%a4%e6%b8%89/")
        // The source keeps the WordPress post id, so re-importing by path recognises the comments.
        #expect(byPath.comment("112")?.source == CommentSource(system: .wordpress, post: "7", comment: "112"))
        #expect(byPath.comments.count == result.comments.count)
    }

    @Test func aDryRunTallyCountsWhatWasHandedOut() {
        var tally = ImportTally()
        for record in result.records { tally.add(record) }
        tally.skipped = result.skips.total
        #expect(tally.imported == 11)
        #expect(tally.posts == 3)
        #expect((tally.approved, tally.pending, tally.spam, tally.trash) == (7, 1, 1, 2))
        #expect(tally.skipped == 2)
    }

    @Test func progressReachesTheFilesSize() throws {
        let file = Fixture.path("wordpress.xml")
        let size = try #require(try FileManager.default.attributesOfItem(atPath: file)[.size] as? Int)
        let reports = Mutex<[Int64]>([])
        let options = ImportOptions(
            hasher: Fixture.hasher,
            progress: { done, total in
                #expect(total == Int64(size))
                reports.withLock { $0.append(done) }
            })
        _ = try WXRReader(file: file, options: options).read { _ in }
        #expect(reports.withLock { $0.last } == Int64(size))
    }

    private func date(_ text: String) -> Date {
        try! Date(text, strategy: .iso8601)
    }
}
