import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Logging
import ModeratoCore
import ModeratoStore
import NIOCore
import Synchronization

@testable import ModeratoServer

/// A Moderato instance for one test: its own temp folder (database, secret), a captured log, and
/// the real application built by `buildApplication`, driven through HummingbirdTesting.
final class TestEnvironment: Sendable {
    let folder: String
    let configuration: ModeratoConfiguration
    let log = CapturedLog()

    init(_ adjust: (inout ModeratoConfiguration) -> Void = { _ in }) {
        folder = NSTemporaryDirectory() + "moderato-server-tests-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var configuration = ModeratoConfiguration.defaults
        configuration.databasePath = folder + "/data/moderato.sqlite"
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
        try await StoreFactory.open(configuration.storeLocation, create: true)
    }

    /// The application's router, as `buildApplication` builds it (for tests driven by its routes).
    func router() async throws -> Router<AppRequestContext> {
        let store = try await store()
        return buildRouter(
            configuration: configuration, store: store, keyring: try Keyring(secret: Array(repeating: 1, count: 32)),
            versions: try await PublicationVersions(feed: store, logger: logger), metrics: ServerMetrics(), clock: .system
        )
    }

    /// The SQLite file itself, for checks of what is stored byte by byte.
    func database() throws -> DatabasePool {
        var settings = Configuration()
        settings.busyMode = .timeout(5)
        return try DatabasePool(path: configuration.databasePath, configuration: settings)
    }

    func rows(_ sql: String, _ arguments: StatementArguments = []) throws -> [Row] {
        try database().read { db in try Row.fetchAll(db, sql: sql, arguments: arguments) }
    }

    func count(_ sql: String = "SELECT COUNT(*) FROM comments") throws -> Int {
        try database().read { db in try Int.fetchOne(db, sql: sql) ?? 0 }
    }

    /// Raw bytes of the database and its WAL and shared-memory files, as written so far.
    func databaseFileBytes() -> [String: Data] {
        var files: [String: Data] = [:]
        for suffix in ["", "-wal", "-shm"] {
            let path = configuration.databasePath + suffix
            if let data = FileManager.default.contents(atPath: path) { files[path] = data }
        }
        return files
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
