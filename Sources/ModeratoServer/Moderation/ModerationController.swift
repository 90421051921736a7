import Foundation
import Hummingbird
import ModeratoCore
import ModeratoStore

/// The moderation API of SPEC §3.3: the queue, status changes, deletion, and closing posts.
/// The same store operations as the `moderato` CLI, so both write the same audit log.
struct ModerationController: Sendable {
    let store: any CommentModeration
    let tokens: any ModerationTokens
    let keyring: Keyring
    let metrics: ServerMetrics

    func addRoutes(to router: Router<AppRequestContext>) {
        let group = router.group("moderation").add(middleware: ModeratorAuthentication(tokens: tokens))
        group.get("comments", use: list)
        group.post("comments/:id/:action", use: transition)
        group.delete("comments/:id", use: delete)
        group.post("posts/:change", use: changePost)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let query = try QueryParameters(request)
        let statusText = query.fields["status"] ?? "pending"
        let status = CommentStatus(rawValue: statusText)
        guard status != nil || statusText == "all" else {
            throw QueryParameters.invalid("status", Message("query.status"))
        }
        let post = try query.fields["post"].map { text throws(Problem) in try QueryParameters.post(text) }
        let limit = try query.integer("limit", in: 1...PublicCommentsController.maxLimit, default: PublicCommentsController.defaultLimit)
        let scope = "moderation \(statusText) \(post?.text ?? "")"
        var cursor: ThreadCursor?
        if let text = query.fields["after"], !text.isEmpty {  // `after=` is the first page, like no `after`
            guard let decoded = ThreadCursor(text, post: scope, keyring: keyring) else {
                throw QueryParameters.invalid("after", Message("query.after.not_this_listing"))
            }
            cursor = decoded
        }
        let page = try await store.moderationQueue(QueueFilter(status: status, post: post, limit: limit, cursorID: cursor?.afterID))
        let listing = ModerationListing(
            post: post?.text, status: statusText, total: page.total,
            comments: page.comments.map { ModerationComment($0, keyring: keyring) },
            next: page.hasMore ? page.comments.last.map { ThreadCursor(afterID: $0.id).encoded(post: scope, keyring: keyring) } : nil
        )
        var json = JSONWriter(capacity: 512 + listing.comments.count * 900)
        listing.write(to: &json)
        return Response(
            status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-store"], body: .init(byteBuffer: json.byteBuffer))
    }

    @Sendable func transition(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try commentID(context)
        guard let action = context.parameters.get("action").flatMap(ModerationAction.init(rawValue:)) else {
            throw Problem(.notFound, title: Message("problem.no_action.title"), detail: Message("problem.no_action.detail"))
        }
        guard let comment = try await store.moderate(id: id, action: action, actor: context.moderator ?? "token:?") else {
            throw Self.noComment
        }
        metrics.moderation(action.rawValue)
        return try json(ModerationComment(comment, keyring: keyring))
    }

    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard try await store.delete(id: try commentID(context), actor: context.moderator ?? "token:?") else {
            throw Self.noComment
        }
        metrics.moderation("delete")
        return Response(status: .noContent)
    }

    @Sendable func changePost(_ request: Request, context: AppRequestContext) async throws -> Response {
        let closed: Bool
        switch context.parameters.get("change") {
        case "close": closed = true
        case "open": closed = false
        default: throw Problem(.notFound, title: Message("problem.no_action.title"), detail: Message("problem.no_post_change.detail"))
        }
        var request = request
        let body = try await SubmissionDecoder(maxBodyBytes: 4096).readBody(&request)
        guard let object = try? JSONDecoder().decode([String: JSONScalar].self, from: Data(body.readableBytesView)) else {
            throw Problem.badRequest(Message("problem.post_change_body.detail"))
        }
        guard case .string(let text)? = object["post"] else {
            throw QueryParameters.invalid("post", Message("field.post.required"))
        }
        let post = try QueryParameters.post(text)
        try await store.setPostClosed(post, closed: closed)
        return try json(["post": AnyEncodableValue.string(post.text), "closed": .bool(closed)])
    }

    func commentID(_ context: AppRequestContext) throws -> Int64 {
        guard let text = context.parameters.get("id"), text.isASCIIDigits, let id = Int64(text) else {
            throw Self.noComment
        }
        return id
    }

    static let noComment = Problem(.notFound, title: Message("problem.no_comment.title"), detail: Message("problem.no_comment.detail"))

    func json(_ value: some Encodable) throws -> Response {
        Response(
            status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(bytes: try JSONEncoder.moderato.encode(value)))
        )
    }
}

/// `GET /moderation/comments` body.
struct ModerationListing: Encodable {
    var post: String?
    var status: String
    var total: Int
    var comments: [ModerationComment]
    var next: String?

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(post, forKey: .post)
        try container.encode(status, forKey: .status)
        try container.encode(total, forKey: .total)
        try container.encode(comments, forKey: .comments)
        try container.encode(next, forKey: .next)
    }

    enum CodingKeys: String, CodingKey { case post, status, total, comments, next }

    /// What `JSONEncoder.moderato` writes for this value, byte for byte.
    func write(to json: inout JSONWriter) {
        json.raw(#"{"comments":"#)
        json.array(comments) { comment, json in comment.write(to: &json) }
        json.raw(#","next":"#)
        json.string(next)
        json.raw(#","post":"#)
        json.string(post)
        json.raw(#","status":"#)
        json.string(status)
        json.raw(#","total":"#)
        json.integer(total)
        json.raw("}")
    }
}

/// A small JSON value for hand-built answers.
enum AnyEncodableValue: Encodable {
    case string(String)
    case bool(Bool)

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let value): try container.encode(value)
        case .bool(let value): try container.encode(value)
        }
    }
}
