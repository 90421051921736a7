#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A stored comment, as the store hands it out. It never holds an email address, only its keyed hash.
public struct Comment: Sendable, Hashable, Identifiable {
    public var id: Int64
    public var post: String
    public var parent: Int64?
    public var status: CommentStatus
    public var author: String
    public var url: String?
    public var emailHash: String
    public var ipHash: String?
    public var body: String
    public var createdAt: Date
    public var updatedAt: Date
    public var moderatedAt: Date?
    /// Why it was held or marked as spam (see `ModerationReason`); `nil` when nothing held it or it
    /// was stored before reasons were kept. Approving or trashing a comment keeps its reason.
    public var reason: ModerationReason?

    public init(
        id: Int64, post: String, parent: Int64?, status: CommentStatus, author: String, url: String?,
        emailHash: String, ipHash: String?, body: String, createdAt: Date, updatedAt: Date, moderatedAt: Date?,
        reason: ModerationReason? = nil
    ) {
        self.id = id
        self.post = post
        self.parent = parent
        self.status = status
        self.author = author
        self.url = url
        self.emailHash = emailHash
        self.ipHash = ipHash
        self.body = body
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.moderatedAt = moderatedAt
        self.reason = reason
    }
}
