import GRDB
import ModeratoCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension SQLiteCommentStore {
    /// Goes through the `SubmissionBatcher`: concurrent submissions share one durable commit.
    public func submit(_ draft: CommentDraft, rules: SubmissionRules) async throws -> Result<Comment, SubmissionRefusal> {
        try await batcher.submit(draft, rules: rules, now: clock())
    }

    /// The whole submission rule set against the database: facts, decision and insert in one
    /// transaction, so two racing submissions cannot both pass the duplicate check.
    static func submit(
        _ draft: CommentDraft, rules: SubmissionRules, now: Date, in db: Database
    ) throws -> Result<Comment, SubmissionRefusal> {
        if try Bool.fetchOne(db, sql: "SELECT closed FROM posts WHERE post = ?", arguments: [draft.post]) == true {
            return .failure(.postClosed)
        }

        var parent: Int64?
        if let parentID = draft.parent {
            guard let ancestry = try approvedAncestry(of: parentID, post: draft.post, in: db) else {
                return .failure(.parentNotFound)
            }
            parent = attachmentPoint(ancestry: ancestry, maxDepth: rules.maxDepth)
        }

        let isDuplicate = try Bool.fetchOne(
            db,
            sql: """
                SELECT EXISTS (SELECT 1 FROM comments
                WHERE email_hash = ? AND post = ? AND parent IS ? AND body = ? AND status <> 'trash')
                """,
            arguments: [draft.emailHash, draft.post, parent, draft.body]
        ) ?? false
        if isDuplicate { return .failure(.duplicate) }

        if rules.floodSeconds > 0, let wait = try floodWait(for: draft, seconds: rules.floodSeconds, now: now, in: db) {
            return .failure(.flood(retryAfter: wait))
        }

        let standing = AuthorStanding(
            hasApprovedComment: try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM comments WHERE email_hash = ? AND status = 'approved')",
                arguments: [draft.emailHash]
            ) ?? false,
            isBlocked: try Bool.fetchOne(
                db,
                sql: """
                    SELECT EXISTS (SELECT 1 FROM blocked_identities
                    WHERE (kind = 'email' AND hash = ?) OR (kind = 'ip' AND hash = ?))
                    """,
                arguments: [draft.emailHash, draft.ipHash]
            ) ?? false
        )
        let status = rules.policy.decide(draft, standing: standing)

        try ensurePost(draft.post, now: now, in: db)
        var record = CommentRecord(
            id: nil, post: draft.post, parent: parent, status: status.rawValue, author: draft.author,
            url: draft.url, emailHash: draft.emailHash, ipHash: draft.ipHash, body: draft.body,
            createdAt: now, updatedAt: now, moderatedAt: nil
        )
        try record.insert(db)
        if status == .approved {
            try bumpVersion(of: draft.post, in: db)
        }
        // Read back so the caller sees exactly what is stored (dates keep milliseconds in SQLite).
        let stored = try CommentRecord.fetchOne(db, key: record.id) ?? record
        return .success(stored.comment)
    }

    /// Seconds left before this client (IP hash) or this email hash may comment again, or `nil`.
    /// WordPress's rule: a minimum gap between two comments of the same person.
    private static func floodWait(for draft: CommentDraft, seconds: Int, now: Date, in db: Database) throws -> Int? {
        let since = now.addingTimeInterval(-Double(seconds))
        var latest = try Date.fetchOne(
            db, sql: "SELECT MAX(created_at) FROM comments WHERE email_hash = ? AND created_at > ?", arguments: [draft.emailHash, since]
        )
        if let ipHash = draft.ipHash, let byClient = try Date.fetchOne(
            db, sql: "SELECT MAX(created_at) FROM comments WHERE ip_hash = ? AND created_at > ?", arguments: [ipHash, since]
        ) {
            latest = max(latest ?? byClient, byClient)
        }
        guard let latest else { return nil }
        // Stored times keep milliseconds, so allow one for rounding before counting whole seconds.
        return max(1, Int((latest.timeIntervalSince(now) + Double(seconds) - 0.001).rounded(.up)))
    }

    /// The ids from `parentID` up to its top-level ancestor, when `parentID` is an approved comment
    /// of `post`; `nil` otherwise.
    private static func approvedAncestry(of parentID: Int64, post: String, in db: Database) throws -> [Int64]? {
        guard let parent = try Row.fetchOne(
            db, sql: "SELECT post, status, parent FROM comments WHERE id = ?", arguments: [parentID]
        ), parent["post"] as String == post, parent["status"] as String == CommentStatus.approved.rawValue
        else { return nil }
        var chain: [Int64] = [parentID]
        var next: Int64? = parent["parent"]
        // Ids only ever point to older comments, so this ends; the bound is a guard against a
        // hand-edited database.
        while let id = next, chain.count < 10_000 {
            chain.append(id)
            next = try Int64.fetchOne(db, sql: "SELECT parent FROM comments WHERE id = ?", arguments: [id])
        }
        return chain
    }

    /// Where a reply is attached: its parent, unless that would nest it deeper than `maxDepth`
    /// (top level is depth 1), in which case the deepest ancestor that keeps it within the limit.
    static func attachmentPoint(ancestry: [Int64], maxDepth: Int) -> Int64? {
        let parentDepth = ancestry.count
        if parentDepth + 1 <= maxDepth { return ancestry.first }
        let wantedParentDepth = maxDepth - 1
        guard wantedParentDepth >= 1 else { return nil }
        return ancestry[parentDepth - wantedParentDepth]
    }
}
