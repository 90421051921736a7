import ModeratoCore

/// Persistence of comments, posts and moderation, independent of the database behind it.
///
/// `SQLiteCommentStore` is the embedded implementation; a PostgreSQL one would conform to the same
/// protocol so the server and CLI need not change.
public protocol CommentStore: Sendable {
    /// Checks the post, parent, duplicates and the author's standing, lets `policy` pick the status
    /// and inserts the comment, all in one transaction. Returns only once the comment is durable.
    func submit(
        _ draft: CommentDraft, policy: ModerationPolicy, maxDepth: Int
    ) async throws -> Result<Comment, SubmissionRefusal>

    /// Any comment by id, whatever its status; `nil` when there is none.
    func comment(id: Int64) async throws -> Comment?

    /// Opens or closes a post for new comments (creating its row if needed).
    func setPostClosed(_ post: String, closed: Bool) async throws

    /// Succeeds when the database answers a read.
    func checkHealth() async throws

    // MARK: Public reads (approved comments only)

    /// One page of a post's approved comments, oldest first, after `afterID` (keyset pagination).
    func approvedThread(post: String, afterID: Int64?, limit: Int) async throws -> ThreadPage

    /// Approved comments per post, in one query; posts without any are absent.
    func approvedCounts(posts: [String]) async throws -> [String: Int]

    /// The newest approved comments, newest first, site-wide or of one post.
    func latestApproved(post: String?, limit: Int) async throws -> [Comment]

    /// Posts whose public content changed after `version`, with their new versions, and the
    /// highest version in the database.
    func publicationChanges(since version: Int64) async throws -> PublicationChanges
}

/// A page of a thread listing.
public struct ThreadPage: Sendable, Equatable {
    public var comments: [Comment]
    /// Approved comments of the whole post, not just this page.
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
