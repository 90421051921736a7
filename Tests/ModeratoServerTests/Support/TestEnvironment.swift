import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Logging
import ModeratoCore
import ModeratoStore
import NIOCore
import PostgreSQLTestSupport
import Synchronization
import Testing

@testable import ModeratoServer

/// The engine the HTTP suite runs on: SQLite, or PostgreSQL when `MODERATO_TEST_ENGINE=postgresql`
/// (and `MODERATO_TEST_POSTGRES_URL` names a cluster). `.ci/run` runs the suite once on each.
enum TestEngine: String, Sendable {
    case sqlite, postgresql

    static let current: TestEngine = {
        guard ProcessInfo.processInfo.environment["MODERATO_TEST_ENGINE"] == "postgresql" else { return .sqlite }
        precondition(
            TestPostgreSQL.isAvailable,
            "MODERATO_TEST_ENGINE=postgresql needs MODERATO_TEST_POSTGRES_URL (Tests/PostgreSQL/cluster.sh start)")
        return .postgresql
    }()

    /// For tests of what only an SQLite file does (its file modes, its WAL, its pragmas).
    static var isSQLite: Bool { current == .sqlite }
}

/// A Moderato instance for one test: its own temp folder (database, secret), a captured log, and
/// the real application built by `buildApplication`, driven through HummingbirdTesting. On
/// PostgreSQL its database is a new one of the test cluster, dropped when the test is done.
final class TestEnvironment: Sendable {
    let folder: String
    let configuration: ModeratoConfiguration
    let log = CapturedLog()
    /// The PostgreSQL database, when the suite runs on PostgreSQL.
    let postgreSQL: TestDatabase?
    /// The store `store()` hands out on PostgreSQL.
    private let otherProcess = Mutex<(any CommentStore)?>(nil)

