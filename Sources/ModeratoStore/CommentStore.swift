import Foundation
import ModeratoCore

// The store, split by who reads it. Each part says what it promises, never how an engine keeps
// the promise; `Tests/ModeratoStoreTests/Contract` checks every engine against these texts.

/// What the public pages, the API and the feeds read: approved comments only.
public protocol PublicCommentReading: Sendable {
    /// One page of a post's approved comments, oldest first, after `afterID` (keyset pagination).
    func approvedThread(post: PostKey, afterID: Int64?, limit: Int) async throws -> CommentPage

    /// Approved comments per post, in one query; posts without any are absent.
    func approvedCounts(posts: [PostKey]) async throws -> [PostKey: Int]

    /// The newest approved comments, newest first, site-wide or of one post.
    func latestApproved(post: PostKey?, limit: Int) async throws -> [Comment]

    /// Any comment by id, whatever its status; `nil` when there is none.
    func comment(id: Int64) async throws -> Comment?

    /// Whether a post is closed for comments (an unknown post is open).
    func isPostClosed(_ post: PostKey) async throws -> Bool
}

/// Where new comments go.
public protocol CommentSubmission: Sendable {
    /// Reads the facts `rules` needs (post, parent, duplicate, flood gap, author standing), lets
    /// `SubmissionRules.decide` answer and stores the comment, all in one transaction, so two
    /// racing submissions cannot both pass a rule. Returns only once the comment is durable.
    /// When the decision names notification channels, the event and one delivery per channel
    /// (see `NotificationOutbox`) are written in that same transaction.
    func submit(_ draft: CommentDraft, rules: SubmissionRules) async throws -> Result<Comment, SubmissionRefusal>
}

/// What a moderator does and sees. Each change is one transaction, recorded in the audit log.
public protocol CommentModeration: Sendable {
    /// Comments of any status, by id in the given order, after/before `cursorID`.
    func moderationQueue(_ filter: QueueFilter) async throws -> CommentPage

    /// Any comment by id, whatever its status; `nil` when there is none.
    func comment(id: Int64) async throws -> Comment?

    /// Applies a moderator's action, in one transaction with its audit entry. With an
    /// `expectedStatus` it is a compare-and-set: applied only when the comment still has that status,
    /// else nothing changes and the answer is the comment as it is now with the audit entry that
    /// last changed it — so two moderators (or a moderator and the API) deciding the same comment
    /// never both apply a decision. Sets the reason as `change.reason` says.
    func moderate(_ change: ModerationChange) async throws -> ModerationOutcome

    /// Purges a comment for good, moving its replies up to its parent; `false` when there is none.
    func delete(id: Int64, actor: String) async throws -> Bool

    /// Opens or closes a post for new comments (creating it if needed).
    func setPostClosed(_ post: PostKey, closed: Bool) async throws

    /// Comments per status, site-wide or of one post (every status present, zero when none).
    func statusCounts(post: PostKey?) async throws -> [CommentStatus: Int]

    /// Comments per status written with this email hash (every status present, zero when none):
    /// an author's history, without ever needing the address.
    func authorHistory(emailHash: String) async throws -> [CommentStatus: Int]

    /// Every post with its open/closed state and comment counts, by key.
    func posts() async throws -> [PostSummary]

    /// The moderation history of a comment, oldest first.
    func history(of id: Int64) async throws -> [ModerationEntry]

    /// Entries of the audit log per action.
    func auditCounts() async throws -> [String: Int]

    /// Future comments with this email hash are stored as spam. `false` when it was already blocked.
    func blockEmail(hash: String) async throws -> Bool

    /// Erases every comment with this email hash (replies move up), logs each erasure and leaves
    /// the erased text in no file the engine controls; returns how many.
    func forgetEmail(hash: String, actor: String) async throws -> Int
}

