import Foundation
import ModeratoCore

/// The public shape of a comment (SPEC §3.2): no email, no email hash, no IP.
struct PublicComment: Encodable, Sendable {
    struct Author: Encodable, Sendable {
        var name: String
        var url: String?
        var avatar: String

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(name, forKey: .name)
            try container.encode(url, forKey: .url)  // null rather than absent, so clients see the field
            try container.encode(avatar, forKey: .avatar)
        }

        enum CodingKeys: String, CodingKey { case name, url, avatar }

        /// What `JSONEncoder.moderato` writes for this value, byte for byte.
        func write(to json: inout JSONWriter) {
            json.raw(#"{"avatar":"#)
            json.string(avatar)
            json.raw(#","name":"#)
            json.string(name)
            json.raw(#","url":"#)
            json.string(url)
            json.raw("}")
        }
    }

    var id: Int64
    var post: String
    var parent: Int64?
    var author: Author
    var bodyHTML: String
    var createdAt: Date
    /// Only in the answer to the submitter: `approved` or `pending` (spam is never revealed).
    var status: String?

    init(_ comment: Comment, keyring: Keyring, status: String? = nil) {
        id = comment.id
        post = comment.post
        parent = comment.parent
        author = Author(name: comment.author, url: comment.url, avatar: keyring.avatar(emailHash: comment.emailHash))
        bodyHTML = CommentRenderer.html(comment.body)
        createdAt = comment.createdAt
        self.status = status
    }

    enum CodingKeys: String, CodingKey {
        case id, post, parent, author, status
        case bodyHTML = "body_html"
        case createdAt = "created_at"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(post, forKey: .post)
        try container.encode(parent, forKey: .parent)
        try container.encode(author, forKey: .author)
        try container.encode(bodyHTML, forKey: .bodyHTML)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encodeIfPresent(status, forKey: .status)
    }
    /// What `JSONEncoder.moderato` writes for this value, byte for byte (keys in byte order):
    /// the hot paths write it by hand, the rest (and the tests) through `Encodable`.
    func write(to json: inout JSONWriter) {
        json.raw(#"{"author":"#)
        author.write(to: &json)
        json.raw(#","body_html":"#)
        json.string(bodyHTML)
        json.raw(#","created_at":"#)
        json.date(createdAt)
        json.raw(#","id":"#)
        json.integer(id)
        json.raw(#","parent":"#)
        json.integer(parent)
        json.raw(#","post":"#)
        json.string(post)
        if let status {
            json.raw(#","status":"#)
            json.string(status)
        }
        json.raw("}")
    }
}
