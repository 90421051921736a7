import Foundation
import ModeratoCore
import PostgresNIO

/// The notification outbox and one-click links. Every server runs the delivery service against
/// the same tables: a delivery is claimed with `FOR UPDATE SKIP LOCKED` and pushed out by its
/// lease in the same transaction, so no two servers send it at once.
extension PostgreSQLCommentStore {
    /// Inside the submission's transaction: the event and one pending delivery per channel, due at once.
    static func writeNotification(
        commentID: Int64, status: CommentStatus, channels: [NotificationChannel], now: Date, in session: PostgreSQLSession
    ) async throws {
        let time = StoredTime(now)
        // The message id is made by PostgreSQL itself: random, so it is unique across installs too.
        try await session.rows(
            """
            WITH event AS (
                INSERT INTO notification_events (message_id, comment_id, status, created_at)
                VALUES ('msg_' || replace(gen_random_uuid()::text, '-', ''), \(commentID), \(status.rawValue), \(time))
                RETURNING id)
            INSERT INTO notification_deliveries (event_id, channel, state, attempts, next_attempt_at)
            SELECT event.id, channel, 'pending', 0, \(time) FROM event, unnest(\(channels.map(\.rawValue))::text[]) AS channel
            """)
    }

    func claimDeliveries(channel: NotificationChannel, now: Date, lease: TimeInterval, limit: Int) async throws -> [OutboxDelivery] {
        let due = StoredTime(exactly: now)
        let leaseEnd = StoredTime(exactly: now.addingTimeInterval(lease))
        return try await transaction { session in
            // Rows another server is claiming right now are skipped, not waited for.
            let rows = try await session.rows(
                """
                SELECT d.event_id, d.attempts, e.message_id, e.comment_id, e.status, e.created_at
                FROM notification_deliveries d JOIN notification_events e ON e.id = d.event_id
                WHERE d.channel = \(channel.rawValue) AND d.state = 'pending' AND d.next_attempt_at <= \(due)
                ORDER BY d.next_attempt_at, d.event_id LIMIT \(limit)
                FOR UPDATE OF d SKIP LOCKED
                """)
            var deliveries: [OutboxDelivery] = []
            for row in rows {
                let (eventID, attempts, messageID, commentID, status, createdAt) = try row.decode(
                    (Int64, Int64, String, Int64, String, Date).self)
                try await session.rows(
                    """
                    UPDATE notification_deliveries SET attempts = attempts + 1, next_attempt_at = \(leaseEnd)
                    WHERE event_id = \(eventID) AND channel = \(channel.rawValue)
                    """)
                let comment = try await session.rows(
                    "SELECT \(unescaped: Self.commentColumns) FROM comments WHERE id = \(commentID)"
                ).first.map(Self.comment)
                deliveries.append(
                    OutboxDelivery(
                        eventID: eventID, messageID: messageID, channel: channel, status: CommentStatus(rawValue: status) ?? .pending,
                        eventCreatedAt: createdAt, attempt: Int(attempts) + 1, commentID: commentID, comment: comment))
            }
            return deliveries
        }
    }

    func settleDelivery(eventID: Int64, channel: NotificationChannel, outcome: DeliveryOutcome) async throws {
        // Only a pending delivery moves: a late report never reopens a settled one.
        switch outcome {
        case .delivered(let at):
            try await rows(
                """
                UPDATE notification_deliveries SET state = 'delivered', finished_at = \(StoredTime(exactly: at)), last_error = NULL
                WHERE event_id = \(eventID) AND channel = \(channel.rawValue) AND state = 'pending'
                """)
        case .retry(let next, let reason):
            try await rows(
                """
                UPDATE notification_deliveries SET next_attempt_at = \(StoredTime(exactly: next)), last_error = \(reason)
                WHERE event_id = \(eventID) AND channel = \(channel.rawValue) AND state = 'pending'
                """)
        case .failed(let at, let reason):
            try await rows(
                """
                UPDATE notification_deliveries SET state = 'failed', finished_at = \(StoredTime(exactly: at)), last_error = \(reason)
                WHERE event_id = \(eventID) AND channel = \(channel.rawValue) AND state = 'pending'
                """)
        }
    }

    func nextDeliveryDue(channel: NotificationChannel) async throws -> Date? {
        try await rows(
            "SELECT min(next_attempt_at) FROM notification_deliveries WHERE channel = \(channel.rawValue) AND state = 'pending'"
        ).first?.decode(Date?.self)
    }

