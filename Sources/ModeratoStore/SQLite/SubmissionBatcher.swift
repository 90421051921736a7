import Foundation
import GRDB
import ModeratoCore

/// Group commit for submissions, the SQLite engine's own business: concurrent submissions are
/// gathered and written together in one `synchronous = FULL` transaction, and each caller resumes
/// when the batch holding its comment is durable.
///
/// There is never more than one batch in flight: while one is being committed (one fsync), the
/// next submissions queue up and go together in the following one. Each comment runs in its own
/// savepoint, so one failing insert fails only its own request, and later comments of a batch see
/// the earlier ones (a duplicate within a batch is still a duplicate).
actor SubmissionBatcher {
    typealias Outcome = Result<Comment, SubmissionRefusal>

    struct Job {
        var draft: CommentDraft
        var rules: SubmissionRules
        var now: Date
        var continuation: CheckedContinuation<Outcome, any Error>
    }

    private let pool: DatabasePool
    /// Told what the public sees differently once a batch committed, before any caller resumes.
    private let published: @Sendable (PublicationChanges) -> Void
    private var queue: [Job] = []
    private var isWriting = false
    /// Upper bound on one transaction, so a huge burst is committed in digestible pieces.
    static let maxBatch = 512

    init(pool: DatabasePool, published: @escaping @Sendable (PublicationChanges) -> Void) {
        self.pool = pool
        self.published = published
    }

    func submit(_ draft: CommentDraft, rules: SubmissionRules, now: Date) async throws -> Outcome {
        try await withCheckedThrowingContinuation { continuation in
            queue.append(Job(draft: draft, rules: rules, now: now, continuation: continuation))
            if !isWriting {
                isWriting = true
                Task { await self.drain() }
            }
        }
    }

    private func drain() async {
        while !queue.isEmpty {
            let batch = Array(queue.prefix(Self.maxBatch))
            queue.removeFirst(batch.count)
            await write(batch)
        }
        isWriting = false
    }

    private func write(_ batch: [Job]) async {
        let inputs = batch.map { ($0.draft, $0.rules, $0.now) }
        do {
            let (outcomes, changes) = try await pool.write { db -> ([Result<Outcome, any Error>], PublicationChanges) in
                var changes = PublicationChanges.none
                let outcomes = inputs.map { draft, rules, now -> Result<Outcome, any Error> in
                    var outcome: Result<Outcome, any Error> = .failure(CancellationError())
                    do {
                        try db.inSavepoint {
                            let stored = try SQLiteCommentStore.submit(draft, rules: rules, now: now, in: db)
                            outcome = .success(stored.outcome)
                            changes = changes.merged(with: stored.changes)
                            return .commit
                        }
                    } catch {
                        outcome = .failure(error)
                    }
                    return outcome
                }
                return (outcomes, changes)
            }
            // Committed: every comment in the batch is durable now, and caches learn of it first.
            published(changes)
            for (job, outcome) in zip(batch, outcomes) {
                job.continuation.resume(with: outcome)
            }
        } catch {
            // The transaction did not commit: nothing of the batch was stored or acknowledged.
            for job in batch {
                job.continuation.resume(throwing: error)
            }
        }
    }
}
