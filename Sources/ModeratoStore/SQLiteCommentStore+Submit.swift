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
        // The hot path of every submission: cached statements (prepared once per connection)
        // and explicit arguments instead of Codable records, which cost more than the SQL itself.
        if try Bool.fetchOne(db.cachedStatement(sql: "SELECT closed FROM posts WHERE post = ?"), arguments: [draft.post.text]) == true {
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
            db.cachedStatement(sql: """
                SELECT EXISTS (SELECT 1 FROM comments
                WHERE email_hash = ? AND post = ? AND parent IS ? AND body = ? AND status <> 'trash')
                """),
            arguments: [draft.emailHash, draft.post.text, parent, draft.body]
        ) ?? false
        if isDuplicate { return .failure(.duplicate) }

        if rules.floodSeconds > 0, let wait = try floodWait(for: draft, seconds: rules.floodSeconds, now: now, in: db) {
            return .failure(.flood(retryAfter: wait))
        }

        let standing = AuthorStanding(
            hasApprovedComment: try Bool.fetchOne(
                db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM comments WHERE email_hash = ? AND status = 'approved')"),
                arguments: [draft.emailHash]
            ) ?? false,
            isBlocked: try Bool.fetchOne(
                db.cachedStatement(sql: """
                    SELECT EXISTS (SELECT 1 FROM blocked_identities
                    WHERE (kind = 'email' AND hash = ?) OR (kind = 'ip' AND hash = ?))
                    """),
                arguments: [draft.emailHash, draft.ipHash]
            ) ?? false
        )
        let status = rules.policy.decide(draft, standing: standing)

        let timestamp = StoredTimestamp(now)
        try db.cachedStatement(sql: """
            INSERT INTO posts (post, closed, version, created_at, updated_at) VALUES (?, 0, 0, ?, ?)
            ON CONFLICT (post) DO NOTHING
            """).execute(arguments: [draft.post.text, timestamp.text, timestamp.text])
        try db.cachedStatement(sql: """
            INSERT INTO comments (post, parent, status, author, url, email_hash, ip_hash, body, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [
                draft.post.text, parent, status.rawValue, draft.author, draft.url, draft.emailHash, draft.ipHash, draft.body,
                timestamp.text, timestamp.text,
            ])
        let id = db.lastInsertedRowID
        if status == .approved {
            try bumpVersion(of: draft.post, in: db)
        }
        return .success(Comment(
            id: id, post: draft.post.text, parent: parent, status: status, author: draft.author, url: draft.url,
            emailHash: draft.emailHash, ipHash: draft.ipHash, body: draft.body,
            createdAt: timestamp.date, updatedAt: timestamp.date, moderatedAt: nil
        ))
    }

    /// Seconds left before this client (IP hash) or this email hash may comment again, or `nil`.
    /// WordPress's rule: a minimum gap between two comments of the same person.
    private static func floodWait(for draft: CommentDraft, seconds: Int, now: Date, in db: Database) throws -> Int? {
        let since = now.addingTimeInterval(-Double(seconds))
        let sinceText = StoredTimestamp(since).text
        var latest = try Date.fetchOne(
            db.cachedStatement(sql: "SELECT MAX(created_at) FROM comments WHERE email_hash = ? AND created_at > ?"),
            arguments: [draft.emailHash, sinceText]
        )
        if let ipHash = draft.ipHash, let byClient = try Date.fetchOne(
            db.cachedStatement(sql: "SELECT MAX(created_at) FROM comments WHERE ip_hash = ? AND created_at > ?"),
            arguments: [ipHash, sinceText]
        ) {
            latest = max(latest ?? byClient, byClient)
        }
        guard let latest else { return nil }
        // Stored times keep milliseconds, so allow one for rounding before counting whole seconds.
        return max(1, Int((latest.timeIntervalSince(now) + Double(seconds) - 0.001).rounded(.up)))
    }

    /// The ids from `parentID` up to its top-level ancestor, when `parentID` is an approved comment
    /// of `post`; `nil` otherwise.
    private static func approvedAncestry(of parentID: Int64, post: PostKey, in db: Database) throws -> [Int64]? {
        // Compared in SQL, byte for byte, as the post column is keyed.
        guard let parent = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT status, parent FROM comments WHERE id = ? AND post = ?"), arguments: [parentID, post.text]
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
