import Foundation
import Logging
import ModeratoCore
import PostgresNIO
import Synchronization

/// The change feed across servers: every write that changes what the public sees NOTIFYs inside
/// its transaction (PostgreSQL delivers it at commit, to every session listening), and every
/// server LISTENs on a connection of its own. Nothing polls.
extension PostgreSQLCommentStore {
    /// The channel every write notifies, `moderato_changes.<schema>` (installs that share a
    /// database in schemas of their own hear only their own writes); the payload is the new
    /// version. Computed by the server, the same way for NOTIFY and LISTEN.
    static let changeChannelSQL = "'moderato_changes.' || current_schema()"

    func observeChanges(_ observer: @escaping @Sendable (PublicationChanges) -> Void) {
        changes.observe(observer)
    }

    func publicationChanges(since version: Int64) async throws -> PublicationChanges {
        // The last row carries the highest version of all, in the same snapshot.
        let rows = try await self.rows(
            """
            SELECT post, version FROM posts WHERE version > \(version)
            UNION ALL SELECT NULL, COALESCE(max(version), 0) FROM posts
            """)
        var latest: Int64 = 0
        var posts: [PostKey: Int64] = [:]
        for row in rows {
            let (post, postVersion) = try row.decode((String?, Int64).self)
            if let post {
                // Never `uniqueKeysWithValues` on data from the database.
                posts[PostKey(stored: post)] = max(posts[PostKey(stored: post)] ?? 0, postVersion)
            } else {
                latest = postVersion
            }
        }
        return PublicationChanges(latest: latest, posts: posts)
    }

    /// LISTENs on a connection of its own until cancelled. Once listening — on the first connect
    /// and after every reconnect — it reads what changed since the last version it read, so a
    /// NOTIFY sent while it was not listening is never missed; then it reads again on each
    /// notification of a version it has not read yet.
    ///
    /// Versions become visible in the order they were drawn (the publication lock), so "since the
    /// last one read" never skips a write that committed late. A connection that breaks ends this
    /// call with its error; the caller waits `interval` and calls again, which reconnects.
    func followOtherWriters(every interval: Duration) async throws {
        try await PostgreSQLError.describing { try await listen() }
    }

    private func listen() async throws {
        let connection = try await server.connect(id: Int.random(in: 1_000_000...Int(Int32.max)), logger: logger)
        do {
            try await listen(on: connection)
        } catch {
            // Closed before it goes: PostgresNIO insists (and the server frees the session).
            try? await connection.close()
            throw error
        }
    }

    private func listen(on connection: PostgresConnection) async throws {
        let session = PostgreSQLSession(connection: connection, statements: statements, logger: logger)
        let channelRows = try await session.rows("SELECT \(unescaped: Self.changeChannelSQL)")
        guard let channel = try channelRows.first?.decode(String.self) else { throw ChangeListenerError.stoppedListening }
        try await connection.listen(on: channel) { notifications in
            try await catchUp()
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for try await notification in notifications {
                        let version = Int64(notification.payload) ?? .max
                        guard version > self.followedVersion.withLock({ $0 }) else { continue }
                        try await self.catchUp()
                    }
                    try Task.checkCancellation()
                    throw ChangeListenerError.stoppedListening
                }
                // A connection whose peer vanished without a word (a host gone, a cable cut)
                // would wait for notifications forever: ask it something now and then, so it
                // fails and is replaced.
                group.addTask {
                    while true {
                        try await Task.sleep(for: .seconds(15))
                        try await session.rows("SELECT 1")
                    }
                }
                _ = try await group.next()
                group.cancelAll()
            }
        }
    }

    /// Reads and publishes every post changed after the followed version.
    private func catchUp() async throws {
        let since = followedVersion.withLock { $0 }
        let found = try await publicationChanges(since: since)
        guard found.latest > since else { return }
        followedVersion.withLock { $0 = max($0, found.latest) }
        changes.publish(found)
    }
}

/// The LISTEN connection stopped delivering without an error of its own.
enum ChangeListenerError: Error, CustomStringConvertible {
    case stoppedListening

    var description: String { "the database stopped delivering change notifications" }
}
