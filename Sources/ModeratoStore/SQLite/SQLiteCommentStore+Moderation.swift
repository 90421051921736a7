import Foundation
import GRDB
import ModeratoCore

extension SQLiteCommentStore {
    func moderationQueue(_ filter: QueueFilter) async throws -> CommentPage {
        try await pool.read { db in
            var request = CommentRecord.all()
            if let status = filter.status {
                request = request.filter(CommentRecord.Columns.status == status)
            }
            let post = filter.post?.text
            if let post {
                request = request.filter(CommentRecord.Columns.post == post)
            }
            // Totals come from the trigger-maintained counters: constant cost at any size.
            let total: Int
            switch (filter.status, post) {
            case (let status?, let post?):
                total =
                    try Int.fetchOne(db, sql: "SELECT count FROM comment_counts WHERE post = ? AND status = ?", arguments: [post, status])
                    ?? 0
            case (let status?, nil):
                total = try Int.fetchOne(db, sql: "SELECT count FROM status_counts WHERE status = ?", arguments: [status]) ?? 0
            case (nil, let post?):
                total =
                    try Int.fetchOne(db, sql: "SELECT COALESCE(SUM(count), 0) FROM comment_counts WHERE post = ?", arguments: [post]) ?? 0
            case (nil, nil):
                total = try Int.fetchOne(db, sql: "SELECT COALESCE(SUM(count), 0) FROM status_counts") ?? 0
            }
            if let cursor = filter.cursorID {
                request = request.filter(filter.newestFirst ? CommentRecord.Columns.id < cursor : CommentRecord.Columns.id > cursor)
            }
            var records =
                try request
                .order(filter.newestFirst ? CommentRecord.Columns.id.desc : CommentRecord.Columns.id)
                .limit(filter.limit + 1)
                .fetchAll(db)
            let hasMore = records.count > filter.limit
            if hasMore { records.removeLast() }
            return CommentPage(comments: records.map(\.comment), total: total, hasMore: hasMore)
        }
    }

    func moderate(_ change: ModerationChange) async throws -> ModerationOutcome {
        let now = clock()
        let (outcome, changed) = try await pool.write { db -> (ModerationOutcome, PublicationChanges) in
            guard let record = try CommentRecord.fetchOne(db, key: change.id) else { return (.notFound, .none) }
            // GRDB opens writes as IMMEDIATE transactions: SQLite's write lock is held from before
            // this read, so no other connection or process can change the status between this
            // check and the update.
            if let expected = change.expectedStatus, record.status != expected {
                let last = try ModerationLogRecord.filter(Column("comment_id") == change.id).order(Column("id").desc).fetchOne(db)
                return (.alreadyChanged(record.comment, lastChange: last?.entry), .none)
            }
            let (comment, changed) = try Self.apply(
                change.action, to: record, reason: change.reason, actor: change.actor, now: now, in: db)
            return (.moderated(comment), changed)
        }
        changes.publish(changed)
        return outcome
    }

    /// Moves a comment to the action's status, sets its reason and logs it, inside the caller's
    /// transaction: the one way every moderation (CLI, API, review, one-click link) is written.
    static func apply(
        _ action: ModerationAction, to record: CommentRecord, reason: ModerationChange.ReasonChange = .byAction, actor: String,
        now: Date, in db: Database
    ) throws -> (Comment, PublicationChanges) {
        var record = record
        let from = record.status
        let status = action.targetStatus
        record.status = status
        record.updatedAt = now
        record.moderatedAt = now
        record.reason = reason.resolved(for: action, after: record.reason, actor: actor)
        try record.update(db)
        try log(commentID: record.id ?? 0, action: action.rawValue, from: from, to: status, actor: actor, now: now, in: db)
        let changed = from == .approved || status == .approved ? try bumpVersion(of: PostKey(stored: record.post), in: db) : .none
        return (record.comment, changed)
    }

    func delete(id: Int64, actor: String) async throws -> Bool {
        let now = clock()
        let changed = try await pool.write { db -> PublicationChanges? in
            guard let record = try CommentRecord.fetchOne(db, key: id) else { return nil }
            return try Self.purge(record, action: "delete", actor: actor, now: now, in: db)
        }
        guard let changed else { return false }
        changes.publish(changed)
        await eraseOldPageImages()
        return true
    }

    func setPostClosed(_ post: PostKey, closed: Bool) async throws {
        let now = clock()
        let changed = try await pool.write { db in
            try Self.ensurePost(post, now: now, in: db)
            try PostRecord.filter(key: post.text).updateAll(
                db, PostRecord.Columns.closed.set(to: closed), Column("updated_at").set(to: now)
            )
            // Pages that show the form (the demo) change with it.
            return try Self.bumpVersion(of: post, in: db)
        }
        changes.publish(changed)
    }

