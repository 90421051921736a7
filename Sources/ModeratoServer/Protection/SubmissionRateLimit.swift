import Logging
import ModeratoStore

/// `limits.rate_per_minute`: what `SubmissionController` asks before reading a submission. Kept
/// in this process's memory (`RateLimiter`) when one server owns the data, or in the database
/// when the store offers a shared allowance (`SiteWideRateLimiter`), so several servers are one site.
protocol SubmissionRateLimit: Sendable {
    /// Records a submission by `client` if it is within the limit; otherwise the whole seconds
    /// until a slot frees (for `Retry-After`).
    func admit(_ client: UInt64) async -> Int?
}

extension RateLimiter: SubmissionRateLimit {}

/// The store's shared allowance, counted in the database by every server.
struct SiteWideRateLimiter: SubmissionRateLimit {
    let shared: any SharedSubmissionRate
    let limit: Int
    let logger: Logger

    func admit(_ client: UInt64) async -> Int? {
        do {
            return try await shared.admitSubmission(client: client, limit: limit, window: .seconds(60))
        } catch {
            // The database did not answer: the submission that follows will fail on its own
            // (503); refusing it here as "too many" would be a wrong reason.
            logger.warning("could not check the rate limit", metadata: ["error": "\(error)"])
            return nil
        }
    }
}

/// The limit for `store`: site-wide when the store can share it, else this process's own.
func submissionRateLimit(
    for store: any CommentStore, limit: Int, logger: Logger, now: @escaping @Sendable () -> ContinuousClock.Instant
) -> any SubmissionRateLimit {
    if let shared = store.sharedSubmissionRate {
        return SiteWideRateLimiter(shared: shared, limit: limit, logger: logger)
    }
    return RateLimiter(limit: limit, now: now)
}
