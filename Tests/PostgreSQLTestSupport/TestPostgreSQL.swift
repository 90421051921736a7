import Foundation
import Synchronization

/// The throwaway PostgreSQL cluster the tests may use (`Tests/PostgreSQL/cluster.sh start`
/// exports `MODERATO_TEST_POSTGRES_URL`), through `psql`. Without the URL every PostgreSQL test
/// is skipped, with a note saying how to include them.
///
/// Each test gets a database of its own in the sense Moderato sees: a login role and a schema of
/// the same name in the shared database `moderato_tests`. PostgreSQL's default search path
/// (`"$user", public`) makes that schema the role's whole world, so the engine, unchanged, finds
/// its tables there. (A real database per test costs a second to create and two to drop on this
/// machine — a checkpoint each — which a suite of a hundred tests cannot afford; a schema costs a
/// few milliseconds either way.)
public enum TestPostgreSQL {
    /// The cluster's URL (a superuser on its maintenance database), when one is up.
    public static let serverURL: String? = {
        let value = ProcessInfo.processInfo.environment["MODERATO_TEST_POSTGRES_URL"] ?? ""
        return value.isEmpty ? nil : value
    }()

    public static var isAvailable: Bool { serverURL != nil }

    /// Why PostgreSQL tests did not run.
    public static let skipNote =
        "MODERATO_TEST_POSTGRES_URL is not set, so this runs on SQLite only; `eval \"$(Tests/PostgreSQL/cluster.sh start)\"` first to include PostgreSQL"

    /// The database every test's schema lives in.
    public static let sharedDatabase = "moderato_tests"

    /// `Schema/postgresql`, read from the source tree.
    public static var schemaFolderPath: String { schemaFolder }
    static let schemaFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Schema/postgresql").standardized.path

    private static let state = NameState()

    /// A new database with Moderato's schema already migrated (as the engine records it).
    public static func createDatabase() throws -> TestDatabase {
        try state.prepare()
        let database = TestDatabase(name: state.nextName())
        try psql(database.creation + "SET LOCAL ROLE \(database.name);\n" + migrationScript() + "COMMIT;\n", database: sharedDatabase)
        return database
    }

    /// A new, empty database (no schema yet): what an operator hands a new install.
    public static func createEmptyDatabase() throws -> TestDatabase {
        try state.prepare()
        let database = TestDatabase(name: state.nextName())
        try psql(database.creation + "COMMIT;\n", database: sharedDatabase)
        return database
    }

    /// Runs `sql` with psql on `database` (the maintenance database by default) of the test
    /// cluster, or of the server at `serverURL`; returns stdout.
    @discardableResult
    public static func psql(_ sql: String, database: String? = nil, serverURL: String? = nil) throws -> String {
        guard let server = serverURL ?? self.serverURL else { throw TestPostgreSQLError.notConfigured }
        return try psql(sql, url: url(of: server, database: database))
    }

    /// Runs `sql` with psql at `url`.
    @discardableResult
    public static func psql(_ sql: String, url: String) throws -> String {
        try run(executable("psql"), ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", url], input: sql)
    }

    /// The rows of `sql` as JSON objects (column → value), by psql at `url`.
    public static func jsonRows(_ sql: String, url: String) throws -> [[String: Any]] {
        let output = try psql("SELECT coalesce(json_agg(row_to_json(t)), '[]') FROM (\(sql)) AS t", url: url)
        let data = Data(output.trimmingCharacters(in: .whitespacesAndNewlines).utf8)
        return try JSONSerialization.jsonObject(with: data) as? [[String: Any]] ?? []
    }

    /// The password in a URL, to check that no output shows it.
    public static func password(of url: String) -> String {
        guard let start = url.range(of: "://"), let at = url[start.upperBound...].lastIndex(of: "@") else { return "" }
        let userInfo = url[start.upperBound..<at]
        return userInfo.firstIndex(of: ":").map { String(userInfo[userInfo.index(after: $0)...]) } ?? ""
    }

    /// The server URL with another database name (and user, password).
    public static func url(of serverURL: String, database: String?, user: String? = nil, password: String? = nil) -> String {
        guard let schemeEnd = serverURL.range(of: "://") else { return serverURL }
        var rest = String(serverURL[schemeEnd.upperBound...])
        var query = ""
        if let mark = rest.firstIndex(of: "?") {
            query = String(rest[mark...])
            rest = String(rest[..<mark])
        }
        var path = ""
        if let slash = rest.firstIndex(of: "/") {
            path = String(rest[rest.index(after: slash)...])
            rest = String(rest[..<slash])
        }
        if let user, let at = rest.lastIndex(of: "@") {
            rest = user + (password.map { ":" + $0 } ?? "") + rest[at...]
        }
        return String(serverURL[..<schemeEnd.upperBound]) + rest + "/" + (database ?? path) + query
    }

    /// A PostgreSQL program: the newest installed version's, else whatever is in /usr/bin.
    public static func executable(_ name: String) -> String {
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        for version in versions.sorted(by: { (Int($0) ?? 0) > (Int($1) ?? 0) }) {
            let path = "/usr/lib/postgresql/\(version)/bin/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return "/usr/bin/\(name)"
    }

    @discardableResult
    static func run(_ executable: String, _ arguments: [String], input: String? = nil) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(["PGCONNECT_TIMEOUT": "10"]) { $1 }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let inputPipe = Pipe()
        process.standardInput = input == nil ? FileHandle.nullDevice : inputPipe
        try process.run()
        if let input {
            // Written from another thread: a large script must not block on a full pipe while
            // psql waits to write its output.
            let writer = Thread {
                inputPipe.fileHandleForWriting.write(Data(input.utf8))
                try? inputPipe.fileHandleForWriting.close()
            }
            writer.start()
        }
        let errors = ErrorCollector(err.fileHandleForReading)
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TestPostgreSQLError.psqlFailed(errors.text())
        }
        return String(decoding: stdout, as: UTF8.self)
    }

