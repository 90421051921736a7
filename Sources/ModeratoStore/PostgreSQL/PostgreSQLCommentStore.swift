import Foundation
import Logging
import ModeratoCore
import PostgresNIO
import Synchronization

/// The shared engine: a PostgreSQL database that any number of servers and the CLI use at once.
///
/// Internal on purpose: everything above the store reaches it through `StoreFactory` and the
/// protocols of `CommentStore`. Each concern is a file of its own, as for SQLite: `+Public`,
/// `+Submit`, `+Moderation`, `+Tokens`, `+Maintenance`, `+Import`, `+Notifications`, `+Changes`
/// (LISTEN/NOTIFY), `+RateLimit`, `+Transfer`.
///
/// Durability: every connection runs with `synchronous_commit = on` and a write returns only after
/// its COMMIT answered, so nothing is acknowledged that is not on disk. Concurrent writers share
/// fsyncs through PostgreSQL's own group commit; there is no batcher here.
final class PostgreSQLCommentStore: CommentStore {
    let server: PostgreSQLServer
    let client: PostgresClient
    let clock: @Sendable () -> Date
    let changes = ChangeBroadcast()
    let statements = PostgreSQLStatements()
    let logger: Logger
    /// The highest version the change listener has read; own writes do not move it (see `+Changes`).
    let followedVersion = Mutex<Int64>(0)
    /// Runs the pool (`PostgresClient.run()`) for as long as the store is open. The store owns it,
    /// rather than a service group, because CLI commands open stores without one.
    private let pool: Task<Void, Never>

