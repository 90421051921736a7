import Foundation
import Hummingbird
import ModeratoCore
import ModeratoStore

/// `GET /feed.json[?post=P]` (JSON Feed 1.1) and `GET /feed.atom[?post=P]` (Atom 1.0): the newest
/// approved comments, the same items in both (SPEC §3.2). Feeds are written in `site.language`:
/// one document for every reader, cached and revalidated like the other public reads.
struct FeedController: Sendable {
    let store: any PublicCommentReading
    let keyring: Keyring
    let versions: PublicationVersions
    let cache: ResponseCache
    let maxAge: Int
    let limit: Int
    let siteName: String
    let siteURL: String
    let publicURL: String
    let localizer: Localizer

    enum Format: String {
        case json, atom

        var path: String { "/feed.\(rawValue)" }
        var contentType: String {
            switch self {
            case .json: JSONFeed.contentType
            case .atom: AtomFeed.contentType
            }
        }
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get(RouterPath(stringLiteral: Format.json.path)) { request, _ in try await feed(.json, request: request) }
        router.get(RouterPath(stringLiteral: Format.atom.path)) { request, _ in try await feed(.atom, request: request) }
    }

    func feed(_ format: Format, request: Request) async throws -> Response {
        let query = try QueryParameters(request)
        let post = try query.fields["post"].map { text throws(Problem) in try QueryParameters.post(text) }
        let key = "feed\u{0}\(format.rawValue)\u{0}" + (post?.text ?? "")
        let feedVersions = [post.map(versions.version(of:)) ?? versions.siteVersion]
        if let cached = cache.lookup(key, versions: feedVersions) {
            return cached.response(to: request)
        }
        let comments = try await store.latestApproved(post: post, limit: limit)
        let bytes: [UInt8]
        switch format {
        case .json: bytes = Array(try JSONEncoder.moderato.encode(jsonFeed(comments, post: post)))
        case .atom: bytes = Array(atomFeed(comments, post: post).xml().utf8)
        }
        let rendered = RenderedResponse(bytes: bytes, contentType: format.contentType, contentLanguage: localizer.language, maxAge: maxAge)
        cache.store(rendered, for: key, versions: feedVersions)
        return rendered.response(to: request)
    }

    func title(post: PostKey?) -> String {
        localizer(
            post.map { Message("feed.title.post", ["site": siteName, "post": $0.text]) } ?? Message("feed.title", ["site": siteName]))
    }

    func homePageURL(post: PostKey?) -> String {
        post.map { PostPage.url(of: $0, siteURL: siteURL) } ?? siteURL + "/"
    }

    func selfURL(_ format: Format, post: PostKey?) -> String {
        publicURL + format.path + (post.map { "?post=" + Self.queryEncode($0.text) } ?? "")
    }

    func commentURL(_ comment: Comment) -> String {
        PostPage.url(of: PostKey(stored: comment.post), siteURL: siteURL) + "#comment-\(comment.id)"
    }

    func jsonFeed(_ comments: [Comment], post: PostKey?) -> JSONFeed {
        JSONFeed(
            title: title(post: post), homePageURL: homePageURL(post: post), feedURL: selfURL(.json, post: post),
            language: localizer.language,
            items: comments.map { comment in
                JSONFeed.Item(
                    id: String(comment.id),
                    url: commentURL(comment),
                    contentHTML: CommentRenderer.html(comment.body),
                    datePublished: comment.createdAt,
                    authors: [.init(name: comment.author, url: comment.url, avatar: keyring.avatar(emailHash: comment.emailHash))],
                    moderato: .init(post: comment.post, parent: comment.parent)
                )
            }
        )
    }

    func atomFeed(_ comments: [Comment], post: PostKey?) -> AtomFeed {
        let authority = AtomFeed.tagAuthority(siteURL: siteURL)
        return AtomFeed(
            id: selfURL(.atom, post: post), title: title(post: post), selfURL: selfURL(.atom, post: post),
            alternateURL: homePageURL(post: post), language: localizer.language,
            entries: comments.map { comment in
                AtomFeed.Entry(
                    id: AtomFeed.tagURI(authority: authority, date: comment.createdAt, specific: "comment:\(comment.id)"),
                    title: localizer(Message("feed.entry.title", ["post": comment.post, "author": comment.author])),
                    date: comment.createdAt, authorName: comment.author, authorURI: comment.url, link: commentURL(comment),
                    contentHTML: CommentRenderer.html(comment.body)
                )
            }
        )
    }

    static func queryEncode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~/")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}

/// A JSON Feed 1.1 document (https://jsonfeed.org/version/1.1).
struct JSONFeed: Encodable {
    static let contentType = "application/feed+json"

    struct Author: Encodable {
        var name: String
        var url: String?
        var avatar: String
    }

    /// Moderato's extension (JSON Feed allows `_`-prefixed keys): where the comment sits.
    struct Placement: Encodable {
        var post: String
        var parent: Int64?

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(post, forKey: .post)
            try container.encode(parent, forKey: .parent)
        }

        enum CodingKeys: String, CodingKey { case post, parent }
    }

    struct Item: Encodable {
        var id: String
        var url: String
        var contentHTML: String
        var datePublished: Date
        var authors: [Author]
        var moderato: Placement

        enum CodingKeys: String, CodingKey {
            case id, url, authors
            case contentHTML = "content_html"
            case datePublished = "date_published"
            case moderato = "_moderato"
        }
    }

    let version = "https://jsonfeed.org/version/1.1"
    var title: String
    var homePageURL: String
    var feedURL: String
    /// The feed's language (JSON Feed 1.1 `language`): `site.language`.
    var language: String
    var items: [Item]

    enum CodingKeys: String, CodingKey {
        case version, title, items, language
        case homePageURL = "home_page_url"
        case feedURL = "feed_url"
    }
}
