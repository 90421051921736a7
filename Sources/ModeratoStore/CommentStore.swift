import Foundation
import ModeratoCore

/// Persistence of comments, posts and moderation, independent of the database behind it.
///
/// `SQLiteCommentStore` is the embedded implementation; a PostgreSQL one would conform to the same
/// protocol so the server and CLI need not change.
public protocol CommentStore: Sendable {
    /// Checks the post, parent, duplicates and the author's standing, lets `policy` pick the status
    /// and inserts the comment, all in one transaction. Returns only once the comment is durable.
    func submit(_ draft: CommentDraft, rules: SubmissionRules) async throws -> Result<Comment, SubmissionRefusal>

    /// Any comment by id, whatever its status; `nil` when there is none.
    func comment(id: Int64) async throws -> Comment?

    /// Opens or closes a post for new comments (creating its row if needed).
    func setPostClosed(_ post: PostKey, closed: Bool) async throws

    /// Whether a post is closed for comments (an unknown post is open).
    func isPostClosed(_ post: PostKey) async throws -> Bool

    /// Succeeds when the database answers a read (and, for a file, the file is still there).
    func checkHealth() async throws

    /// Checkpoints the write-ahead log into the database file and closes it; the last thing a
    /// server does on shutdown.
    func close() async throws

    /// Entries of the audit log per action.
    func auditCounts() async throws -> [String: Int]

    // MARK: Public reads (approved comments only)

    /// One page of a post's approved comments, oldest first, after `afterID` (keyset pagination).
    func approvedThread(post: PostKey, afterID: Int64?, limit: Int) async throws -> CommentPage

    /// Approved comments per post, in one query; posts without any are absent.
    func approvedCounts(posts: [PostKey]) async throws -> [PostKey: Int]

    /// The newest approved comments, newest first, site-wide or of one post.
    func latestApproved(post: PostKey?, limit: Int) async throws -> [Comment]

    /// Posts whose public content changed after `version`, with their new versions, and the
    /// highest version in the database.
    func publicationChanges(since version: Int64) async throws -> PublicationChanges

    // MARK: Moderation (each call one transaction, each change recorded in the audit log)

    /// Comments of any status for a moderator, by id in the given order, after/before `cursorID`.
    func moderationQueue(_ filter: QueueFilter) async throws -> CommentPage

    /// Moves a comment to `status` (any status to any other); `nil` when there is no such comment.
    func moderate(id: Int64, to status: CommentStatus, actor: String) async throws -> Comment?

    /// Purges a comment for good, moving its replies up to its parent; `false` when there is none.
    func delete(id: Int64, actor: String) async throws -> Bool

    /// Comments per status, site-wide or of one post.
    func statusCounts(post: PostKey?) async throws -> [CommentStatus: Int]

    /// Every post with its open/closed state and comment counts.
    func posts() async throws -> [PostSummary]

    /// The moderation history of a comment, oldest first.
    func history(of id: Int64) async throws -> [ModerationEntry]

    /// Future comments with this email hash are stored as spam. `false` when it was already blocked.
    func blockEmail(hash: String) async throws -> Bool

    /// Erases every comment with this email hash (replies move up) and logs each erasure; returns how many.
    func forgetEmail(hash: String, actor: String) async throws -> Int

    // MARK: API tokens (only SHA-256 hashes are stored)

    /// Stores a new token's hash under `name`; `false` when the name is taken.
    func createToken(name: String, hash: String) async throws -> Bool

    func tokens() async throws -> [APIToken]

    /// Revokes the token; `false` when there is no active token by that name.
    func revokeToken(name: String) async throws -> Bool

    /// Hashes of tokens that are not revoked, with their names and when each was last used.
    func activeTokenHashes() async throws -> [(name: String, hash: String, lastUsedAt: Date?)]

    /// Records that a token was just used.
    func touchToken(name: String) async throws
}

/// Which comments a moderator is looking at.
public struct QueueFilter: Sendable, Equatable {
    /// `nil` for every status.
    public var status: CommentStatus?
    public var post: PostKey?
    public var limit: Int
    /// Keyset position: ids after it (oldest first) or before it (newest first).
    public var cursorID: Int64?
    public var newestFirst: Bool

    public init(status: CommentStatus?, post: PostKey? = nil, limit: Int = 50, cursorID: Int64? = nil, newestFirst: Bool = false) {
        self.status = status
        self.post = post
        self.limit = limit
        self.cursorID = cursorID
        self.newestFirst = newestFirst
    }
}

/// A post as the moderator sees it.
public struct PostSummary: Sendable, Equatable {
    public var post: PostKey
    public var closed: Bool
    public var counts: [CommentStatus: Int]
    public var lastCommentAt: Date?
}

/// One line of the audit log.
public struct ModerationEntry: Sendable, Equatable {
    public var commentID: Int64
    public var action: String
    public var fromStatus: String?
    public var toStatus: String?
    public var actor: String
    public var at: Date
}

/// A moderation API token as listed (never the token itself).
public struct APIToken: Sendable, Equatable {
    public var name: String
    public var createdAt: Date
    public var lastUsedAt: Date?
    public var revokedAt: Date?
}

/// A page of comments: a thread listing or the moderation queue.
public struct CommentPage: Sendable, Equatable {
    public var comments: [Comment]
    /// Comments matching the listing as a whole, not just this page.
    public var total: Int
    /// Whether comments follow the last one of this page.
    public var hasMore: Bool

    public init(comments: [Comment], total: Int, hasMore: Bool) {
        self.comments = comments
        self.total = total
        self.hasMore = hasMore
    }
}

/// What changed for the public since a version (see `CommentStore.publicationChanges`).
public struct PublicationChanges: Sendable, Equatable {
    public var latest: Int64
    public var posts: [String: Int64]

    public init(latest: Int64, posts: [String: Int64]) {
        self.latest = latest
        self.posts = posts
    }
}
