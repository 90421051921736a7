import Foundation
import ModeratoCore

// The notification outbox and one-click links, as the delivery service and the link pages read
// them. `CommentSubmission.submit` writes the events (when `SubmissionRules.notifications` says
// so) in the transaction that stores the comment; these parts read and settle them.

/// What the delivery service works through: notifications written with the comments they report,
/// one delivery per channel, each tried until delivered or out of attempts.
public protocol NotificationOutbox: Sendable {
    /// Takes up to `limit` deliveries of `channel` that are due at `now`, oldest first, counting
    /// an attempt for each and keeping them from being taken again (by this or any other process)
    /// until `lease` has passed: a delivery whose outcome is never recorded (the process died) is
    /// due again then. The comment is read with it; `nil` when it was deleted meanwhile.
    func claimDeliveries(channel: NotificationChannel, now: Date, lease: TimeInterval, limit: Int) async throws -> [OutboxDelivery]

    /// Records how an attempt ended.
    func settleDelivery(eventID: Int64, channel: NotificationChannel, outcome: DeliveryOutcome) async throws

    /// When the next pending delivery of `channel` is due (possibly already); `nil` when none is pending.
    func nextDeliveryDue(channel: NotificationChannel) async throws -> Date?

    /// Per channel: deliveries pending, delivered and failed, and the latest delivery.
    func deliverySummary() async throws -> [NotificationChannel: DeliverySummary]

    /// The newest deliveries that are not delivered (failed, or pending after a failed attempt),
    /// newest first: what `moderato notify status` shows.
    func undeliveredDeliveries(limit: Int) async throws -> [DeliveryRecord]

    /// Forgets deliveries finished before `finishedBefore` (and events left without any), and
    /// used links that expired before `linksExpiredBefore`. Returns how many rows went.
    func pruneNotifications(finishedBefore: Date, linksExpiredBefore: Date) async throws -> Int
}

/// What one-click links do: look, and act once.
public protocol OneClickModeration: Sendable {
    /// Any comment by id, whatever its status; `nil` when there is none.
    func comment(id: Int64) async throws -> Comment?

    /// Whether the link with this id has already acted.
    func isActionLinkUsed(_ linkID: String) async throws -> Bool

    /// In one transaction: unless the link was used, and if the comment still has `link.status`,
    /// applies `link.action`, records it in the audit log as `actor`, and marks the link used.
    func redeemActionLink(_ link: ActionLink, id linkID: String, actor: String) async throws -> LinkRedemption
}

/// A delivery taken from the outbox, with what its message needs.
public struct OutboxDelivery: Sendable, Equatable {
    public var eventID: Int64
    /// `webhook-id`: the same on every attempt.
    public var messageID: String
    public var channel: NotificationChannel
    /// The comment's status when the event was written (what the event reports).
    public var status: CommentStatus
    public var eventCreatedAt: Date
    /// This attempt's number, from 1.
    public var attempt: Int
    public var commentID: Int64
    /// The comment as it is now; `nil` when it was deleted or erased before delivery.
    public var comment: Comment?

    public init(
        eventID: Int64, messageID: String, channel: NotificationChannel, status: CommentStatus, eventCreatedAt: Date, attempt: Int,
        commentID: Int64, comment: Comment?
    ) {
        self.eventID = eventID
        self.messageID = messageID
        self.channel = channel
        self.status = status
        self.eventCreatedAt = eventCreatedAt
        self.attempt = attempt
        self.commentID = commentID
        self.comment = comment
    }
}

/// How an attempt ended.
public enum DeliveryOutcome: Sendable, Equatable {
    case delivered(at: Date)
    /// Failed; try again at `next`. `reason` is for the operator and holds no personal data.
    case retry(next: Date, reason: String)
    /// Failed for good (out of attempts, or nothing left to send).
    case failed(at: Date, reason: String)
}

/// A channel's deliveries at a glance.
public struct DeliverySummary: Sendable, Equatable {
    public var pending: Int
    public var delivered: Int
    public var failed: Int
    public var lastDeliveredAt: Date?

    public init(pending: Int = 0, delivered: Int = 0, failed: Int = 0, lastDeliveredAt: Date? = nil) {
        self.pending = pending
        self.delivered = delivered
        self.failed = failed
        self.lastDeliveredAt = lastDeliveredAt
    }
}

/// One delivery as the operator sees it.
public struct DeliveryRecord: Sendable, Equatable {
    public enum State: String, Sendable, Equatable, Codable {
        case pending, delivered, failed
    }

    public var eventID: Int64
    public var commentID: Int64
    public var channel: NotificationChannel
    public var state: State
    public var attempts: Int
    public var nextAttemptAt: Date?
    public var lastError: String?
    public var createdAt: Date

    public init(
        eventID: Int64, commentID: Int64, channel: NotificationChannel, state: State, attempts: Int, nextAttemptAt: Date?,
        lastError: String?, createdAt: Date
    ) {
        self.eventID = eventID
        self.commentID = commentID
        self.channel = channel
        self.state = state
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.lastError = lastError
        self.createdAt = createdAt
    }
}

/// What became of a one-click link's action.
public enum LinkRedemption: Sendable, Equatable {
    /// Done: the comment as it is now.
    case acted(Comment)
    /// The link has acted before.
    case alreadyUsed
    /// The comment's status is no longer the one the link was made for: someone decided since.
    case statusChanged(Comment)
    /// The comment is gone (deleted or erased).
    case noComment
}
