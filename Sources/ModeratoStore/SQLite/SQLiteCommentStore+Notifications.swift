import Foundation
import GRDB
import ModeratoCore

extension SQLiteCommentStore {
    /// Inside the submission's transaction: the event and one pending delivery per channel, due at once.
    static func writeNotification(
        commentID: Int64, status: CommentStatus, channels: [NotificationChannel], now: Date, in db: Database
    ) throws {
        let timestamp = StoredTimestamp(now).text
        // The message id is made by SQLite itself: random, so it is unique across installs too.
        try db.cachedStatement(
            sql: """
                INSERT INTO notification_events (message_id, comment_id, status, created_at)
                VALUES ('msg_' || lower(hex(randomblob(16))), ?, ?, ?)
                """
        ).execute(arguments: [commentID, status.rawValue, timestamp])
        let eventID = db.lastInsertedRowID
        for channel in channels {
            try db.cachedStatement(
                sql: """
                    INSERT INTO notification_deliveries (event_id, channel, state, attempts, next_attempt_at)
                    VALUES (?, ?, 'pending', 0, ?)
                    """
            ).execute(arguments: [eventID, channel.rawValue, timestamp])
        }
    }

    func claimDeliveries(channel: NotificationChannel, now: Date, lease: TimeInterval, limit: Int) async throws -> [OutboxDelivery] {
        let due = StoredTimestamp(now).text
        let leaseEnd = StoredTimestamp(now.addingTimeInterval(lease)).text
        return try await pool.write { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT d.event_id, d.attempts, e.message_id, e.comment_id, e.status, e.created_at
                    FROM notification_deliveries d JOIN notification_events e ON e.id = d.event_id
                    WHERE d.channel = ? AND d.state = 'pending' AND d.next_attempt_at <= ?
                    ORDER BY d.next_attempt_at, d.event_id LIMIT ?
                    """,
                arguments: [channel.rawValue, due, limit]
            )
            return try rows.map { row in
                let eventID: Int64 = row["event_id"]
                try db.execute(
                    sql: """
                        UPDATE notification_deliveries SET attempts = attempts + 1, next_attempt_at = ?
                        WHERE event_id = ? AND channel = ?
                        """,
                    arguments: [leaseEnd, eventID, channel.rawValue]
                )
                let commentID: Int64 = row["comment_id"]
                return OutboxDelivery(
                    eventID: eventID, messageID: row["message_id"], channel: channel,
                    status: CommentStatus(rawValue: row["status"]) ?? .pending, eventCreatedAt: row["created_at"],
                    attempt: (row["attempts"] as Int) + 1, commentID: commentID,
                    comment: try CommentRecord.fetchOne(db, key: commentID)?.comment
                )
            }
        }
    }

    func settleDelivery(eventID: Int64, channel: NotificationChannel, outcome: DeliveryOutcome) async throws {
        let (sql, arguments): (String, StatementArguments)
        switch outcome {
        case .delivered(let at):
            sql = "UPDATE notification_deliveries SET state = 'delivered', finished_at = ?, last_error = NULL"
            arguments = [StoredTimestamp(at).text]
        case .retry(let next, let reason):
            sql = "UPDATE notification_deliveries SET next_attempt_at = ?, last_error = ?"
            arguments = [StoredTimestamp(next).text, reason]
        case .failed(let at, let reason):
            sql = "UPDATE notification_deliveries SET state = 'failed', finished_at = ?, last_error = ?"
            arguments = [StoredTimestamp(at).text, reason]
        }
        try await pool.write { db in
            // Only a pending delivery moves: a late report never reopens a settled one.
            try db.execute(
                sql: sql + " WHERE event_id = ? AND channel = ? AND state = 'pending'",
                arguments: arguments + [eventID, channel.rawValue]
            )
        }
    }

    func nextDeliveryDue(channel: NotificationChannel) async throws -> Date? {
        try await pool.read { db in
            try Date.fetchOne(
                db, sql: "SELECT MIN(next_attempt_at) FROM notification_deliveries WHERE channel = ? AND state = 'pending'",
                arguments: [channel.rawValue]
            )
        }
    }

    func deliverySummary() async throws -> [NotificationChannel: DeliverySummary] {
        try await pool.read { db in
            var summary = Dictionary(uniqueKeysWithValues: NotificationChannel.allCases.map { ($0, DeliverySummary()) })
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT channel, state, COUNT(*) AS count, MAX(finished_at) AS last
                    FROM notification_deliveries GROUP BY channel, state
                    """)
            for row in rows {
                guard let channel = NotificationChannel(rawValue: row["channel"]) else { continue }
                let count: Int = row["count"]
                switch row["state"] as String {
                case "pending": summary[channel]?.pending = count
                case "delivered":
                    summary[channel]?.delivered = count
                    summary[channel]?.lastDeliveredAt = row["last"]
                default: summary[channel]?.failed = count
                }
            }
            return summary
        }
    }

    func undeliveredDeliveries(limit: Int) async throws -> [DeliveryRecord] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT d.event_id, e.comment_id, d.channel, d.state, d.attempts, d.next_attempt_at, d.last_error, e.created_at
                    FROM notification_deliveries d JOIN notification_events e ON e.id = d.event_id
                    WHERE d.state <> 'delivered' ORDER BY d.event_id DESC, d.channel LIMIT ?
                    """,
                arguments: [limit]
            ).compactMap { row in
                guard let channel = NotificationChannel(rawValue: row["channel"]),
                    let state = DeliveryRecord.State(rawValue: row["state"])
                else { return nil }
                return DeliveryRecord(
                    eventID: row["event_id"], commentID: row["comment_id"], channel: channel, state: state, attempts: row["attempts"],
                    nextAttemptAt: state == .pending ? row["next_attempt_at"] : nil, lastError: row["last_error"],
                    createdAt: row["created_at"]
                )
            }
        }
    }

    func pruneNotifications(finishedBefore: Date, linksExpiredBefore: Date) async throws -> Int {
        try await pool.write { db in
            try db.execute(
                sql: "DELETE FROM notification_deliveries WHERE state <> 'pending' AND finished_at < ?",
                arguments: [StoredTimestamp(finishedBefore).text])
            var removed = db.changesCount
            try db.execute(
                sql: "DELETE FROM notification_events WHERE NOT EXISTS (SELECT 1 FROM notification_deliveries WHERE event_id = id)")
            removed += db.changesCount
            try db.execute(sql: "DELETE FROM action_link_uses WHERE expires_at < ?", arguments: [StoredTimestamp(linksExpiredBefore).text])
            return removed + db.changesCount
        }
    }

    // MARK: One-click links

    func isActionLinkUsed(_ linkID: String) async throws -> Bool {
        try await pool.read { db in
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM action_link_uses WHERE link = ?)", arguments: [linkID]) ?? false
        }
    }

    func redeemActionLink(_ link: ActionLink, id linkID: String, actor: String) async throws -> LinkRedemption {
        let now = clock()
        let (redemption, changed) = try await pool.write { db -> (LinkRedemption, PublicationChanges) in
            if try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM action_link_uses WHERE link = ?)", arguments: [linkID]) == true {
                return (.alreadyUsed, .none)
            }
            guard let record = try CommentRecord.fetchOne(db, key: link.commentID) else { return (.noComment, .none) }
            guard record.status == link.status else { return (.statusChanged(record.comment), .none) }
            let (comment, changed) = try Self.apply(link.action, to: record, actor: actor, now: now, in: db)
            try db.execute(
                sql: "INSERT INTO action_link_uses (link, comment_id, action, expires_at, used_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [
                    linkID, link.commentID, link.action.rawValue, StoredTimestamp(link.expiresAt).text, StoredTimestamp(now).text,
                ]
            )
            return (.acted(comment), changed)
        }
        changes.publish(changed)
        return redemption
    }
}
