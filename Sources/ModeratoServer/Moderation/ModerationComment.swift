import Foundation
import ModeratoCore

/// A comment as a moderator sees it (SPEC §3.3): the public object plus `status`, `email_hash`,
/// `ip_hash`, the raw `body`, when it was last changed and moderated, and the `reason` it was held
/// or marked as spam (`{"code", "detail"}` or `null`). Shared by the moderation API,
/// `moderato … --format json` and (without the hashes) webhooks.
public struct ModerationComment: Encodable, Sendable {
    let comment: Comment
    let avatar: String
    /// `email_hash` and `ip_hash` are left out where the object leaves the install (webhooks).
    let includesHashes: Bool

    public init(_ comment: Comment, keyring: Keyring) {
        self.init(comment, avatar: keyring.avatar(emailHash: comment.emailHash))
    }

    init(_ comment: Comment, avatar: String, includesHashes: Bool = true) {
        self.comment = comment
        self.avatar = avatar
        self.includesHashes = includesHashes
    }

    enum CodingKeys: String, CodingKey {
        case id, post, parent, author, status, body
        case bodyHTML = "body_html"
        case createdAt = "created_at"
        case emailHash = "email_hash"
        case ipHash = "ip_hash"
        case updatedAt = "updated_at"
        case moderatedAt = "moderated_at"
        case reason
    }

    /// `{"code": "links", "detail": "3"}`: `detail` is always present, `null` when the code says it all.
    struct Reason: Encodable {
        let reason: ModerationReason

        enum CodingKeys: String, CodingKey { case code, detail }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(reason.code.rawValue, forKey: .code)
            try container.encode(reason.detail, forKey: .detail)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(comment.id, forKey: .id)
        try container.encode(comment.post, forKey: .post)
        try container.encode(comment.parent, forKey: .parent)
        try container.encode(PublicComment.Author(name: comment.author, url: comment.url, avatar: avatar), forKey: .author)
        try container.encode(CommentRenderer.html(comment.body), forKey: .bodyHTML)
        try container.encode(comment.createdAt, forKey: .createdAt)
        try container.encode(comment.status.rawValue, forKey: .status)
        try container.encode(comment.body, forKey: .body)
        if includesHashes {
            try container.encode(comment.emailHash, forKey: .emailHash)
            try container.encode(comment.ipHash, forKey: .ipHash)
        }
        try container.encode(comment.updatedAt, forKey: .updatedAt)
        try container.encode(comment.moderatedAt, forKey: .moderatedAt)
        try container.encode(comment.reason.map(Reason.init), forKey: .reason)
    }

    /// What `JSONEncoder.moderato` writes for this value, byte for byte (keys in byte order): the
    /// moderation page writes fifty of these by hand; the CLI and webhooks use `Encodable`.
    func write(to json: inout JSONWriter) {
        json.raw(#"{"author":"#)
        PublicComment.Author(name: comment.author, url: comment.url, avatar: avatar).write(to: &json)
        json.raw(#","body":"#)
        json.string(comment.body)
        json.raw(#","body_html":"#)
        json.string(CommentRenderer.html(comment.body))
        json.raw(#","created_at":"#)
        json.date(comment.createdAt)
        if includesHashes {
            json.raw(#","email_hash":"#)
            json.string(comment.emailHash)
        }
        json.raw(#","id":"#)
        json.integer(comment.id)
        if includesHashes {
            json.raw(#","ip_hash":"#)
            json.string(comment.ipHash)
        }
        json.raw(#","moderated_at":"#)
        json.date(comment.moderatedAt)
        json.raw(#","parent":"#)
        json.integer(comment.parent)
        json.raw(#","post":"#)
        json.string(comment.post)
        json.raw(#","reason":"#)
        if let reason = comment.reason {
            json.raw(#"{"code":"#)
            json.string(reason.code.rawValue)
            json.raw(#","detail":"#)
            json.string(reason.detail)
            json.raw("}")
        } else {
            json.raw("null")
        }
        json.raw(#","status":"#)
        json.string(comment.status.rawValue)
        json.raw(#","updated_at":"#)
        json.date(comment.updatedAt)
        json.raw("}")
    }
}
