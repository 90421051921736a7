import Foundation
import ModeratoCore
import PostgresNIO

extension PostgreSQLCommentStore {
    func moderationQueue(_ filter: QueueFilter) async throws -> CommentPage {
        let post = filter.post?.text
        let status = filter.status?.rawValue
        // Totals come from the trigger-maintained counters: constant cost at any size.
        let total: PostgresQuery =
            switch (status, post) {
            case (let status?, let post?):
                "SELECT COALESCE(SUM(count), 0)::bigint FROM comment_counts WHERE post = \(post) AND status = \(status)"
            case (let status?, nil): "SELECT COALESCE(SUM(count), 0)::bigint FROM status_counts WHERE status = \(status)"
            case (nil, let post?): "SELECT COALESCE(SUM(count), 0)::bigint FROM comment_counts WHERE post = \(post)"
            case (nil, nil): "SELECT COALESCE(SUM(count), 0)::bigint FROM status_counts"
            }
        let cursor = filter.cursorID
        let newestFirst = filter.newestFirst
        let page: PostgresQuery = """
            SELECT \(unescaped: Self.commentColumns) FROM comments
            WHERE (\(status)::text IS NULL OR status = \(status)) AND (\(post)::text IS NULL OR post = \(post))
                AND (\(cursor)::bigint IS NULL OR (CASE WHEN \(newestFirst) THEN id < \(cursor) ELSE id > \(cursor) END))
            ORDER BY \(unescaped: newestFirst ? "id DESC" : "id") LIMIT \(filter.limit + 1)
            """
        // The two reads in one transaction, so the total matches the page.
        let (comments, count) = try await transaction(snapshot: true) { session in
            let comments = try await session.rows(page).map(Self.comment)
            let count = try await session.rows(total).first?.decode(Int64.self) ?? 0
            return (comments, count)
        }
        var shown = comments
        let hasMore = shown.count > filter.limit
        if hasMore { shown.removeLast() }
        return CommentPage(comments: shown, total: Int(count), hasMore: hasMore)
    }

    func moderate(_ change: ModerationChange) async throws -> ModerationOutcome {
        let now = clock()
        let (outcome, changed) = try await transaction { session -> (ModerationOutcome, PublicationChanges) in
            try await Self.lockPublication(in: session)
            // FOR UPDATE: the row is locked from this read to the commit, so no other server or
            // process changes the status between this check and the update.
            let rows = try await session.rows("SELECT \(unescaped: Self.commentColumns) FROM comments WHERE id = \(change.id) FOR UPDATE")
            guard let current = try rows.first.map(Self.comment) else { return (.notFound, .none) }
            if let expected = change.expectedStatus, current.status != expected {
                let last = try await session.rows(
                    """
                    SELECT comment_id, action, from_status, to_status, actor, created_at FROM moderation_log
                    WHERE comment_id = \(change.id) ORDER BY id DESC LIMIT 1
                    """
                ).first.map(Self.entry)
                return (.alreadyChanged(current, lastChange: last), .none)
            }
            let (comment, changed) = try await Self.apply(
                change.action, to: current, reason: change.reason, actor: change.actor, now: now, in: session)
            return (.moderated(comment), changed)
        }
        changes.publish(changed)
        return outcome
    }

    /// Moves a comment to the action's status, sets its reason and logs it, inside the caller's
    /// transaction (which holds the publication lock and the comment's row): the one way every
    /// moderation (CLI, API, review, one-click link) is written.
    static func apply(
        _ action: ModerationAction, to current: Comment, reason: ModerationChange.ReasonChange = .byAction, actor: String,
        now: Date, in session: PostgreSQLSession
    ) async throws -> (Comment, PublicationChanges) {
        let status = action.targetStatus
        let newReason = reason.resolved(for: action, after: current.reason, actor: actor)
        let time = StoredTime(now)
        let rows = try await session.rows(
            """
            UPDATE comments SET status = \(status.rawValue), updated_at = \(time), moderated_at = \(time),
                reason_code = \(newReason?.code.rawValue), reason_detail = \(newReason?.detail)
            WHERE id = \(current.id)
            RETURNING \(unescaped: Self.commentColumns)
            """)
        guard let comment = try rows.first.map(Self.comment) else { throw PostgreSQLRowError.unknownStatus("(comment gone)") }
        try await log(
            commentID: current.id, action: action.rawValue, from: current.status, to: status, actor: actor, now: now, in: session)
        let changed =
            current.status == .approved || status == .approved
            ? try await bumpVersion(of: PostKey(stored: current.post), in: session) : .none
        return (comment, changed)
    }

    /// A row of `moderation_log` (comment_id, action, from_status, to_status, actor, created_at).
    static func entry(_ row: PostgresRow) throws -> ModerationEntry {
        let (commentID, action, from, to, actor, at) = try row.decode((Int64, String, String?, String?, String, Date).self)
        return ModerationEntry(
            commentID: commentID, action: action, fromStatus: from.flatMap(CommentStatus.init(rawValue:)),
            toStatus: to.flatMap(CommentStatus.init(rawValue:)), actor: actor, at: at)
    }

    func authorHistory(emailHash: String) async throws -> [CommentStatus: Int] {
        var counts = Self.zeroCounts
        // Through comments_by_email_hash: one author's comments, however many there are in all.
        for row in try await rows("SELECT status, COUNT(*) FROM comments WHERE email_hash = \(emailHash) GROUP BY status") {
            let (status, count) = try row.decode((String, Int64).self)
            if let status = CommentStatus(rawValue: status) { counts[status, default: 0] += Int(count) }
        }
        return counts
    }

