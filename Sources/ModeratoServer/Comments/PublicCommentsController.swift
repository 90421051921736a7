import Foundation
import Hummingbird
import ModeratoCore
import ModeratoStore

/// The public read API of SPEC §3.2: a post's approved comments, one comment, and counts.
///
/// Responses are rendered once per version of the posts they show and then served as cached
/// bytes; the freshness check is an in-memory lookup (see `PublicationVersions`).
struct PublicCommentsController: Sendable {
    let store: any PublicCommentReading
    let keyring: Keyring
    let versions: PublicationVersions
    let cache: ResponseCache
    let maxAge: Int

    static let defaultLimit = 50
    static let maxLimit = 200
    static let maxCountPosts = 100

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/comments", use: list)
        router.get("/comments/count", use: count)
        router.get("/comments/:id", use: show)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let query = try QueryParameters(request)
        let post = try query.post()
        let limit = try query.integer("limit", in: 1...Self.maxLimit, default: Self.defaultLimit)
        var cursor: ThreadCursor?
        if let text = query.fields["after"], !text.isEmpty {  // `after=` is the first page, like no `after`
            guard let decoded = ThreadCursor(text, post: post.text, keyring: keyring) else {
                throw QueryParameters.invalid("after", Message("query.after.not_this_post"))
            }
            cursor = decoded
        }
        let key = "list\u{0}\(post.text)\u{0}\(limit)\u{0}\(cursor?.afterID ?? 0)"
        let postVersions = [versions.version(of: post)]
        if let cached = cache.lookup(key, versions: postVersions) {
            return cached.response(to: request)
        }
        let page = try await store.approvedThread(post: post, afterID: cursor?.afterID, limit: limit)
        let listing = ThreadListing(
            post: post.text, total: page.total,
            comments: page.comments.map { PublicComment($0, keyring: keyring) },
            next: page.hasMore ? page.comments.last.map { ThreadCursor(afterID: $0.id).encoded(post: post.text, keyring: keyring) } : nil
        )
        let rendered = RenderedResponse(bytes: listing.json, contentType: "application/json", maxAge: maxAge)
        cache.store(rendered, for: key, versions: postVersions)
        return rendered.response(to: request)
    }

    @Sendable func count(_ request: Request, context: AppRequestContext) async throws -> Response {
        let query = try QueryParameters(request)
        // Both spellings of one key are one post (and one entry of the answer, named in NFC).
        var posts: [PostKey] = []
        for text in query.fields.all("post") {
            let post = try QueryParameters.post(text)
            if !posts.contains(post) { posts.append(post) }
        }
        guard (1...Self.maxCountPosts).contains(posts.count) else {
            throw QueryParameters.invalid("post", Message("query.count_posts", ["max": String(Self.maxCountPosts)]))
        }
        let key = "count\u{0}" + posts.map(\.text).joined(separator: "\u{0}")
        let postVersions = posts.map(versions.version(of:))
        if let cached = cache.lookup(key, versions: postVersions) {
            return cached.response(to: request)
        }
        let counts = try await store.approvedCounts(posts: posts)
        let body = Dictionary(posts.map { ($0.text, counts[$0] ?? 0) }, uniquingKeysWith: max)
        let rendered = RenderedResponse(bytes: try JSONEncoder.moderato.encode(body), contentType: "application/json", maxAge: maxAge)
        cache.store(rendered, for: key, versions: postVersions)
        return rendered.response(to: request)
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let text = context.parameters.get("id") ?? ""
        guard text.isASCIIDigits, let id = Int64(text),
            let comment = try await store.comment(id: id), comment.status == .approved
        else {
            throw Problem(.notFound, title: Message("problem.no_comment.title"), detail: Message("problem.no_published_comment.detail"))
        }
        var json = JSONWriter()
        PublicComment(comment, keyring: keyring).write(to: &json)
        let rendered = RenderedResponse(bytes: json.bytes, contentType: "application/json", maxAge: maxAge)
        return rendered.response(to: request)
    }
}

/// `GET /comments` body: `{"post", "total", "comments", "next"}`.
struct ThreadListing: Encodable {
    var post: String
    var total: Int
    var comments: [PublicComment]
    var next: String?

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(post, forKey: .post)
        try container.encode(total, forKey: .total)
        try container.encode(comments, forKey: .comments)
        try container.encode(next, forKey: .next)  // null on the last page, never absent
    }

    enum CodingKeys: String, CodingKey { case post, total, comments, next }

    /// What `JSONEncoder.moderato` writes for this value, byte for byte.
    func write(to json: inout JSONWriter) {
        json.raw(#"{"comments":"#)
        json.array(comments) { comment, json in comment.write(to: &json) }
        json.raw(#","next":"#)
        json.string(next)
        json.raw(#","post":"#)
        json.string(post)
        json.raw(#","total":"#)
        json.integer(total)
        json.raw("}")
    }

    /// The listing as the bytes of a response.
    var json: [UInt8] {
        var writer = JSONWriter(capacity: 512 + comments.count * 400)
        write(to: &writer)
        return writer.bytes
    }
}
