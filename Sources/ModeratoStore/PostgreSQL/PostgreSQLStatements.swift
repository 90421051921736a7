import Logging
import PostgresNIO
import Synchronization

/// Runs statements so that none waits forever on a connection that closed under it.
///
/// PostgresNIO writes a statement to its connection's channel without a promise for the write;
/// once the channel has closed and its handlers are gone, the statement is dropped and its answer
/// never comes (seen with `pg_ctl stop -m immediate` under load: requests hung until the server
/// was killed). So every statement is also failed the moment its connection's close is reported,
/// which one callback per connection does for every statement still waiting on it.
final class PostgreSQLStatements: Sendable {
    private struct State {
        var nextTicket: UInt64 = 0
        /// Statements waiting for an answer, per connection.
        var waiting: [PostgresConnection.ID: [UInt64: CheckedContinuation<[PostgresRow], any Error>]] = [:]
    }

    private let state = Mutex(State())

    /// The statement's rows, or an error as soon as its connection closes.
    func rows(_ query: PostgresQuery, on connection: PostgresConnection, logger: Logger) async throws -> [PostgresRow] {
        try await withCheckedThrowingContinuation { continuation in
            let ticket: UInt64? = state.withLock { state in
                // Read under the lock: the close callback runs only after the channel went
                // inactive, so either it is closed now or the callback will find this statement.
                guard !connection.isClosed else { return nil }
                state.nextTicket += 1
                if state.waiting[connection.id] == nil {
                    state.waiting[connection.id] = [:]
                    connection.closeFuture.whenComplete { [self] _ in failAll(on: connection.id) }
                }
                state.waiting[connection.id]![state.nextTicket] = continuation
                return state.nextTicket
            }
            guard let ticket else {
                continuation.resume(throwing: ClosedConnection.leased)
                return
            }
            Task {
                let result: Result<[PostgresRow], any Error>
                do {
                    result = .success(try await connection.query(query, logger: logger).collect())
                } catch {
                    result = .failure(error)
                }
                let waiting = state.withLock { $0.waiting[connection.id]?.removeValue(forKey: ticket) }
                waiting?.resume(with: result)
            }
        }
    }

    private func failAll(on connection: PostgresConnection.ID) {
        let waiting = state.withLock { $0.waiting.removeValue(forKey: connection) } ?? [:]
        for continuation in waiting.values {
            continuation.resume(throwing: ClosedConnection.closedWhileWaiting)
        }
    }
}
