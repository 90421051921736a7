import ModeratoCore

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A comment read from another system, ready for the store: plain text, hashes only, UTC date.
///
/// It never holds an email address or an IP address: readers hash them with the caller's
/// `PersonalDataHasher` before a value of this type exists.
public struct ImportedComment: Sendable, Hashable {
    public var source: CommentSource
    /// Moderato's post key (NFC, 1–512 bytes, a path or a number).
    public var post: String
    /// The source id of the comment this one replies to, in the same source post: always one that
    /// was handed out before this one. `nil` for a top-level comment, and for a reply whose
    /// ancestors were all skipped or missing.
    public var parentSourceID: String?
    public var author: String
    /// An absolute `http`/`https` address, or `nil`.
    public var url: String?
    /// Keyed hash of the normalised email, or `nil` when the source had none.
    public var emailHash: String?
    /// Keyed hash of the client address, or `nil` when the source had none.
    public var ipHash: String?
    public var createdAt: Date
    public var status: CommentStatus
    /// Plain text as Moderato stores it: LF line endings, blank line between paragraphs, trimmed.
    public var body: String

    public init(
        source: CommentSource, post: String, parentSourceID: String?, author: String, url: String?,
        emailHash: String?, ipHash: String?, createdAt: Date, status: CommentStatus, body: String
    ) {
        self.source = source
        self.post = post
        self.parentSourceID = parentSourceID
        self.author = author
        self.url = url
        self.emailHash = emailHash
        self.ipHash = ipHash
        self.createdAt = createdAt
        self.status = status
        self.body = body
    }
}
