import Foundation
import ModeratoCore
import ModeratoStore
import PostgreSQLTestSupport
import Synchronization
import Testing

/// Every engine the contract suite runs against. A new engine adds a case here, and every test of
/// `Contract/` runs on it too.
enum StoreEngine: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    /// When `MODERATO_TEST_POSTGRES_URL` names a cluster (`Tests/PostgreSQL/cluster.sh start`);
    /// `PostgreSQLSkipNote` says so when it does not.
    case postgresql

    static var allCases: [StoreEngine] {
        TestPostgreSQL.isAvailable ? [.sqlite, .postgresql] : [.sqlite]
    }

    var testDescription: String { rawValue }

    /// A fresh, empty store, and its location for a second store or process on the same data.
    func makeStore(clock: TestClock = TestClock()) async throws -> OpenStore {
        let location: StoreLocation
        switch self {
        case .sqlite:
            location = .sqlite(path: ContractFolders.new() + "/moderato.sqlite")
        case .postgresql:
            // Each test its own database, from a migrated template.
            location = .postgresql(try DatabaseURL(try TestPostgreSQL.createDatabase().url), poolSize: 4)
        }
        let store = try await StoreFactory.open(location, create: true, clock: clock.now)
        return OpenStore(store: store, location: location, clock: clock)
    }
}

/// Says, in the test report, that the contract suite ran without PostgreSQL and how to include it.
@Suite("Contract: engines")
struct PostgreSQLSkipNote {
    @Test(.disabled(if: !TestPostgreSQL.isAvailable, Comment(rawValue: TestPostgreSQL.skipNote)))
    func postgreSQLIsIncluded() {
        #expect(StoreEngine.allCases.contains(.postgresql))
    }
}

/// A store under test, with its location and clock.
struct OpenStore: Sendable {
    let store: any CommentStore
    let location: StoreLocation
    let clock: TestClock

    /// Another store on the same data, as another process (the CLI, another server) would open it.
    func second() async throws -> any CommentStore {
        try await StoreFactory.open(location, create: false, clock: clock.now)
    }
}

/// A wall clock that stands still until a test moves it.
final class TestClock: Sendable {
    private let offset = Mutex<TimeInterval>(0)
    private let base = Date(timeIntervalSince1970: 1_764_000_000)

    func advance(by seconds: TimeInterval) { offset.withLock { $0 += seconds } }

    var now: @Sendable () -> Date {
        { [self] in base.addingTimeInterval(offset.withLock { $0 }) }
    }
}

extension CommentDraft {
    /// A draft for contract tests: hashes are opaque strings to a store.
    static func sample(
        _ body: String = "Hello", post: PostKey = "/p/", parent: Int64? = nil, email: String = "e1", ip: String? = "i1",
        honeypot: Bool = false
    ) -> CommentDraft {
        CommentDraft(
            post: post, parent: parent, author: "Taro", url: nil, body: body, emailHash: email, ipHash: ip, isHoneypotFilled: honeypot)
    }
}

extension SubmissionRules {
    /// Publishes everything unless a rule says otherwise.
    static let open = SubmissionRules(policy: ModerationPolicy(mode: .none, maxLinks: 0))
    /// Holds everything.
    static let holding = SubmissionRules(policy: ModerationPolicy(mode: .all))
}

/// Folders for contract-test databases. A test hands its store around as `any CommentStore`, which
/// cannot keep a folder alive, so folders live as long as the test process: each run gets a root
/// of its own and removes the roots of runs that have ended.
enum ContractFolders {
    private static let root: String = {
        let base = NSTemporaryDirectory()
        let prefix = "moderato-contract-tests-"
        for name in (try? FileManager.default.contentsOfDirectory(atPath: base)) ?? [] where name.hasPrefix(prefix) {
            if let pid = Int32(name.dropFirst(prefix.count)), kill(pid, 0) != 0 {
                try? FileManager.default.removeItem(atPath: base + name)
            }
        }
        let root = base + prefix + String(getpid())
        try? FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        return root
    }()

    static func new() -> String {
        let folder = root + "/" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }
}