extension CommentModeration {
    /// Applies `action` from any status (the CLI verbs and the API); `nil` when there is no such comment.
    public func moderate(id: Int64, action: ModerationAction, actor: String) async throws -> Comment? {
        switch try await moderate(ModerationChange(id: id, action: action, actor: actor)) {
        case .moderated(let comment), .alreadyChanged(let comment, _): comment
        case .notFound: nil
        }
    }
}

/// A moderator's decision about one comment, as the CLI, the API and `moderato review` ask for it.
public struct ModerationChange: Sendable, Equatable {
    /// What becomes of the reason.
    public enum ReasonChange: Sendable, Equatable {
        /// As `ModerationAction.reason(after:actor:)` says: hold and spam set `moderator`.
        case byAction
        /// Exactly this one, as it was before an earlier change (an undo).
        case restore(ModerationReason?)

        /// The reason a comment carries once `action` has moved it from one carrying `previous`:
        /// the rule both engines write.
        public func resolved(for action: ModerationAction, after previous: ModerationReason?, actor: String) -> ModerationReason? {
            switch self {
            case .byAction: action.reason(after: previous, actor: actor)
            case .restore(let earlier): earlier
            }
        }
    }

    public var id: Int64
    public var action: ModerationAction
    /// `cli:$USER` or `token:NAME`, as recorded in the audit log.
    public var actor: String
    /// Apply only when the comment still has this status (what the moderator saw); `nil`: from any.
    public var expectedStatus: CommentStatus?
    public var reason: ReasonChange

    public init(
        id: Int64, action: ModerationAction, actor: String, expectedStatus: CommentStatus? = nil, reason: ReasonChange = .byAction
    ) {
        self.id = id
        self.action = action
        self.actor = actor
        self.expectedStatus = expectedStatus
        self.reason = reason
    }
}

/// What became of a `ModerationChange`.
public enum ModerationOutcome: Sendable, Equatable {
    /// Applied and logged: the comment as it is now.
    case moderated(Comment)
    /// Not applied: the comment no longer had the expected status. The comment as it is now, and
    /// the audit entry that last changed it (`nil` when none is logged).
    case alreadyChanged(Comment, lastChange: ModerationEntry?)
    /// There is no such comment (any more).
    case notFound
}

/// Bearer tokens of the moderation API: only SHA-256 hashes are stored.
public protocol ModerationTokens: Sendable {
    /// Stores a new token's hash under `name`; `false` when an active token has that name.
    func createToken(name: String, hash: String) async throws -> Bool

    func tokens() async throws -> [APIToken]

    /// Revokes the token; `false` when there is no active token by that name.
    func revokeToken(name: String) async throws -> Bool

    /// Hashes of tokens that are not revoked, with their names and when each was last used.
    func activeTokenHashes() async throws -> [ActiveToken]

    /// Records that a token was just used (an engine may skip it when it was used within a minute).
    func touchToken(name: String) async throws
}

/// Which posts changed for the public, so caches can be dropped the moment they are stale.
public protocol PublicationChangeFeed: Sendable {
    /// Calls `observer` with the posts (and their new versions) of every write of this process that
    /// changed what the public sees, after it committed and before the write returns.
    func observeChanges(_ observer: @escaping @Sendable (PublicationChanges) -> Void)

    /// Posts whose public content changed after `version`, with their new versions, and the
    /// highest version. Versions come from one site-wide, monotonic source.
    func publicationChanges(since version: Int64) async throws -> PublicationChanges

    /// Until cancelled, reports writes made by other processes (the CLI, other servers) to the
    /// observers, by the engine's own mechanism, within about `interval`.
    func followOtherWriters(every interval: Duration) async throws
}

/// Whole-database operations, for the operator. An engine that cannot do one throws
/// `StoreError.unsupported` with what to use instead (e.g. `pg_dump`).
public protocol StoreMaintenance: Sendable {
    /// Applies pending schema migrations; returns their names (empty when up to date).
    func migrate() async throws -> [String]

