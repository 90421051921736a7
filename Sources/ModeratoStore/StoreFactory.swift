import Foundation
import ModeratoCore

/// Where the data lives; the one thing that picks an engine.
public enum StoreLocation: Sendable, Equatable, CustomStringConvertible {
    /// An SQLite file, embedded: the default.
    case sqlite(path: String)
    /// A PostgreSQL database, shared by any number of servers, with a pool of `poolSize` connections.
    case postgresql(DatabaseURL, poolSize: Int)

    /// The configured place: a database URL when one is given (it wins), else the SQLite file.
    public init(url: DatabaseURL?, path: String, poolSize: Int) {
        self = url.map { .postgresql($0, poolSize: poolSize) } ?? .sqlite(path: path)
    }

    /// A place named on the command line (`moderato copy --to`): a URL with a scheme, else a file path.
    public init(target: String, poolSize: Int = 4) throws(DatabaseURLError) {
        if target.contains("://") {
            self = .postgresql(try DatabaseURL(target), poolSize: poolSize)
        } else {
            self = .sqlite(path: target)
        }
    }

    /// Never shows a password.
    public var description: String {
        switch self {
        case .sqlite(let path): path
        case .postgresql(let url, _): url.description
        }
    }
}

/// Builds the store for `serve`, every CLI command and `migrate`: the one place an engine is
/// chosen and constructed.
public enum StoreFactory {
    /// - Parameters:
    ///   - create: a new, empty database may be made (`serve`, `migrate`); otherwise a missing
    ///     one is `StoreError.notFound` rather than an empty database in the wrong place.
    ///   - migrate: bring the schema up to date on opening (`migrate` does it itself, to report).
    ///   - clock: the time every write records (tests move it).
    public static func open(
        _ location: StoreLocation, create: Bool, migrate: Bool = true, clock: @escaping @Sendable () -> Date = { Date() }
    ) async throws -> any CommentStore {
        switch location {
        case .sqlite(let path):
            guard create || FileManager.default.fileExists(atPath: path) else { throw StoreError.notFound(path) }
            return try SQLiteCommentStore(path: path, migrate: migrate, clock: clock)
        case .postgresql(let url, let poolSize):
            return try await PostgreSQLCommentStore.open(url: url, poolSize: poolSize, create: create, migrate: migrate, clock: clock)
        }
    }
}