    func delete(id: Int64, actor: String) async throws -> Bool {
        let now = clock()
        let changed = try await transaction { session -> PublicationChanges? in
            try await Self.lockPublication(in: session)
            return try await Self.purge(id: id, action: "delete", actor: actor, now: now, in: session)
        }
        guard let changed else { return false }
        changes.publish(changed)
        return true
    }

    func setPostClosed(_ post: PostKey, closed: Bool) async throws {
        let now = clock()
        let changed = try await transaction { session in
            try await Self.lockPublication(in: session)
            let time = StoredTime(now)
            try await session.rows(
                """
                INSERT INTO posts (post, closed, version, created_at, updated_at) VALUES (\(post.text), \(closed), 0, \(time), \(time))
                ON CONFLICT (post) DO UPDATE SET closed = excluded.closed, updated_at = excluded.updated_at
                """)
            // Pages that show the form (the demo) change with it.
            return try await Self.bumpVersion(of: post, in: session)
        }
        changes.publish(changed)
    }

    func statusCounts(post: PostKey?) async throws -> [CommentStatus: Int] {
        let rows =
            if let post {
                try await self.rows("SELECT status, count FROM comment_counts WHERE post = \(post.text)")
            } else {
                try await self.rows("SELECT status, count FROM status_counts")
            }
        var counts = Self.zeroCounts
        for row in rows {
            let (status, count) = try row.decode((String, Int64).self)
            if let status = CommentStatus(rawValue: status) { counts[status, default: 0] += Int(count) }
        }
        return counts
    }

    func posts() async throws -> [PostSummary] {
        let rows = try await self.rows(
            """
            SELECT posts.post, posts.closed, comment_counts.status, comment_counts.count,
                (SELECT max(created_at) FROM comments WHERE comments.post = posts.post) AS last
            FROM posts LEFT JOIN comment_counts ON comment_counts.post = posts.post
            ORDER BY posts.post
            """)
        var summaries: [PostSummary] = []
        for row in rows {
            let (text, closed, status, count, last) = try row.decode((String, Bool, String?, Int64?, Date?).self)
            let post = PostKey(stored: text)
            if summaries.last?.post.text != text {
                summaries.append(PostSummary(post: post, closed: closed, counts: Self.zeroCounts, lastCommentAt: last))
            }
            if let status = status.flatMap(CommentStatus.init(rawValue:)), let count {
                summaries[summaries.count - 1].counts[status, default: 0] += Int(count)
            }
        }
        return summaries
    }

    func history(of id: Int64) async throws -> [ModerationEntry] {
        try await rows(
            "SELECT comment_id, action, from_status, to_status, actor, created_at FROM moderation_log WHERE comment_id = \(id) ORDER BY id"
        ).map(Self.entry)
    }

    func auditCounts() async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for row in try await rows("SELECT action, COUNT(*) FROM moderation_log GROUP BY action") {
            let (action, count) = try row.decode((String, Int64).self)
            counts[action, default: 0] += Int(count)
        }
        return counts
    }

    func blockEmail(hash: String) async throws -> Bool {
        let rows = try await self.rows(
            """
            INSERT INTO blocked_identities (kind, hash, created_at) VALUES ('email', \(hash), \(StoredTime(clock())))
            ON CONFLICT DO NOTHING RETURNING hash
            """)
        return !rows.isEmpty
    }

    func forgetEmail(hash: String, actor: String) async throws -> Int {
        let now = clock()
        let (count, changed) = try await transaction { session -> (Int, PublicationChanges) in
            try await Self.lockPublication(in: session)
            let ids = try await session.rows(
                "SELECT id FROM comments WHERE email_hash = \(hash) ORDER BY id FOR UPDATE"
            ).map { try $0.decode(Int64.self) }
            var changed = PublicationChanges.none
            for id in ids {
                if let purged = try await Self.purge(id: id, action: "forget", actor: actor, now: now, in: session) {
                    changed = changed.merged(with: purged)
                }
            }
            return (ids.count, changed)
        }
        changes.publish(changed)
        return count
    }

    /// Deletes a comment after moving its replies up to its parent, logs it and refreshes the
    /// post; `nil` when there is no such comment. The caller holds the publication lock.
    ///
    /// Erasure: the row is gone for every reader at once; PostgreSQL reclaims the dead tuple's
    /// space at its next vacuum and never writes it to a new `pg_dump`. Backups already taken and
    /// archived WAL keep it until they are rotated away (deploy/README.md says so).
    static func purge(
        id: Int64, action: String, actor: String, now: Date, in session: PostgreSQLSession
    ) async throws -> PublicationChanges? {
        let rows = try await session.rows(
            "SELECT status, post, parent FROM comments WHERE id = \(id) FOR UPDATE")
        guard let (status, post, parent) = try rows.first?.decode((String, String, Int64?).self) else { return nil }
        try await session.rows("UPDATE comments SET parent = \(parent) WHERE parent = \(id)")
        try await session.rows("DELETE FROM comments WHERE id = \(id)")
        // Its notifications go too, sent or not: nothing is sent about a comment that is gone.
        try await session.rows("DELETE FROM notification_events WHERE comment_id = \(id)")
        try await log(
            commentID: id, action: action, from: CommentStatus(rawValue: status), to: nil, actor: actor, now: now, in: session)
        // Replies may have moved even when the comment itself was not public.
        return try await bumpVersion(of: PostKey(stored: post), in: session)
    }
}
