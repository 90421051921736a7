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
}