    /// A consistent copy of the whole database at `path`, taken while others keep reading and
    /// writing; returns the number of comments copied.
    func backup(to path: String) async throws -> Int

    /// Every comment, oldest first, one at a time from one consistent snapshot (without loading
    /// them all into memory).
    func forEachComment(_ body: (Comment) throws -> Void) async throws

    /// Brings comments from another system in, all or nothing: `feed` hands records to the
    /// importer inside one transaction; if it throws (a file malformed halfway), nothing is kept.
    /// With `dryRun`, everything is checked and counted and nothing is kept either way.
    func importComments(dryRun: Bool, _ feed: (any CommentImporter) throws -> Void) async throws
}

/// What `StoreMaintenance.importComments` hands its feed: one write transaction's worth of posts
/// and comments from another system.
public protocol CommentImporter: AnyObject {
    /// Creates the post if needed, and closes it when `closed` (an import never reopens a post).
    func post(_ post: PostKey, closed: Bool) throws

    /// Stores the comment unless its source was imported before (then `false`). A reply's parent
    /// is the comment imported from `parentSourceID` in the same source post, when it is still there.
    func comment(_ comment: IncomingComment) throws -> Bool
}

/// A comment from another system, in the store's terms: hashes only, plain text, its source.
public struct IncomingComment: Sendable, Equatable {
    /// The system's name (`wordpress`, `disqus`, `isso`) and its ids of the post and the comment.
    public var system: String
    public var sourcePost: String
    public var sourceID: String
    public var parentSourceID: String?
    public var post: PostKey
    public var author: String
    public var url: String?
    /// `nil` when the source had no email: the comment is stored without a hash.
    public var emailHash: String?
    public var ipHash: String?
    public var createdAt: Date
    public var status: CommentStatus
    public var body: String

    public init(
        system: String, sourcePost: String, sourceID: String, parentSourceID: String?, post: PostKey, author: String,
        url: String?, emailHash: String?, ipHash: String?, createdAt: Date, status: CommentStatus, body: String
    ) {
        self.system = system
        self.sourcePost = sourcePost
        self.sourceID = sourceID
        self.parentSourceID = parentSourceID
        self.post = post
        self.author = author
        self.url = url
        self.emailHash = emailHash
        self.ipHash = ipHash
        self.createdAt = createdAt
        self.status = status
        self.body = body
    }
}

/// A per-client submission allowance that every server on the same database draws from, so the
/// rate limit holds for the site, not for each process.
public protocol SharedSubmissionRate: Sendable {
    /// Records a submission by `client` when fewer than `limit` were recorded within the last
    /// `window`; otherwise records nothing and returns the whole seconds until the oldest of them
    /// leaves the window (at least 1). Older entries are cleaned up as it goes.
    func admitSubmission(client: UInt64, limit: Int, window: Duration) async throws -> Int?
}

/// What `moderato copy` reads from one store and writes into another, table by table, the same
/// in every engine (`TransferTable.all` lists the tables and their columns).
public protocol StoreTransfer: Sendable {
    /// The rows of every table of `TransferTable.all`, by table name.
    func transferCounts() async throws -> [String: Int]

    /// Up to `limit` rows of `table` in the order of its key, after the row whose key is `after`
    /// (the first page when `nil`); each row holds the table's columns in order.
    func transferRows(of table: TransferTable, after: [TransferValue]?, limit: Int) async throws -> [[TransferValue]]

    /// Inserts rows exactly as given, ids included, in one transaction; counters kept by triggers
    /// follow.
    func insertTransferRows(_ rows: [[TransferValue]], into table: TransferTable) async throws

    /// The highest value each counter has handed out — the ids of each table with an identity
    /// column, and publication versions (`publication`) — even when that row is gone since.
    func transferCounters() async throws -> [String: Int64]