    private init(server: PostgreSQLServer, clock: @escaping @Sendable () -> Date, logger: Logger) throws {
        self.server = server
        self.clock = clock
        self.logger = logger
        let client = PostgresClient(configuration: try server.clientConfiguration(), backgroundLogger: logger)
        self.client = client
        // Started at once, on this thread, so the pool counts as running before the first query
        // (PostgresNIO warns about a lease from a pool whose run() has not begun).
        if #available(macOS 26.0, *) {
            pool = Task.immediate { await client.run() }
        } else {
            pool = Task { await client.run() }
        }
    }

    /// Connects once to check the address and credentials (one clear error, at once), brings the
    /// schema up to date, then starts the pool.
    static func open(
        url: DatabaseURL, poolSize: Int, create: Bool, migrate: Bool, clock: @escaping @Sendable () -> Date
    ) async throws -> PostgreSQLCommentStore {
        var logger = Logger(label: "moderato.postgresql")
        logger[metadataKey: "database"] = "\(url)"
        let server = PostgreSQLServer(url: url, poolSize: poolSize)
        let connection = try await server.connectOrExplain(logger: logger)
        do {
            try await PostgreSQLError.describing {
                if !create, try await !PostgreSQLMigrations.isInstalled(on: connection, logger: logger) {
                    throw StoreError.notFound(url.description)
                }
                if migrate {
                    _ = try await PostgreSQLMigrations.migrate(on: connection, logger: logger)
                }
            }
            try await connection.close()
        } catch {
            try? await connection.close()
            throw error
        }
        return try PostgreSQLCommentStore(server: server, clock: clock, logger: logger)
    }

    func checkHealth() async throws {
        try await withDeadline(.seconds(3)) {
            _ = try await self.rows("SELECT 1 FROM posts LIMIT 1")
        }
    }

    /// Stops the pool: its connections close once the queries on them have finished.
    func close() async throws {
        pool.cancel()
        await pool.value
    }

    // MARK: Running statements

    /// A statement on any pooled connection, its rows collected.
    @discardableResult
    func rows(_ query: PostgresQuery) async throws -> [PostgresRow] {
        try await PostgreSQLError.describing {
            try await client.withConnection { connection in
                try await statements.rows(query, on: connection, logger: logger)
            }
        }
    }

    /// `body` in one transaction on one pooled connection; committed when it returns, rolled back
    /// when it throws. A deadlock or serialisation failure (PostgreSQL chose this transaction to
    /// undo) runs it again, up to three times: nothing of the failed attempt was kept.
    ///
    /// - Parameter snapshot: a read-only transaction whose statements all see one snapshot
    ///   (REPEATABLE READ), for reads that must agree with each other.
    func transaction<Value: Sendable>(
        snapshot: Bool = false, _ body: (PostgreSQLSession) async throws -> Value
    ) async throws -> Value {
        var attempt = 1
        while true {
            do {
                return try await attemptTransaction(snapshot: snapshot, body)
            } catch let error as PSQLError where attempt < 3 && Self.isRetryable(error) {
                attempt += 1
            } catch ClosedConnection.leased where attempt < 3 {
                attempt += 1
            } catch let error as PSQLError {
                throw PostgreSQLError(error)
            }
        }
    }

    func attemptTransaction<Value: Sendable>(
        snapshot: Bool, _ body: (PostgreSQLSession) async throws -> Value
    ) async throws -> Value {
        try await client.withConnection { connection in
            // A statement written to a connection that is already closed is never answered
            // (see `PostgreSQLStatements`), so a closed one is never asked anything: one the pool
            // has not yet noticed is closed is handed back and the transaction tried on another;
            // after a failure on a connection that died, there is nothing to roll back (the
            // server undid it when the session ended).
            guard !connection.isClosed else { throw ClosedConnection.leased }
            let session = PostgreSQLSession(connection: connection, statements: statements, logger: logger)
            try await session.rows(snapshot ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" : "BEGIN")
            let value: Value
            do {
                value = try await body(session)
            } catch {
                if !connection.isClosed {
                    _ = try? await session.rows("ROLLBACK")
                }
                throw error
            }
            try await session.rows("COMMIT")
            return value
        }
    }

    static func isRetryable(_ error: PSQLError) -> Bool {
        // deadlock_detected, serialization_failure
        ["40P01", "40001"].contains(error.serverInfo?[.sqlState])
    }

    /// Runs `body`, or throws when it has not finished within `limit` (the pool waits for a
    /// connection for as long as the server is away; a health check must answer sooner).
    func withDeadline<Value: Sendable>(_ limit: Duration, _ body: @escaping @Sendable () async throws -> Value) async throws -> Value {
        try await withThrowingTaskGroup(of: Value?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(for: limit)
                return nil
            }
            defer { group.cancelAll() }
            guard let value = try await group.next() ?? nil else {
                throw StoreError.cannotConnect(server.url.description, "no answer within \(limit)")
            }
            return value
        }
    }

    // MARK: Writes shared by the parts

    /// Advisory lock classes (`pg_advisory_xact_lock(class, key)`), all held until commit:
    /// 0 publication versions (keyed by schema), 1 an email hash, 2 a client hash, 3 a client's
    /// rate (in SQL), 4 migrations. A transaction that takes several takes them email, client,
    /// publication, so none waits on another in a circle.
    enum LockClass: Int32 {
        case publication = 0
        case email = 1
        case client = 2
    }

    /// Taken before drawing a publication version and held until commit, so versions become
    /// visible in the order they were drawn (see `003_postgresql_publication_sequence.sql`).
    /// Taken before any other lock a publishing write needs on `posts`, so no two writers wait on
    /// each other in a circle.
    static func lockPublication(in session: PostgreSQLSession) async throws {
        // Keyed by the schema, so installs that share a database (in schemas of their own) do not
        // wait for each other.
        try await session.rows(
            "SELECT pg_advisory_xact_lock(\(LockClass.publication.rawValue), hashtext(current_schema()))")
    }

    /// Creates the post's row on first use.
    static func ensurePost(_ post: PostKey, now: Date, in session: PostgreSQLSession) async throws {
        let time = StoredTime(now)
        try await session.rows(
            """
            INSERT INTO posts (post, closed, version, created_at, updated_at) VALUES (\(post.text), false, 0, \(time), \(time))
            ON CONFLICT (post) DO NOTHING
            """)
    }

    /// Marks what the public sees of `post` as changed: its new version, the next value of the
    /// publication sequence, and a NOTIFY that PostgreSQL delivers to every listening server when
    /// (and only if) the transaction commits. The caller holds the publication lock.
    static func bumpVersion(of post: PostKey, in session: PostgreSQLSession) async throws -> PublicationChanges {
        let rows = try await session.rows(
            """
            WITH bumped AS (UPDATE posts SET version = nextval('publication_sequence') WHERE post = \(post.text) RETURNING version),
                notified AS (SELECT pg_notify(\(unescaped: Self.changeChannelSQL), version::text) FROM bumped)
            SELECT version FROM bumped, notified
            """)
        guard let version = try rows.first?.decode(Int64.self) else { return .none }
        return PublicationChanges(latest: version, posts: [post: version])
    }

    /// Adds an entry to the audit log.
    static func log(
        commentID: Int64, action: String, from: CommentStatus?, to: CommentStatus?, actor: String, now: Date,
        in session: PostgreSQLSession
    ) async throws {
        try await session.rows(
            """
            INSERT INTO moderation_log (comment_id, action, from_status, to_status, actor, created_at)
            VALUES (\(commentID), \(action), \(from?.rawValue), \(to?.rawValue), \(actor), \(StoredTime(now)))
            """)
    }

    // MARK: Comments as rows

    static let commentColumns =
        "id, post, parent, status, author, url, email_hash, ip_hash, body, created_at, updated_at, moderated_at, reason_code, reason_detail"

    /// A row of `commentColumns`.
    static func comment(_ row: PostgresRow) throws -> Comment {
        let (id, post, parent, status, author, url, emailHash, ipHash, body, createdAt, updatedAt, moderatedAt, reasonCode, reasonDetail) =
            try row.decode(
                (Int64, String, Int64?, String, String, String?, String, String?, String, Date, Date, Date?, String?, String?).self)
        guard let status = CommentStatus(rawValue: status) else { throw PostgreSQLRowError.unknownStatus(status) }
        // A code this binary does not know (written by a newer one) reads as none rather than
        // failing the whole listing, as in SQLite.
        let reason = reasonCode.flatMap(ModerationReason.Code.init(rawValue:)).map { ModerationReason($0, detail: reasonDetail) }
        return Comment(
            id: id, post: post, parent: parent, status: status, author: author, url: url, emailHash: emailHash, ipHash: ipHash,
            body: body, createdAt: createdAt, updatedAt: updatedAt, moderatedAt: moderatedAt, reason: reason)
    }

    /// Every status with a count of zero.
    static var zeroCounts: [CommentStatus: Int] {
        Dictionary(uniqueKeysWithValues: CommentStatus.allCases.map { ($0, 0) })
    }
}