    init(_ adjust: (inout ModeratoConfiguration) -> Void = { _ in }) {
        folder = NSTemporaryDirectory() + "moderato-server-tests-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var configuration = ModeratoConfiguration.defaults
        configuration.databasePath = folder + "/data/moderato.sqlite"
        if TestEngine.current == .postgresql {
            let database = try! TestPostgreSQL.createDatabase()
            postgreSQL = database
            configuration.databaseURL = try! DatabaseURL(database.url)
            configuration.databasePoolSize = 4
        } else {
            postgreSQL = nil
        }
        configuration.secretKeyFile = folder + "/data/secret.key"
        configuration.server.port = 0
        configuration.logLevel = .trace
        // Tests post many comments from one client in quick succession; the flood gap and rate
        // limit have their own tests, which turn them back on.
        configuration.limits.floodSeconds = 0
        configuration.limits.ratePerMinute = 0
        adjust(&configuration)
        self.configuration = configuration
        // As after a first start: tests that store comments before starting a server find the
        // secret those comments were hashed with.
        _ = try! SecretKeyFile.loadOrCreate(path: configuration.secretKeyFile)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: folder)
        postgreSQL?.drop()
    }

    var logger: Logger {
        let log = self.log
        var logger = Logger(label: "moderato-test") { _ in CapturingLogHandler(log: log) }
        logger.logLevel = configuration.logLevel
        return logger
    }

    /// Runs `body` against the application, through the in-process router or a live socket.
    func run<Value: Sendable>(
        _ setup: TestingSetup = .router, _ body: @Sendable (any TestClientProtocol) async throws -> Value
    ) async throws -> Value {
        let app = try await buildApplication(configuration: configuration, logger: logger)
        return try await app.test(setup, body)
    }

    /// A second store on the same data, as the CLI would open it.
    func store() async throws -> any CommentStore {
        guard postgreSQL != nil else { return try await StoreFactory.open(configuration.storeLocation, create: true) }
        // One for the whole test on PostgreSQL: each store is a pool of connections, and the
        // cluster's are counted (dropping the database at the end closes it).
        if let store = otherProcess.withLock({ $0 }) { return store }
        let store = try await StoreFactory.open(configuration.storeLocation, create: true)
        return otherProcess.withLock { current in
            if let current { return current }
            current = store
            return store
        }
    }

    /// The application's router, as `buildApplication` builds it (for tests driven by its routes).
    func router() async throws -> Router<AppRequestContext> {
        let store = try await store()
        return buildRouter(
            configuration: configuration, store: store, keyring: try Keyring(secret: Array(repeating: 1, count: 32)),
            versions: try await PublicationVersions(feed: store, logger: logger), metrics: ServerMetrics(), clock: .system
        )
    }

    /// The SQLite file itself, for checks of what only SQLite does.
    func database() throws -> DatabasePool {
        var settings = Configuration()
        settings.busyMode = .timeout(5)
        return try DatabasePool(path: configuration.databasePath, configuration: settings)
    }

    /// Rows of a query, on whichever engine the suite runs (write SQL both understand).
    func rows(_ sql: String) throws -> [TestRow] {
        if let postgreSQL {
            return try postgreSQL.jsonRows(sql).map(TestRow.init(json:))
        }
        return try database().read { db in try Row.fetchAll(db, sql: sql).map(TestRow.init(row:)) }
    }

    func count(_ sql: String = "SELECT COUNT(*) FROM comments") throws -> Int {
        try rows(sql).first?.values.first.flatMap { Int.from($0.value) } ?? 0
    }

    /// Raw bytes of the SQLite database and its WAL and shared-memory files, as written so far.
    func databaseFileBytes() -> [String: Data] {
        var files: [String: Data] = [:]
        for suffix in ["", "-wal", "-shm"] {
            let path = configuration.databasePath + suffix
            if let data = FileManager.default.contents(atPath: path) { files[path] = data }
        }
        return files
    }

    /// Makes the database unusable for the running server: the SQLite file moved away, or the
    /// PostgreSQL role refused and its sessions ended.
    func takeDatabaseAway() throws {
        if let postgreSQL {
            try postgreSQL.setReachable(false)
        } else {
            try FileManager.default.moveItem(atPath: configuration.databasePath, toPath: configuration.databasePath + ".moved")
        }
    }

    func bringDatabaseBack() throws {
        if let postgreSQL {
            try postgreSQL.setReachable(true)
        } else {
            try FileManager.default.moveItem(atPath: configuration.databasePath + ".moved", toPath: configuration.databasePath)
        }
    }

    /// What the engine keeps, byte for byte, for searches that nothing private is stored: the
    /// SQLite files (database, WAL, shared memory), or a `pg_dump` of the PostgreSQL database
    /// (what any backup of it would hold).
    func storedBytes() throws -> [String: Data] {
        if let postgreSQL {
            return ["pg_dump \(postgreSQL.name)": try postgreSQL.dump()]
        }
        return databaseFileBytes()
    }
}

/// A row of a test query, the same on both engines: integers, text, booleans (SQLite's 0/1 and
/// PostgreSQL's true/false alike) and NULL.
struct TestRow: Sendable {
    enum Value: Sendable, Equatable {
        case null
        case integer(Int64)
        case real(Double)
        case text(String)
        case bool(Bool)
    }

    let values: [(name: String, value: Value)]

    init(row: Row) {
        values = row.columnNames.enumerated().map { index, name in
            let value: Value =
                switch row[index] as DatabaseValue {
                case let dbValue where dbValue.isNull: .null
                case let dbValue:
                    switch dbValue.storage {
                    case .int64(let number): .integer(number)
                    case .double(let number): .real(number)
                    case .string(let text): .text(text)
                    case .blob(let data): .text(String(decoding: data, as: UTF8.self))
                    case .null: .null
                    }
                }
            return (name, value)
        }
    }

    init(json: [String: Any]) {
        values = json.map { name, raw in
            let value: Value =
                switch raw {
                case is NSNull: .null
                // JSON true/false arrive as the numbers 1/0, which every reader above accepts.
                case let number as NSNumber where number.doubleValue != Double(number.int64Value): .real(number.doubleValue)
                case let number as NSNumber: .integer(number.int64Value)
                case let text as String: .text(text)
                default: .text("\(raw)")
                }
            return (name, value)
        }
    }

