import Foundation
import Hummingbird
import ModeratoCore
import ModeratoStore

/// `GET /feed.json[?post=P]`: the newest approved comments as a JSON Feed 1.1 (SPEC §3.2).
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

    static let contentType = "application/feed+json"

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/feed.json", use: feed)
    }

    @Sendable func feed(_ request: Request, context: AppRequestContext) async throws -> Response {
        let query = try QueryParameters(request)
        let post = try query.fields["post"].map { text throws(Problem) in try QueryParameters.post(text) }
        let key = "feed\u{0}" + (post?.text ?? "")
        let feedVersions = [post.map(versions.version(of:)) ?? versions.siteVersion]
        if let cached = cache.lookup(key, versions: feedVersions) {
            return cached.response(to: request, maxAge: maxAge)
        }
        let comments = try await store.latestApproved(post: post, limit: limit)
        let document = JSONFeed(
            title: post.map { "\(siteName): comments on \($0.text)" } ?? "\(siteName): comments",
            homePageURL: post.map { PostPage.url(of: $0, siteURL: siteURL) } ?? siteURL + "/",
            feedURL: publicURL + "/feed.json" + (post.map { "?post=" + Self.queryEncode($0.text) } ?? ""),
            items: comments.map { comment in
                JSONFeed.Item(
                    id: String(comment.id),
                    url: PostPage.url(of: PostKey(stored: comment.post), siteURL: siteURL) + "#comment-\(comment.id)",
                    contentHTML: CommentRenderer.html(comment.body),
                    datePublished: comment.createdAt,
                    authors: [.init(name: comment.author, url: comment.url, avatar: keyring.avatar(emailHash: comment.emailHash))],
                    moderato: .init(post: comment.post, parent: comment.parent)
                )
            }
        )
        let rendered = RenderedResponse(bytes: try JSONEncoder.moderato.encode(document), contentType: Self.contentType)
        cache.store(rendered, for: key, versions: feedVersions)
        return rendered.response(to: request, maxAge: maxAge)
    }

    static func queryEncode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~/")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}

/// A JSON Feed 1.1 document (https://jsonfeed.org/version/1.1).
struct JSONFeed: Encodable {
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
    var items: [Item]

    enum CodingKeys: String, CodingKey {
        case version, title, items
        case homePageURL = "home_page_url"
        case feedURL = "feed_url"
    }
}
