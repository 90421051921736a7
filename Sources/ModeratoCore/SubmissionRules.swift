import Foundation

/// Every rule a valid submission must pass once the store has looked up what it knows about it,
/// decided in one pure function, so that every engine applies them the same way: the store fetches
/// `SubmissionFacts` inside its transaction, `decide` answers, the store writes the answer.
public struct SubmissionRules: Sendable, Equatable {
    public var policy: ModerationPolicy
    /// Deepest reply level (top level is 1); deeper replies attach to an allowed ancestor.
    public var maxDepth: Int
    /// Minimum seconds between two comments of one client (IP hash) or one email hash; 0 is off.
    public var floodSeconds: Int
    /// Which outcomes the moderator hears about, and how: a decision carries its channels, and
    /// the store writes the notification with the comment.
    public var notifications: NotificationPlan

    public init(policy: ModerationPolicy, maxDepth: Int = 5, floodSeconds: Int = 0, notifications: NotificationPlan = .none) {
        self.policy = policy
        self.maxDepth = maxDepth
        self.floodSeconds = floodSeconds
        self.notifications = notifications
    }

    /// In order: the post is open → the parent is an approved comment of the post → not a
    /// duplicate → not within the flood gap → the policy picks the status (and with it, whether
    /// the moderator is told).
    public func decide(_ draft: CommentDraft, facts: SubmissionFacts, now: Date) -> Result<SubmissionDecision, SubmissionRefusal> {
        if facts.isPostClosed { return .failure(.postClosed) }
        var parent: Int64?
        if draft.parent != nil {
            guard let ancestry = facts.parentAncestry else { return .failure(.parentNotFound) }
            parent = attachmentPoint(ancestry: ancestry)
        }
        if facts.isDuplicate { return .failure(.duplicate) }
        if let wait = floodWait(latest: facts.latestInFloodWindow, now: now) { return .failure(.flood(retryAfter: wait)) }
        let verdict = policy.verdict(draft, standing: facts.standing)
        return .success(
            SubmissionDecision(
                status: verdict.status, parent: parent, reason: verdict.reason, notify: notifications.channels(for: verdict.status)))
    }

    /// Where a reply is attached: its parent, unless that would nest it deeper than `maxDepth`
    /// (top level is depth 1), in which case the deepest ancestor that keeps it within the limit.
    /// `ancestry` lists the parent first, then each ancestor up to the top level. The duplicate
    /// rule compares against this attachment point, so a store asks for it before that fact.
    public func attachmentPoint(ancestry: [Int64]) -> Int64? {
        let parentDepth = ancestry.count
        if parentDepth + 1 <= maxDepth { return ancestry.first }
        let wantedParentDepth = maxDepth - 1
        guard wantedParentDepth >= 1 else { return nil }
        return ancestry[parentDepth - wantedParentDepth]
    }

    /// Comments created after this moment count for the flood gap; `nil` when the rule is off.
    public func floodWindowStart(now: Date) -> Date? {
        floodSeconds > 0 ? now.addingTimeInterval(-Double(floodSeconds)) : nil
    }

    /// Whole seconds left before the same person may comment again (WordPress's rule: a minimum
    /// gap between two comments), or `nil` when the latest comment is old enough.
    public func floodWait(latest: Date?, now: Date) -> Int? {
        guard floodSeconds > 0, let latest, latest > now.addingTimeInterval(-Double(floodSeconds)) else { return nil }
        // Stored times keep milliseconds, so allow one for rounding before counting whole seconds.
        return max(1, Int((latest.timeIntervalSince(now) + Double(floodSeconds) - 0.001).rounded(.up)))
    }
}

/// What a store knows about a submission, read in the transaction that will store it.
public struct SubmissionFacts: Sendable, Equatable {
    public var isPostClosed: Bool
    /// For a reply: the ids from the parent up to its top-level ancestor, when the parent is an
    /// approved comment of the same post; `nil` otherwise. Ignored for a top-level comment.
    public var parentAncestry: [Int64]?
    /// A comment not in the trash has the same post, attachment point, email hash and body.
    public var isDuplicate: Bool
    /// The newest comment of the same email hash or client (IP hash) since `floodWindowStart`.
    public var latestInFloodWindow: Date?
    public var standing: AuthorStanding

    public init(
        isPostClosed: Bool, parentAncestry: [Int64]?, isDuplicate: Bool, latestInFloodWindow: Date?, standing: AuthorStanding
    ) {
        self.isPostClosed = isPostClosed
        self.parentAncestry = parentAncestry
        self.isDuplicate = isDuplicate
        self.latestInFloodWindow = latestInFloodWindow
        self.standing = standing
    }
}

/// What becomes of an accepted submission.
public struct SubmissionDecision: Sendable, Equatable {
    public var status: CommentStatus
    /// The comment it is attached to (see `SubmissionRules.attachmentPoint`), or `nil`.
    public var parent: Int64?
    /// Why it was held or marked as spam; stored with the comment.
    public var reason: ModerationReason?
    /// The channels the new comment is reported on; empty when the moderator is not told.
    public var notify: [NotificationChannel]

    public init(status: CommentStatus, parent: Int64?, reason: ModerationReason? = nil, notify: [NotificationChannel] = []) {
        self.status = status
        self.parent = parent
        self.reason = reason
        self.notify = notify
    }
}