    subscript<T: TestColumnValue>(_ column: String) -> T {
        T.from(values.first { $0.name == column }?.value ?? .null)
    }
}

/// A Swift type a `TestRow` column can be read as.
protocol TestColumnValue {
    static func from(_ value: TestRow.Value) -> Self
}

extension String: TestColumnValue {
    static func from(_ value: TestRow.Value) -> String {
        switch value {
        case .text(let text): text
        case .integer(let number): String(number)
        case .real(let number): String(number)
        case .bool(let flag): String(flag)
        case .null: preconditionFailure("NULL read as a String")
        }
    }
}

extension Int: TestColumnValue {
    static func from(_ value: TestRow.Value) -> Int {
        switch value {
        case .integer(let number): Int(number)
        case .bool(let flag): flag ? 1 : 0
        case .real(let number): Int(number)
        case .text(let text): Int(text)!
        case .null: preconditionFailure("NULL read as an Int")
        }
    }
}

extension Int64: TestColumnValue {
    static func from(_ value: TestRow.Value) -> Int64 { Int64(Int.from(value)) }
}

extension Bool: TestColumnValue {
    static func from(_ value: TestRow.Value) -> Bool { Int.from(value) != 0 }
}

extension Optional: TestColumnValue where Wrapped: TestColumnValue {
    static func from(_ value: TestRow.Value) -> Wrapped? {
        value == .null ? nil : Wrapped.from(value)
    }
}

/// Everything logged during a test, as text.
final class CapturedLog: Sendable {
    private let lines = Mutex<[String]>([])

    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var text: String { lines.withLock { $0.joined(separator: "\n") } }
}

struct CapturingLogHandler: LogHandler {
    let log: CapturedLog
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        log.append("\(event.level) \(event.message) \(merged) \(event.source)")
    }
}

extension TestClientProtocol {
    /// POSTs a urlencoded form, as a browser would.
    @discardableResult
    func postForm(
        _ fields: [(String, String)], path: String = "/comments", headers: HTTPFields = [:]
    ) async throws -> TestResponse {
        let body = fields.map { "\(formEncode($0.0))=\(formEncode($0.1))" }.joined(separator: "&")
        return try await postRaw(Data(body.utf8), contentType: "application/x-www-form-urlencoded", path: path, headers: headers)
    }

    /// POSTs a JSON object.
    @discardableResult
    func postJSON(_ object: [String: Any], path: String = "/comments", headers: HTTPFields = [:]) async throws -> TestResponse {
        let data = try JSONSerialization.data(withJSONObject: object)
        return try await postRaw(data, contentType: "application/json", path: path, headers: headers)
    }

    @discardableResult
    func postRaw(_ data: Data, contentType: String?, path: String = "/comments", headers: HTTPFields = [:]) async throws -> TestResponse {
        var all = headers
        if let contentType { all[.contentType] = contentType }
        return try await execute(uri: path, method: .post, headers: all, body: ByteBuffer(bytes: data))
    }
}

func formEncode(_ text: String) -> String {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._*")
    return text.addingPercentEncoding(withAllowedCharacters: allowed)!.replacingOccurrences(of: "%20", with: "+")
}

extension TestResponse {
    var text: String { String(buffer: body) }

    func json() throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any] ?? [:]
    }

    /// The `field`s of a problem+json `errors` list.
    func errorFields() throws -> [String] {
        (try json()["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }
    }
}

/// A valid comment form, with the fields named as WordPress names them.
func commentForm(
    body: String = "Thank you for the timeline.", author: String = "Taro", email: String = "taro@example.org",
    post: String = "/2025/11/peace-talks/", extra: [(String, String)] = []
) -> [(String, String)] {
    [("comment", body), ("author", author), ("email", email), ("url", ""), ("comment_post_ID", post), ("comment_parent", "0")] + extra
}

func commentJSON(
    body: String = "Thank you for the timeline.", author: String = "Taro", email: String = "taro@example.org",
    post: String = "/2025/11/peace-talks/"
) -> [String: Any] {
    ["body": body, "author": author, "email": email, "post": post]
}
