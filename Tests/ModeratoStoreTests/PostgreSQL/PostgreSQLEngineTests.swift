import Foundation
import GRDB
import ModeratoCore
import PostgreSQLTestSupport
import PostgresNIO
import Synchronization
import Testing

@testable import ModeratoStore

/// What only the PostgreSQL engine promises: its schema files and their parity with SQLite's, its
/// session settings, and the rules that must hold when several servers write at once.
@Suite("PostgreSQL: schema, settings, concurrent servers")
struct PostgreSQLEngineTests {
    static let needsPostgreSQL = ConditionTrait.enabled(if: TestPostgreSQL.isAvailable, Comment(rawValue: TestPostgreSQL.skipNote))

    static func open(_ database: TestDatabase, create: Bool = true) async throws -> PostgreSQLCommentStore {
        try await PostgreSQLCommentStore.open(
            url: try DatabaseURL(database.url), poolSize: 4, create: create, migrate: true, clock: { Date() })
    }

    @Test func everySchemaFileIsAMigrationInOrder() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: TestPostgreSQL.schemaFolderPath)
            .filter { $0.hasSuffix(".sql") }.sorted().map { String($0.dropLast(4)) }
        #expect(files == PostgreSQLMigrations.names)
        for migration in PostgreSQLMigrations.all {
            let onDisk = try String(contentsOfFile: TestPostgreSQL.schemaFolderPath + "/" + migration.name + ".sql", encoding: .utf8)
            #expect(onDisk == migration.sql, "the binary embeds Schema/postgresql/\(migration.name).sql as it is on disk")
        }
    }

    @Test(needsPostgreSQL) func aNewDatabaseIsMigratedOnceEvenByTwoServersStartingTogether() async throws {
        let database = try TestPostgreSQL.createEmptyDatabase()
        defer { database.drop() }
        await #expect(throws: StoreError.notFound(try DatabaseURL(database.url).description)) {
            _ = try await Self.open(database, create: false)
        }
        async let first = Self.open(database)
        async let second = Self.open(database)
        let stores = try await [first, second]
        let applied = try database.psql("SELECT name FROM schema_migrations ORDER BY name")
        #expect(applied.split(separator: "\n").map(String.init) == PostgreSQLMigrations.names)
        #expect(try await stores[0].migrate() == [])
        for store in stores { try await store.close() }
    }

    /// Operators query both engines the same way: every table of SQLite's schema has the same
    /// columns in PostgreSQL's (the publication counter is a sequence there, the migrations'
    /// own records and the rate table are each engine's business).
    @Test(needsPostgreSQL) func theTablesAndColumnsAreSQLitesOwn() async throws {
        let folder = NSTemporaryDirectory() + "moderato-parity-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let sqlite = try await StoreFactory.open(.sqlite(path: folder + "/moderato.sqlite"), create: true)
        try await sqlite.close()
        let pool = try DatabasePool(path: folder + "/moderato.sqlite")
        let sqliteColumns = try await pool.read { db in
            var columns: [String: [String]] = [:]
            for table in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
            where !["grdb_migrations", "publication_sequence"].contains(table) {
                columns[table] = try Row.fetchAll(db, sql: "PRAGMA table_info(\(table))").map { $0["name"] as String }
            }
            return columns
        }
        try pool.close()

        let database = try TestPostgreSQL.createDatabase()
        defer { database.drop() }
        var postgresColumns: [String: [String]] = [:]
        for row in try database.jsonRows(
            """
            SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_user
            AND table_name NOT IN ('schema_migrations', 'submission_rate') ORDER BY table_name, ordinal_position
            """)
        {
            postgresColumns[row["table_name"] as! String, default: []].append(row["column_name"] as! String)
        }
        #expect(postgresColumns == sqliteColumns)
        #expect(try database.psql("SELECT last_value FROM publication_sequence").hasPrefix("1"))
    }

    @Test(needsPostgreSQL) func everyConnectionCommitsSynchronously() async throws {
        let database = try TestPostgreSQL.createDatabase()
        defer { database.drop() }
        let store = try await Self.open(database)
        let setting = try await store.rows("SHOW synchronous_commit").first?.decode(String.self)
        #expect(setting == "on")
        try await store.close()
    }

    /// Two stores are two servers: racing submissions by one email decide the flood gap and the
    /// duplicate rule in the database, so exactly one wins.
    @Test(needsPostgreSQL) func twoServersRacingTheSameEmailCannotBothWin() async throws {
        let database = try TestPostgreSQL.createDatabase()
        defer { database.drop() }
        let servers = [try await Self.open(database), try await Self.open(database)]
        let rules = SubmissionRules(policy: ModerationPolicy(mode: .none, maxLinks: 0), floodSeconds: 15)
        let results = try await withThrowingTaskGroup(of: Result<ModeratoCore.Comment, SubmissionRefusal>.self) { group in
            for index in 0..<20 {
                group.addTask {
                    let draft = CommentDraft(
                        post: "/race/", parent: nil, author: "R", url: nil, body: index < 10 ? "same" : "body \(index)",
                        emailHash: "racer", ipHash: "client \(index)")
                    return try await servers[index % 2].submit(draft, rules: rules)
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.filter { (try? $0.get()) != nil }.count == 1, "\(results)")
        #expect(try await servers[0].statusCounts(post: nil)[.approved] == 1)
        for server in servers { try await server.close() }
    }

    /// Moderators moving comments in opposite directions at once: no deadlock is left unresolved,
    /// and the counters equal the real counts.
    @Test(needsPostgreSQL) func countersStayExactUnderConcurrentModeration() async throws {
        let database = try TestPostgreSQL.createDatabase()
        defer { database.drop() }
        let servers = [try await Self.open(database), try await Self.open(database)]
        let open = SubmissionRules(policy: ModerationPolicy(mode: .none, maxLinks: 0))
        var ids: [Int64] = []
        for index in 0..<40 {
            let draft = CommentDraft(
                post: try PostKey("/p\(index % 4)/"), parent: nil, author: "A", url: nil, body: "b\(index)", emailHash: "e\(index)",
                ipHash: nil)
            ids.append(try await servers[0].submit(draft, rules: open).get().id)
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, id) in ids.enumerated() {
                group.addTask {
                    let actions: [ModerationAction] = index.isMultiple(of: 2) ? [.spam, .approve, .trash] : [.trash, .hold, .spam]
                    for action in actions {
                        _ = try await servers[index % 2].moderate(id: id, action: action, actor: "t")
                    }
                }
            }
            try await group.waitForAll()
        }
        let real = try database.psql(
            "SELECT string_agg(post || ' ' || status || ' ' || n, ',' ORDER BY post, status) FROM (SELECT post, status, COUNT(*) AS n FROM comments GROUP BY post, status) t"
        )
        let counted = try database.psql(
            "SELECT string_agg(post || ' ' || status || ' ' || count, ',' ORDER BY post, status) FROM comment_counts WHERE count > 0")
        #expect(real == counted)
        #expect(try await servers[1].statusCounts(post: nil) == [.pending: 0, .approved: 0, .spam: 20, .trash: 20])
        for server in servers { try await server.close() }
    }

    @Test func databaseURLsAreParsedAndNeverShowThePassword() throws {
        let url = try DatabaseURL("postgresql://moder%40to:p%3Ass@db.example.org:6543/comments?sslmode=verify-full&sslrootcert=/etc/ca.pem")
        #expect(url.user == "moder@to")
        #expect(url.password == "p:ss")
        #expect(url.host == "db.example.org" && url.port == 6543 && url.database == "comments")
        #expect(url.tls == .verifyFull && url.rootCertificateFile == "/etc/ca.pem")
        #expect(url.description == "postgres://moder@to@db.example.org:6543/comments")
        #expect(!"\(StoreLocation.postgresql(url, poolSize: 3))".contains("p:ss"))
        #expect(try DatabaseURL("postgres://u@[::1]/d").endpoint == "[::1]:5432")
        #expect(try DatabaseURL("postgres://u@h").database == "u", "libpq's default: the user's name")
        #expect(try DatabaseURL("postgres://u@/d?host=/run/postgresql").endpoint == "/run/postgresql/.s.PGSQL.5432")
        #expect(throws: DatabaseURLError.unsupportedScheme("mysql")) { try DatabaseURL("mysql://u:secret@h/d") }
        #expect(throws: DatabaseURLError.self) { try DatabaseURL("postgres://u:secret@h/d?sslmod=require") }
        #expect(throws: DatabaseURLError.self) { try DatabaseURL("postgres://u:secret@h:99999/d") }
        do {
            _ = try DatabaseURL("postgres://u:secret@h/d?sslmode=sometimes")
        } catch {
            #expect(!error.description.contains("secret"))
        }
        #expect(try StoreLocation(target: "backups/copy.sqlite") == .sqlite(path: "backups/copy.sqlite"))
    }
}
