import Foundation
import ModeratoCore
import PostgresNIO

extension PostgreSQLCommentStore {
    /// One transaction per submission; PostgreSQL's group commit lets concurrent ones share a
    /// flush. Servers racing on the same author or client wait for each other (advisory locks,
    /// taken before any fact is read), so the flood gap and the duplicate rule hold site-wide.
    func submit(_ draft: CommentDraft, rules: SubmissionRules) async throws -> Result<Comment, SubmissionRefusal> {
        let now = clock()
        let (outcome, changed) = try await transaction { session -> (Result<Comment, SubmissionRefusal>, PublicationChanges) in
            try await Self.lockAuthor(of: draft, floodGap: rules.floodWindowStart(now: now) != nil, in: session)
            let facts = try await SubmissionFactsQuery(draft: draft, rules: rules, now: now, session: session).facts()
            let decision: SubmissionDecision
            switch rules.decide(draft, facts: facts, now: now) {
            case .failure(let refusal): return (.failure(refusal), .none)
            case .success(let decided): decision = decided
            }
            let publishing = decision.status == .approved
            if publishing { try await Self.lockPublication(in: session) }
            try await Self.ensurePost(draft.post, now: now, in: session)
            let time = StoredTime(now)
            let rows = try await session.rows(
                """
                INSERT INTO comments (post, parent, status, author, url, email_hash, ip_hash, body, created_at, updated_at,
                    reason_code, reason_detail)
                VALUES (\(draft.post.text), \(decision.parent), \(decision.status.rawValue), \(draft.author), \(draft.url),
                    \(draft.emailHash), \(draft.ipHash), \(draft.body), \(time), \(time),
                    \(decision.reason?.code.rawValue), \(decision.reason?.detail))
                RETURNING \(unescaped: Self.commentColumns)
                """)
            guard let row = rows.first else { throw PostgreSQLRowError.unknownStatus("(no row inserted)") }
            let comment = try Self.comment(row)
            if !decision.notify.isEmpty {
                try await Self.writeNotification(
                    commentID: comment.id, status: decision.status, channels: decision.notify, now: now, in: session)
            }
            let changes = publishing ? try await Self.bumpVersion(of: draft.post, in: session) : .none
            return (.success(comment), changes)
        }
        // Committed (synchronous_commit = on): durable, and the caches learn of it first.
        changes.publish(changed)
        return outcome
    }

    /// Serialises submissions by the same email hash (the duplicate rule and the flood gap) or,
    /// while the flood gap is on, the same client, whichever server takes them: the second waits
    /// until the first committed, then reads facts that include it. With the gap off nothing is
    /// decided per client, so comments from one address (a school, an office behind one NAT) still
    /// share commits. Email before client, always, so two submissions never wait on each other
    /// in a circle.
    static func lockAuthor(of draft: CommentDraft, floodGap: Bool, in session: PostgreSQLSession) async throws {
        if floodGap, let ipHash = draft.ipHash {
            try await session.rows(
                """
                SELECT pg_advisory_xact_lock(\(LockClass.email.rawValue), hashtext(\(draft.emailHash))),
                    pg_advisory_xact_lock(\(LockClass.client.rawValue), hashtext(\(ipHash)))
                """)
        } else {
            try await session.rows(
                "SELECT pg_advisory_xact_lock(\(LockClass.email.rawValue), hashtext(\(draft.emailHash)))")
        }
    }
}

/// The reads behind `SubmissionFacts`, in the submission's transaction, after its locks.
private struct SubmissionFactsQuery {
    let draft: CommentDraft
    let rules: SubmissionRules
    let now: Date
    let session: PostgreSQLSession

    func facts() async throws -> SubmissionFacts {
        let ancestry = try await draft.parent.asyncFlatMap(approvedAncestry(of:))
        // The duplicate rule compares against where the reply will be attached.
        let parent = ancestry.flatMap(rules.attachmentPoint(ancestry:))
        let since = rules.floodWindowStart(now: now).map { StoredTime($0) }
        let rows = try await session.rows(
            """
            SELECT
                COALESCE((SELECT closed FROM posts WHERE post = \(draft.post.text)), false),
                EXISTS (SELECT 1 FROM comments WHERE email_hash = \(draft.emailHash) AND post = \(draft.post.text)
                    AND parent IS NOT DISTINCT FROM \(parent) AND body = \(draft.body) AND status <> 'trash'),
                (SELECT max(created_at) FROM comments WHERE email_hash = \(draft.emailHash) AND created_at > \(since)),
                (SELECT max(created_at) FROM comments WHERE ip_hash = \(draft.ipHash) AND created_at > \(since)),
                EXISTS (SELECT 1 FROM comments WHERE email_hash = \(draft.emailHash) AND status = 'approved'),
                EXISTS (SELECT 1 FROM blocked_identities
                    WHERE (kind = 'email' AND hash = \(draft.emailHash)) OR (kind = 'ip' AND hash = \(draft.ipHash)))
            """)
        guard let row = rows.first else { throw PostgreSQLRowError.unknownStatus("(no facts)") }
        let (closed, duplicate, byEmail, byClient, approvedBefore, blocked) = try row.decode((Bool, Bool, Date?, Date?, Bool, Bool).self)
        let latest = [byEmail, byClient].compactMap { $0 }.max()
        return SubmissionFacts(
            isPostClosed: closed, parentAncestry: ancestry, isDuplicate: duplicate, latestInFloodWindow: latest,
            standing: AuthorStanding(hasApprovedComment: approvedBefore, isBlocked: blocked))
    }

    /// The ids from `parentID` up to its top-level ancestor, when `parentID` is an approved comment
    /// of the draft's post; `nil` otherwise.
    private func approvedAncestry(of parentID: Int64) async throws -> [Int64]? {
        // Ids only ever point to older comments, so the walk ends; the bound guards against a
        // hand-edited database.
        let rows = try await session.rows(
            """
            WITH RECURSIVE chain (id, parent, depth) AS (
                SELECT id, parent, 1 FROM comments WHERE id = \(parentID) AND post = \(draft.post.text) AND status = 'approved'
                UNION ALL
                SELECT comments.id, comments.parent, chain.depth + 1 FROM comments JOIN chain ON comments.id = chain.parent
                WHERE chain.depth < 10000
            )
            SELECT id FROM chain ORDER BY depth
            """)
        let chain = try rows.map { try $0.decode(Int64.self) }
        return chain.isEmpty ? nil : chain
    }
}

extension Optional {
    /// `flatMap` for an async transform.
    fileprivate func asyncFlatMap<U>(_ transform: (Wrapped) async throws -> U?) async rethrows -> U? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