    func deliverySummary() async throws -> [NotificationChannel: DeliverySummary] {
        var summary = Dictionary(uniqueKeysWithValues: NotificationChannel.allCases.map { ($0, DeliverySummary()) })
        for row in try await rows(
            "SELECT channel, state, COUNT(*), max(finished_at) FROM notification_deliveries GROUP BY channel, state")
        {
            let (channelText, state, count, last) = try row.decode((String, String, Int64, Date?).self)
            guard let channel = NotificationChannel(rawValue: channelText) else { continue }
            switch state {
            case "pending": summary[channel]?.pending = Int(count)
            case "delivered":
                summary[channel]?.delivered = Int(count)
                summary[channel]?.lastDeliveredAt = last
            default: summary[channel]?.failed = Int(count)
            }
        }
        return summary
    }

    func undeliveredDeliveries(limit: Int) async throws -> [DeliveryRecord] {
        try await rows(
            """
            SELECT d.event_id, e.comment_id, d.channel, d.state, d.attempts, d.next_attempt_at, d.last_error, e.created_at
            FROM notification_deliveries d JOIN notification_events e ON e.id = d.event_id
            WHERE d.state <> 'delivered' ORDER BY d.event_id DESC, d.channel LIMIT \(limit)
            """
        ).compactMap { row in
            let (eventID, commentID, channelText, stateText, attempts, next, lastError, createdAt) = try row.decode(
                (Int64, Int64, String, String, Int64, Date, String?, Date).self)
            guard let channel = NotificationChannel(rawValue: channelText), let state = DeliveryRecord.State(rawValue: stateText)
            else { return nil }
            return DeliveryRecord(
                eventID: eventID, commentID: commentID, channel: channel, state: state, attempts: Int(attempts),
                nextAttemptAt: state == .pending ? next : nil, lastError: lastError, createdAt: createdAt)
        }
    }

    func pruneNotifications(finishedBefore: Date, linksExpiredBefore: Date) async throws -> Int {
        try await transaction { session in
            let deliveries = try await session.rows(
                """
                DELETE FROM notification_deliveries WHERE state <> 'pending' AND finished_at < \(StoredTime(exactly: finishedBefore))
                RETURNING 1
                """
            ).count
            let events = try await session.rows(
                """
                DELETE FROM notification_events e WHERE NOT EXISTS (SELECT 1 FROM notification_deliveries d WHERE d.event_id = e.id)
                RETURNING 1
                """
            ).count
            let links = try await session.rows(
                "DELETE FROM action_link_uses WHERE expires_at < \(StoredTime(exactly: linksExpiredBefore)) RETURNING 1"
            ).count
            return deliveries + events + links
        }
    }

    // MARK: One-click links

    func isActionLinkUsed(_ linkID: String) async throws -> Bool {
        try await rows("SELECT EXISTS (SELECT 1 FROM action_link_uses WHERE link = \(linkID))").first?.decode(Bool.self) ?? false
    }

    func redeemActionLink(_ link: ActionLink, id linkID: String, actor: String) async throws -> LinkRedemption {
        do {
            return try await redeem(link, id: linkID, actor: actor)
        } catch LinkNotRedeemed.refused(let redemption) {
            return redemption
        }
    }

    private func redeem(_ link: ActionLink, id linkID: String, actor: String) async throws -> LinkRedemption {
        let now = clock()
        let (redemption, changed) = try await transaction { session -> (LinkRedemption, PublicationChanges) in
            try await Self.lockPublication(in: session)
            // Claimed first: a second click, on this server or another, waits for this one and
            // then finds the link used.
            let claimed = try await session.rows(
                """
                INSERT INTO action_link_uses (link, comment_id, action, expires_at, used_at)
                VALUES (\(linkID), \(link.commentID), \(link.action.rawValue), \(StoredTime(exactly: link.expiresAt)), \(StoredTime(now)))
                ON CONFLICT (link) DO NOTHING RETURNING link
                """)
            guard !claimed.isEmpty else { return (.alreadyUsed, .none) }
            let rows = try await session.rows(
                "SELECT \(unescaped: Self.commentColumns) FROM comments WHERE id = \(link.commentID) FOR UPDATE")
            guard let current = try rows.first.map(Self.comment) else { throw LinkNotRedeemed.refused(.noComment) }
            guard current.status == link.status else { throw LinkNotRedeemed.refused(.statusChanged(current)) }
            let (comment, changed) = try await Self.apply(link.action, to: current, actor: actor, now: now, in: session)
            return (.acted(comment), changed)
        }
        changes.publish(changed)
        return redemption
    }
}

/// Undoes the claim of a link that did not act (its comment gone or decided since): thrown out of
/// the transaction, so the link stays unused, as SQLite leaves it.
private enum LinkNotRedeemed: Error {
    case refused(LinkRedemption)
}
