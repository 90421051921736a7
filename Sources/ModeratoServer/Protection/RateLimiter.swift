import Synchronization

/// At most `limit` submissions per client in any rolling `window` (SPEC `limits.rate_per_minute`).
///
/// Kept in memory with a fixed budget: each client costs a few dozen bytes plus eight per recorded
/// submission, and when the table is full the clients idle longest are forgotten first, so memory
/// does not grow with the number of distinct attackers.
final class RateLimiter: Sendable {
    /// Seconds since the limiter started, as a client's recent submission times.
    private struct Client {
        var stamps: [Double]
        var lastSeen: Double
    }

    private struct State {
        var clients: [UInt64: Client] = [:]
    }

    private let state = Mutex(State())
    let limit: Int
    let window: Double
    let maxClients: Int
    private let start: ContinuousClock.Instant
    private let now: @Sendable () -> ContinuousClock.Instant

    /// - Parameter memoryBudget: bytes the table may use at most (default 4 MiB).
    init(
        limit: Int, window: Duration = .seconds(60), memoryBudget: Int = 4 << 20,
        now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }
    ) {
        self.limit = limit
        self.window = Double(window.components.seconds) + Double(window.components.attoseconds) / 1e18
        // Dictionary entry, array header and the stamps themselves, rounded up.
        self.maxClients = max(64, memoryBudget / (96 + 8 * limit))
        self.now = now
        self.start = now()
    }

    /// Records a submission by `client` (a prefix of its keyed IP hash) if it is within the limit.
    /// Returns `nil` when allowed, else the whole seconds until a slot frees (for `Retry-After`).
    func admit(_ client: UInt64) -> Int? {
        let elapsed = now() - start
        let time = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return state.withLock { state in
            var entry = state.clients[client] ?? Client(stamps: [], lastSeen: time)
            entry.stamps.removeAll { $0 <= time - window }
            entry.lastSeen = time
            if entry.stamps.count >= limit {
                state.clients[client] = entry
                let frees = entry.stamps[entry.stamps.count - limit] + window - time
                return max(1, Int(frees.rounded(.up)))
            }
            entry.stamps.append(time)
            if state.clients[client] == nil, state.clients.count >= maxClients {
                Self.evict(&state, now: time, window: window, keep: maxClients * 9 / 10)
            }
            state.clients[client] = entry
            return nil
        }
    }

    /// Drops clients with nothing left in the window, then the longest idle, down to `keep`.
    private static func evict(_ state: inout State, now: Double, window: Double, keep: Int) {
        state.clients = state.clients.filter { $0.value.stamps.contains { $0 > now - window } }
        guard state.clients.count > keep else { return }
        let idlest = state.clients.sorted { $0.value.lastSeen < $1.value.lastSeen }.prefix(state.clients.count - keep)
        for (key, _) in idlest { state.clients[key] = nil }
    }

    var trackedClients: Int { state.withLock { $0.clients.count } }
}
