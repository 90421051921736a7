import Foundation
import GRDB
import ModeratoCore

extension SQLiteCommentStore {
    /// Goes through the `SubmissionBatcher`: concurrent submissions share one durable commit.
    func submit(_ draft: CommentDraft, rules: SubmissionRules) async throws -> Result<Comment, SubmissionRefusal> {
        try await batcher.submit(draft, rules: rules, now: clock())
    }

    /// One submission inside a batch's transaction: the facts `SubmissionRules` needs, its
    /// decision, and the insert. Returns the outcome and what the public now sees differently.
    static func submit(
        _ draft: CommentDraft, rules: SubmissionRules, now: Date, in db: Database
    ) throws -> (outcome: Result<Comment, SubmissionRefusal>, changes: PublicationChanges) {
        let (facts, postExists) = try SubmissionFactsQuery(draft: draft, rules: rules, now: now, db: db).facts()
        let decision: SubmissionDecision
        switch rules.decide(draft, facts: facts, now: now) {
        case .failure(let refusal): return (.failure(refusal), .none)
        case .success(let decided): decision = decided
        }

        // The hot path of every submission: cached statements (prepared once per connection) and
        // explicit arguments instead of Codable records, which cost more than the SQL itself.
        let timestamp = StoredTimestamp(now)
        // The facts read the post's row: only a first comment on it needs one made.
        if !postExists { try ensurePost(draft.post, now: now, in: db) }
        try db.cachedStatement(
            sql: """
                INSERT INTO comments (post, parent, status, author, url, email_hash, ip_hash, body, created_at, updated_at,
                    reason_code, reason_detail)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [
            draft.post.text, decision.parent, decision.status.rawValue, draft.author, draft.url, draft.emailHash,
            draft.ipHash, draft.body, timestamp.text, timestamp.text, decision.reason?.code.rawValue, decision.reason?.detail,
        ])
        let comment = Comment(
            id: db.lastInsertedRowID, post: draft.post.text, parent: decision.parent, status: decision.status,
            author: draft.author, url: draft.url, emailHash: draft.emailHash, ipHash: draft.ipHash, body: draft.body,
            createdAt: timestamp.date, updatedAt: timestamp.date, moderatedAt: nil, reason: decision.reason
        )
        if !decision.notify.isEmpty {
            try writeNotification(commentID: comment.id, status: decision.status, channels: decision.notify, now: now, in: db)
        }
        let changes = decision.status == .approved ? try bumpVersion(of: draft.post, in: db) : .none
        return (.success(comment), changes)
    }
}

/// The reads behind `SubmissionFacts`, in the submission's transaction.
private struct SubmissionFactsQuery {
    let draft: CommentDraft
    let rules: SubmissionRules
    let now: Date
    let db: Database

    /// The facts, and whether the post has its row yet.
    func facts() throws -> (SubmissionFacts, postExists: Bool) {
        let ancestry = try draft.parent.flatMap(approvedAncestry(of:))
        // The duplicate rule compares against where the reply will be attached.
        let parent = ancestry.flatMap(rules.attachmentPoint(ancestry:))
        let closed = try Bool.fetchOne(db.cachedStatement(sql: "SELECT closed FROM posts WHERE post = ?"), arguments: [draft.post.text])
        let facts = SubmissionFacts(
            isPostClosed: closed ?? false,
            parentAncestry: ancestry,
            isDuplicate: try Bool.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT EXISTS (SELECT 1 FROM comments
                        WHERE email_hash = ? AND post = ? AND parent IS ? AND body = ? AND status <> 'trash')
                        """),
                arguments: [draft.emailHash, draft.post.text, parent, draft.body]
            ) ?? false,
            latestInFloodWindow: try latestInFloodWindow(),
            standing: AuthorStanding(
                hasApprovedComment: try Bool.fetchOne(
                    db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM comments WHERE email_hash = ? AND status = 'approved')"),
                    arguments: [draft.emailHash]
                ) ?? false,
                isBlocked: try Bool.fetchOne(
                    db.cachedStatement(
                        sql: """
                            SELECT EXISTS (SELECT 1 FROM blocked_identities
                            WHERE (kind = 'email' AND hash = ?) OR (kind = 'ip' AND hash = ?))
                            """),
                    arguments: [draft.emailHash, draft.ipHash]
                ) ?? false
            )
        )
        return (facts, closed != nil)
    }

    /// The newest comment of this email hash or this client within the flood window, through
    /// the email-hash and IP-hash indexes (each a short range at most).
    private func latestInFloodWindow() throws -> Date? {
        guard let start = rules.floodWindowStart(now: now) else { return nil }
        let since = StoredTimestamp(start).text
        let byEmail = try Date.fetchOne(
            db.cachedStatement(sql: "SELECT MAX(created_at) FROM comments WHERE email_hash = ? AND created_at > ?"),
            arguments: [draft.emailHash, since]
        )
        guard let ipHash = draft.ipHash,
            let byClient = try Date.fetchOne(
                db.cachedStatement(sql: "SELECT MAX(created_at) FROM comments WHERE ip_hash = ? AND created_at > ?"),
                arguments: [ipHash, since]
            )
        else { return byEmail }
        return max(byEmail ?? byClient, byClient)
    }

    /// The ids from `parentID` up to its top-level ancestor, when `parentID` is an approved comment
    /// of the draft's post; `nil` otherwise.
    private func approvedAncestry(of parentID: Int64) throws -> [Int64]? {
        // Compared in SQL, byte for byte, as the post column is keyed.
        guard
            let parent = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT status, parent FROM comments WHERE id = ? AND post = ?"),
                arguments: [parentID, draft.post.text]
            ), parent["status"] as String == CommentStatus.approved.rawValue
        else { return nil }
        var chain: [Int64] = [parentID]
        var next: Int64? = parent["parent"]
        // Ids only ever point to older comments, so this ends; the bound is a guard against a
        // hand-edited database.
        while let id = next, chain.count < 10_000 {
            chain.append(id)
            next = try Int64.fetchOne(db.cachedStatement(sql: "SELECT parent FROM comments WHERE id = ?"), arguments: [id])
        }
        return chain
    }
}
