import Foundation
import ModeratoCore
import ModeratoImport
import Testing

// `ModeratoCore.Comment` is spelled out: swift-testing has a `Comment` type of its own.
@Suite("WXR writer and the round trip")
struct WXRWriterTests {
    let folder = TemporaryFolder()

    /// Threads with every status, nesting, and texts that must survive HTML: `<3`, `&`, `&amp;`,
    /// Japanese, blank lines, URLs, a CDATA terminator.
    static func comments(posts: [String]) -> [ModeratoCore.Comment] {
        let base = Date(timeIntervalSince1970: 1_740_000_000)
        var comments: [ModeratoCore.Comment] = []
        var id: Int64 = 1
        for post in posts {
            let first = id
            let specs: [(parent: Int64?, status: CommentStatus, author: String, url: String?, body: String)] = [
                (nil, .approved, "山田 太郎", "https://taro.example/", "停戦交渉の経緯\n\n2月18日:米露のみ\n2月28日:決裂"),
                (first, .approved, "AT&T <fan>", nil, "I <3 this & that &amp; those"),
                (first + 1, .pending, "Jiro", "http://jiro.example/a?b=1&c=2", "See https://example.org/ref.\nNext line"),
                (first + 2, .approved, "Deep ]]> Name", nil, "Fourth level ]]> with a CDATA end"),
                (nil, .spam, "Spammer", "https://spam.example/", "Buy now"),
                (nil, .trash, "Regret", nil, "一行目\n\u{3000}字下げ\tand a tab"),
            ]
            for spec in specs {
                comments.append(
                    ModeratoCore.Comment(
                        id: id, post: post, parent: spec.parent, status: spec.status, author: spec.author, url: spec.url,
                        emailHash: String(repeating: "a", count: 64), ipHash: nil, body: spec.body,
                        createdAt: base.addingTimeInterval(Double(id) * 61), updatedAt: base, moderatedAt: nil
                    ))
                id += 1
            }
        }
        return comments
    }

    func export(
        _ comments: [ModeratoCore.Comment], posts: [ExportedPost], timeZone: TimeZone = TimeZone(identifier: "UTC")!
    ) throws -> String {
        var writer = WXRWriter(
            sink: StringSink(), siteURL: "https://blog.example/", siteName: "ブログ & Co.",
            postKeys: posts.map(\.key), timeZone: timeZone, generatedAt: Date(timeIntervalSince1970: 0)
        )
        try writer.begin()
        for post in posts {
            try writer.write(post: post, comments: comments.filter { $0.post == post.key })
        }
        try writer.finish()
        return writer.sink.text
    }

    func expectSameThreads(_ original: [ModeratoCore.Comment], _ imported: [ImportedComment]) {
        #expect(imported.count == original.count)
        for comment in original {
            guard let back = imported.first(where: { $0.source.comment == String(comment.id) }) else {
                Issue.record("comment \(comment.id) did not come back")
                continue
            }
            #expect(back.post == comment.post)
            #expect(back.parentSourceID == comment.parent.map(String.init))
            #expect(back.status == comment.status)
            #expect(back.author == comment.author)
            #expect(back.url == comment.url)
            #expect(back.body == comment.body)
            // WXR dates are whole seconds.
            #expect(back.createdAt == Date(timeIntervalSince1970: comment.createdAt.timeIntervalSince1970.rounded(.down)))
            #expect(back.emailHash == nil)  // no address was written, and none comes back
        }
    }

    @Test func numericPostsRoundTripByID() throws {
        let posts = [ExportedPost(key: "4", closed: false), ExportedPost(key: "7", closed: true)]
        let comments = Self.comments(posts: posts.map(\.key))
        let file = folder.file("numeric.xml", contents: try export(comments, posts: posts))
        #expect(try ImportFormat.detect(file: file) == .wordpress)
        let result = try Fixture.read(.wordpress, file, postKey: .id)
        #expect(result.posts.map(\.key) == ["4", "7"])
        #expect(result.posts.map(\.closed) == [false, true])
        #expect(result.skips.total == 0)
        expectSameThreads(comments, result.comments)
    }