    /// Moves each counter to at least the given value, so new ids and versions never repeat one
    /// the copied install used.
    func advanceTransferCounters(to values: [String: Int64]) async throws
}

/// Everything a server or the CLI needs: every part above, plus health and shutdown.
/// Made by `StoreFactory.open`; nothing above the store names an engine.
public protocol CommentStore: PublicCommentReading, CommentSubmission, CommentModeration, ModerationTokens,
    PublicationChangeFeed, StoreMaintenance, NotificationOutbox, OneClickModeration, StoreTransfer
{
    /// Succeeds when the database answers a read (and whatever else the engine needs to serve).
    func checkHealth() async throws

    /// Finishes outstanding work and closes the database; the last thing a server does.
    func close() async throws

    /// The engine's site-wide submission rate limit when several servers may share its database;
    /// `nil` when one process owns the data and a limit kept in its memory is the whole truth.
    var sharedSubmissionRate: (any SharedSubmissionRate)? { get }
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

    public init(post: PostKey, closed: Bool, counts: [CommentStatus: Int], lastCommentAt: Date?) {
        self.post = post
        self.closed = closed
        self.counts = counts
        self.lastCommentAt = lastCommentAt
    }
}

/// One line of the audit log.
public struct ModerationEntry: Sendable, Equatable {
    public var commentID: Int64
    /// A `ModerationAction` verb, `delete` or `forget`.
    public var action: String
    public var fromStatus: CommentStatus?
    public var toStatus: CommentStatus?
    public var actor: String
    public var at: Date

    public init(commentID: Int64, action: String, fromStatus: CommentStatus?, toStatus: CommentStatus?, actor: String, at: Date) {
        self.commentID = commentID
        self.action = action
        self.fromStatus = fromStatus
        self.toStatus = toStatus
        self.actor = actor
        self.at = at
    }
}

/// A moderation API token as listed (never the token itself).
public struct APIToken: Sendable, Equatable {
    public var name: String
    public var createdAt: Date
    public var lastUsedAt: Date?
    public var revokedAt: Date?

    public init(name: String, createdAt: Date, lastUsedAt: Date?, revokedAt: Date?) {
        self.name = name
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
        self.revokedAt = revokedAt
    }
}

/// An active token's stored hash, for authentication.
public struct ActiveToken: Sendable, Equatable {
    public var name: String
    public var hash: String
    public var lastUsedAt: Date?

    public init(name: String, hash: String, lastUsedAt: Date?) {
        self.name = name
        self.hash = hash
        self.lastUsedAt = lastUsedAt
    }
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

/// What changed for the public: posts with their new versions, and the highest version.
public struct PublicationChanges: Sendable, Equatable {
    public var latest: Int64
    public var posts: [PostKey: Int64]

    public init(latest: Int64, posts: [PostKey: Int64]) {
        self.latest = latest
        self.posts = posts
    }
}

/// Failures of a store that are not its database's own errors.
public enum StoreError: Error, CustomStringConvertible, Equatable {
    /// A command expected an existing database.
    case notFound(String)
    case databaseFileMissing(String)
    case cannotCreate(String, String)
    /// The engine cannot do this; the text says what to use instead.
    case unsupported(String)
    /// The database server could not be reached or refused us: where (never the password) and why.
    case cannotConnect(String, String)
    /// `moderato copy` writes only into an empty database.
    case notEmpty(String)

    public var description: String {
        switch self {
        case .notFound(let location):
            "no database at \(location); start `moderato serve` once or run `moderato migrate` (or check database.path / database.url)"
        case .databaseFileMissing(let path): "the database file \(path) is gone"
        case .cannotCreate(let path, let reason): "cannot create the database file \(path): \(reason)"
        case .unsupported(let advice): advice
        case .cannotConnect(let server, let reason): "cannot connect to the database server \(server): \(reason)"
        case .notEmpty(let location): "\(location) is not empty; copy only into a new, empty database"
        }
    }
}