/// One connection inside a transaction: what the parts' statements run on.
struct PostgreSQLSession: Sendable {
    let connection: PostgresConnection
    let statements: PostgreSQLStatements
    let logger: Logger

    /// Runs a statement and collects its rows (none for most writes).
    @discardableResult
    func rows(_ query: PostgresQuery) async throws -> [PostgresRow] {
        try await statements.rows(query, on: connection, logger: logger)
    }
}

/// The pool lent a connection that had just closed, or it closed under a statement.
enum ClosedConnection: Error, CustomStringConvertible {
    /// Nothing was sent.
    case leased
    /// The connection closed while a statement waited for its answer, which may or may not have
    /// been carried out (a COMMIT among them): the caller reports a failure, never a success.
    case closedWhileWaiting

    var description: String { "the connection to the database server was closed" }
}

/// A row this engine cannot read back: the schema's CHECK constraints make it a programming error.
enum PostgreSQLRowError: Error, CustomStringConvertible {
    case unknownStatus(String)

    var description: String {
        switch self {
        case .unknownStatus(let status): "a comment has the unknown status \"\(status)\""
        }
    }
}

/// A time as this engine writes it: to the microsecond, rounded (PostgresNIO truncates, which
/// turns 12:00:00.123 read from SQLite into …122999), so a time copied between engines stays
/// the same. The engine's own clock readings are first cut to whole milliseconds, as SQLite
/// stores them.
struct StoredTime: PostgresNonThrowingEncodable, Sendable {
    let microseconds: Int64

    /// A reading of the store's clock: whole milliseconds.
    init(_ date: Date) {
        let milliseconds = (date.timeIntervalSince1970 * 1000).rounded(.down)
        self.init(exactly: Date(timeIntervalSince1970: milliseconds / 1000))
    }

    /// A time as given (a copied row), to the nearest microsecond.
    init(exactly date: Date) {
        microseconds = Int64((date.timeIntervalSince(Self.postgresEpoch) * 1_000_000).rounded())
    }

    static let postgresEpoch = Date(timeIntervalSince1970: 946_684_800)
    static var psqlType: PostgresDataType { .timestamptz }
    static var psqlFormat: PostgresFormat { .binary }

    func encode<JSONEncoder: PostgresJSONEncoder>(into byteBuffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>) {
        byteBuffer.writeInteger(microseconds)
    }
}

/// A PostgreSQL failure as a message: the server's own words (its SQLSTATE and message, which name
/// the problem but hold no query or bound value) or what happened to the connection. PostgresNIO's
/// own description says nothing on purpose, and its debug description holds the query's values —
/// comments and hashes that must not reach a log.
struct PostgreSQLError: Error, CustomStringConvertible {
    let sqlState: String?
    let message: String

    init(_ error: PSQLError) {
        sqlState = error.serverInfo?[.sqlState]
        message = PostgreSQLServer.reason(error)
    }

    var description: String {
        sqlState.map { "PostgreSQL error \($0): \(message)" } ?? "PostgreSQL: \(message)"
    }

    /// Runs `body`, turning a `PSQLError` it throws into a `PostgreSQLError`.
    static func describing<Value>(_ body: () async throws -> Value) async throws -> Value {
        do {
            return try await body()
        } catch let error as PSQLError {
            throw PostgreSQLError(error)
        }
    }
}