    func statusCounts(post: PostKey?) async throws -> [CommentStatus: Int] {
        try await pool.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: post == nil ? "SELECT status, count FROM status_counts" : "SELECT status, count FROM comment_counts WHERE post = ?",
                arguments: post.map { [$0.text] } ?? []
            )
            var counts = Self.zeroCounts
            for row in rows {
                if let status = CommentStatus(rawValue: row["status"]) { counts[status, default: 0] += row["count"] as Int }
            }
            return counts
        }
    }

    func authorHistory(emailHash: String) async throws -> [CommentStatus: Int] {
        try await pool.read { db in
            // Through comments_by_email_hash: one author's comments, however many there are in all.
            let rows = try Row.fetchAll(
                db, sql: "SELECT status, COUNT(*) AS count FROM comments WHERE email_hash = ? GROUP BY status", arguments: [emailHash])
            var counts = Self.zeroCounts
            for row in rows {
                if let status = CommentStatus(rawValue: row["status"]) { counts[status, default: 0] += row["count"] as Int }
            }
            return counts
        }
    }

    func posts() async throws -> [PostSummary] {
        try await pool.read { db in
            // Keyed by bytes (PostKey), as SQLite keys them.
            var byPost: [PostKey: (counts: [CommentStatus: Int], last: Date?)] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT post, status, count FROM comment_counts") {
                let post = PostKey(stored: row["post"])
                var entry = byPost[post] ?? (Self.zeroCounts, nil)
                if let status = CommentStatus(rawValue: row["status"]) { entry.counts[status, default: 0] += row["count"] as Int }
                byPost[post] = entry
            }
            // The newest comment of each post: MAX(created_at) over the post's rows, which the
            // (post, status, id) index narrows to the post but does not order by time.
            for row in try Row.fetchAll(
                db, sql: "SELECT post, (SELECT MAX(created_at) FROM comments c WHERE c.post = posts.post) AS last FROM posts")
            {
                byPost[PostKey(stored: row["post"]), default: (Self.zeroCounts, nil)].last = row["last"]
            }
            return try PostRecord.order(PostRecord.Columns.post).fetchAll(db).map { record in
                let post = PostKey(stored: record.post)
                return PostSummary(
                    post: post, closed: record.closed, counts: byPost[post]?.counts ?? Self.zeroCounts, lastCommentAt: byPost[post]?.last
                )
            }
        }
    }

    func history(of id: Int64) async throws -> [ModerationEntry] {
        try await pool.read { db in
            try ModerationLogRecord.filter(Column("comment_id") == id).order(Column("id")).fetchAll(db).map(\.entry)
        }
    }

    func auditCounts() async throws -> [String: Int] {
        try await pool.read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT action, COUNT(*) AS count FROM moderation_log GROUP BY action")
            return Dictionary(rows.map { ($0["action"] as String, $0["count"] as Int) }, uniquingKeysWith: +)
        }
    }

    func blockEmail(hash: String) async throws -> Bool {
        let now = clock()
        return try await pool.write { db in
            try db.execute(
                sql: "INSERT INTO blocked_identities (kind, hash, created_at) VALUES ('email', ?, ?) ON CONFLICT DO NOTHING",
                arguments: [hash, now]
            )
            return db.changesCount > 0
        }
    }

    func forgetEmail(hash: String, actor: String) async throws -> Int {
        let now = clock()
        let (count, changed) = try await pool.write { db -> (Int, PublicationChanges) in
            let ids = try Int64.fetchAll(db, sql: "SELECT id FROM comments WHERE email_hash = ? ORDER BY id", arguments: [hash])
            var changed = PublicationChanges.none
            for id in ids {
                // Read each again: an earlier erasure in this loop may have moved it up.
                guard let current = try CommentRecord.fetchOne(db, key: id) else { continue }
                changed = changed.merged(with: try Self.purge(current, action: "forget", actor: actor, now: now, in: db))
            }
            return (ids.count, changed)
        }
        changes.publish(changed)
        await eraseOldPageImages()
        return count
    }

    /// Every status with a count of zero.
    static var zeroCounts: [CommentStatus: Int] {
        Dictionary(uniqueKeysWithValues: CommentStatus.allCases.map { ($0, 0) })
    }

    /// After an erasure the rows are zeroed in the database (`secure_delete`), but the write-ahead
    /// log still holds the pages as they were until the next checkpoint, and tools such as
    /// Litestream ship WAL frames to backups. Checkpointing at once and truncating the log leaves
    /// the erased text nowhere in the data folder.
    ///
    /// Best effort: the erasure itself is committed, and a reader that holds the log open for
    /// longer than the busy timeout (Litestream keeps one) only delays this to a later checkpoint.
    func eraseOldPageImages() async {
        _ = try? await pool.writeWithoutTransaction { db in try db.checkpoint(.truncate) }
    }

    /// Deletes a comment row after moving its replies up to its parent, logs it and refreshes the post.
    static func purge(_ record: CommentRecord, action: String, actor: String, now: Date, in db: Database) throws -> PublicationChanges {
        guard let id = record.id else { return .none }
        try db.execute(sql: "UPDATE comments SET parent = ? WHERE parent = ?", arguments: [record.parent, id])
        try db.execute(sql: "DELETE FROM comments WHERE id = ?", arguments: [id])
        // Its notifications go too, sent or not: nothing is sent about a comment that is gone.
        try db.execute(sql: "DELETE FROM notification_events WHERE comment_id = ?", arguments: [id])
        try log(commentID: id, action: action, from: record.status, to: nil, actor: actor, now: now, in: db)
        // Replies may have moved even when the comment itself was not public.
        return try bumpVersion(of: PostKey(stored: record.post), in: db)
    }

    static func log(
        commentID: Int64, action: String, from: CommentStatus?, to: CommentStatus?, actor: String, now: Date, in db: Database
    ) throws {
        try ModerationLogRecord(commentId: commentID, action: action, fromStatus: from, toStatus: to, actor: actor, createdAt: now).insert(
            db)
    }
}