    /// The statements that apply `Schema/postgresql` in order and record each file as the engine
    /// does (`schema_migrations`), so the engine finds the database up to date. The contract
    /// suite's "already up to date" test fails if the two ever disagree.
    static func migrationScript() throws -> String {
        let files = try FileManager.default.contentsOfDirectory(atPath: schemaFolder).filter { $0.hasSuffix(".sql") }.sorted()
        var script = "CREATE TABLE schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());\n"
        for file in files {
            script += try String(contentsOfFile: schemaFolder + "/" + file, encoding: .utf8) + "\n"
            script += "INSERT INTO schema_migrations (name) VALUES ('\(file.dropLast(4))');\n"
        }
        return script
    }

    /// Names for this process's databases; the shared database, made once; the databases of
    /// test processes that have ended, dropped.
    private final class NameState: Sendable {
        private let counter = Mutex(0)
        private let prepared = Mutex(false)
        let prefix = "moderato_t\(getpid())_"

        func nextName() -> String {
            prefix
                + String(
                    counter.withLock {
                        $0 += 1
                        return $0
                    })
        }

        func prepare() throws {
            try prepared.withLock { done in
                guard !done else { return }
                let exists = try TestPostgreSQL.psql("SELECT 1 FROM pg_database WHERE datname = '\(sharedDatabase)'")
                if exists.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                    do {
                        try TestPostgreSQL.psql("CREATE DATABASE \(sharedDatabase)")
                    } catch TestPostgreSQLError.psqlFailed(let message) where message.contains("already exists") {}
                }
                // Nothing may be created in public: each role's tables go to its own schema.
                try TestPostgreSQL.psql("REVOKE CREATE ON SCHEMA public FROM PUBLIC", database: sharedDatabase)
                try dropDatabasesOfEndedRuns()
                done = true
            }
        }

        private func dropDatabasesOfEndedRuns() throws {
            let names = try TestPostgreSQL.psql("SELECT rolname FROM pg_roles WHERE rolname LIKE 'moderato\\_t%'")
                .split(separator: "\n").map(String.init)
            for name in names {
                let pid = name.dropFirst("moderato_t".count).prefix { $0.isNumber }
                guard let pid = Int32(pid), pid != getpid(), kill(pid, 0) != 0 else { continue }
                TestDatabase(name: name).drop()
            }
        }
    }
}

/// One test's database: a role and its schema in `TestPostgreSQL.sharedDatabase`.
public struct TestDatabase: Sendable {
    public let name: String

    /// The role's password: the test cluster is throwaway and local.
    var password: String { "pw_" + name }

    /// Its URL, for `database.url`: the role, so that its schema is the one found.
    public var url: String {
        TestPostgreSQL.url(of: TestPostgreSQL.serverURL ?? "", database: TestPostgreSQL.sharedDatabase, user: name, password: password)
    }

    /// `BEGIN` and the role with its schema (the caller commits).
    var creation: String {
        "BEGIN;\nCREATE ROLE \(name) LOGIN PASSWORD '\(password)';\nCREATE SCHEMA \(name) AUTHORIZATION \(name);\n"
    }

    /// Rows of `sql` as this database's role sees them.
    public func jsonRows(_ sql: String) throws -> [[String: Any]] {
        try TestPostgreSQL.jsonRows(sql, url: url)
    }

    /// Runs `sql` as this database's role.
    @discardableResult
    public func psql(_ sql: String) throws -> String {
        try TestPostgreSQL.psql(sql, url: url)
    }

    /// `pg_dump` of the schema: what a backup of it holds, byte for byte.
    public func dump() throws -> Data {
        guard let server = TestPostgreSQL.serverURL else { throw TestPostgreSQLError.notConfigured }
        let output = try TestPostgreSQL.run(
            TestPostgreSQL.executable("pg_dump"),
            ["--no-owner", "--schema", name, TestPostgreSQL.url(of: server, database: TestPostgreSQL.sharedDatabase)])
        return Data(output.utf8)
    }

    /// Ends every session of the role and refuses new ones (a database server gone, as this
    /// role sees it), or lets them in again.
    public func setReachable(_ reachable: Bool) throws {
        try TestPostgreSQL.psql("ALTER ROLE \(name) \(reachable ? "LOGIN" : "NOLOGIN")")
        if !reachable {
            try TestPostgreSQL.psql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '\(name)'")
        }
    }

    /// Drops it, ending any session still on it.
    public func drop() {
        _ = try? TestPostgreSQL.psql(
            """
            SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '\(name)';
            DROP SCHEMA IF EXISTS \(name) CASCADE;
            DROP ROLE IF EXISTS \(name);
            """, database: TestPostgreSQL.sharedDatabase)
    }
}

public enum TestPostgreSQLError: Error, CustomStringConvertible {
    case notConfigured
    case psqlFailed(String)

    public var description: String {
        switch self {
        case .notConfigured: TestPostgreSQL.skipNote
        case .psqlFailed(let message): "psql failed: \(message)"
        }
    }
}

/// Reads a pipe to its end on a thread of its own, so that neither of a child's two output pipes
/// can fill up while the other is being read.
private final class ErrorCollector: Sendable {
    private let data = Mutex(Data())
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        Thread { [self] in
            let bytes = handle.readDataToEndOfFile()
            data.withLock { $0 = bytes }
            done.signal()
        }.start()
    }

    func text() -> String {
        done.wait()
        return String(decoding: data.withLock { $0 }, as: UTF8.self)
    }
}
