import Foundation
import ModeratoCore

/// Where the data lives; the one thing that picks an engine.
public enum StoreLocation: Sendable, Equatable, CustomStringConvertible {
    /// An SQLite file, embedded: the default.
    case sqlite(path: String)

    public var description: String {
        switch self {
        case .sqlite(let path): path
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
        }
    }
}