    @Test func pathPostsRoundTripByPath() throws {
        let posts = [ExportedPost(key: "/2025/03/停戦交渉/", closed: false), ExportedPost(key: "/about/?lang=ja", closed: true)]
        let comments = Self.comments(posts: posts.map(\.key))
        let file = folder.file("paths.xml", contents: try export(comments, posts: posts))
        let result = try Fixture.read(.wordpress, file, postKey: .path)
        #expect(result.posts.map(\.key) == posts.map(\.key))
        #expect(result.posts.map(\.closed) == [false, true])
        expectSameThreads(comments, result.comments)
    }

    @Test func aMixedSiteGivesEachKindBackByItsOwnKey() throws {
        let posts = [ExportedPost(key: "12", closed: false), ExportedPost(key: "/about/", closed: false)]
        let text = try export(Self.comments(posts: posts.map(\.key)), posts: posts)
        let file = folder.file("mixed.xml", contents: text)
        #expect(text.contains("<link>https://blog.example/?p=12</link>"))
        #expect(text.contains("<wp:post_id>12</wp:post_id>"))
        // The path post gets a number above every numeric key.
        #expect(text.contains("<wp:post_id>13</wp:post_id>"))
        #expect(try Fixture.read(.wordpress, file, postKey: .id).posts.map(\.key) == ["12", "13"])
        #expect(try Fixture.read(.wordpress, file, postKey: .path).posts.map(\.key) == ["/?p=12", "/about/"])
    }

    @Test func commentsAreWordPressHTMLAndDatesLocalAndGMT() throws {
        let post = ExportedPost(key: "4", closed: false)
        let comments = Self.comments(posts: ["4"])
        let text = try export(comments, posts: [post], timeZone: TimeZone(identifier: "Asia/Tokyo")!)
        #expect(text.contains("<wp:comment_content><![CDATA[<p>I &lt;3 this &amp; that &amp;amp; those</p>]]></wp:comment_content>"))
        #expect(text.contains("<![CDATA[<p>See https://example.org/ref.<br>\nNext line</p>]]>"))
        // A "]]>" in the text is escaped as HTML; in the name it splits the CDATA section.
        #expect(text.contains("<![CDATA[<p>Fourth level ]]&gt; with a CDATA end</p>]]>"))
        #expect(text.contains("<wp:comment_author><![CDATA[Deep ]]]]><![CDATA[> Name]]></wp:comment_author>"))
        #expect(text.contains("<wp:comment_author_url>http://jiro.example/a?b=1&amp;c=2</wp:comment_author_url>"))
        // 1_740_000_061 is 2025-02-19 21:21:01 UTC, 2025-02-20 06:21:01 in Tokyo.
        #expect(text.contains("<wp:comment_date><![CDATA[2025-02-20 06:21:01]]></wp:comment_date>"))
        #expect(text.contains("<wp:comment_date_gmt><![CDATA[2025-02-19 21:21:01]]></wp:comment_date_gmt>"))
        #expect(text.contains("<wp:comment_approved><![CDATA[spam]]></wp:comment_approved>"))
        #expect(text.contains("<wp:comment_author_email><![CDATA[]]></wp:comment_author_email>"))
        #expect(!text.contains(String(repeating: "a", count: 64)))  // not even the hash
        // Read back, the local dates do not matter: the GMT ones are used.
        let file = folder.file("tokyo.xml", contents: text)
        expectSameThreads(comments, try Fixture.read(.wordpress, file).comments)
    }

    @Test func aFileHandleSinkWritesTheSameDocument() throws {
        let posts = [ExportedPost(key: "4", closed: false)]
        let comments = Self.comments(posts: ["4"])
        let path = folder.file("stream.xml")
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        var writer = WXRWriter(
            sink: FileHandleSink(handle), siteURL: "https://blog.example/", siteName: "ブログ & Co.",
            postKeys: ["4"], generatedAt: Date(timeIntervalSince1970: 0)
        )
        try writer.begin()
        try writer.beginPost(posts[0])
        for comment in comments { try writer.write(comment: comment) }
        try writer.endPost()
        try writer.finish()
        try handle.close()
        #expect(try String(contentsOfFile: path, encoding: .utf8) == export(comments, posts: posts))
    }
}
