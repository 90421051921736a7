/// Where a moderator hears about comments: a webhook, and mail through sendmail.
public enum NotificationChannel: String, Sendable, CaseIterable, Codable, Hashable {
    case webhook
    case email
}

/// Which outcomes of a submission are reported to the moderator, and on which channels
/// (`notify.events`, and the channels that are configured). Part of `SubmissionRules`, so the
/// store writes the notification in the transaction that stores the comment.
public struct NotificationPlan: Sendable, Equatable {
    /// `pending`, `approved`, `spam`: the statuses a new comment is reported in.
    public var outcomes: Set<CommentStatus>
    public var channels: [NotificationChannel]

    public init(outcomes: Set<CommentStatus>, channels: [NotificationChannel]) {
        self.outcomes = outcomes
        self.channels = channels
    }

    /// Nothing is reported (no channel configured).
    public static let none = NotificationPlan(outcomes: [], channels: [])

    /// The channels a new comment stored with `status` is reported on; empty for none.
    public func channels(for status: CommentStatus) -> [NotificationChannel] {
        outcomes.contains(status) ? channels : []
    }
}

/// When to try a failed delivery again: about 2 seconds after the first failure, doubling each
/// time, never more than an hour apart, and not after `maxAttempts` attempts in all.
public struct RetrySchedule: Sendable, Equatable {
    public var firstDelay: Double
    public var maxDelay: Double
    public var maxAttempts: Int

    public init(firstDelay: Double = 2, maxDelay: Double = 3600, maxAttempts: Int) {
        self.firstDelay = firstDelay
        self.maxDelay = maxDelay
        self.maxAttempts = maxAttempts
    }

    /// Seconds to wait after the `attempt`-th attempt (1-based) failed, or `nil` when that was the last.
    public func delay(afterAttempt attempt: Int) -> Double? {
        guard attempt < maxAttempts else { return nil }
        let doublings = min(max(attempt - 1, 0), 40)
        return min(firstDelay * Double(1 << doublings), maxDelay)
    }
}
