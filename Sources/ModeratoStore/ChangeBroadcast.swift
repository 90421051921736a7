import ModeratoCore
import Synchronization

/// The observers of a store's publication changes, and the highest version they were told about:
/// the engine-neutral half of `PublicationChangeFeed`. An engine publishes its own writes right
/// after they commit and other writers' as its mechanism finds them.
public final class ChangeBroadcast: Sendable {
    private struct State {
        var observers: [@Sendable (PublicationChanges) -> Void] = []
        var latest: Int64 = 0
    }

    private let state = Mutex(State())

    public init() {}

    public func observe(_ observer: @escaping @Sendable (PublicationChanges) -> Void) {
        state.withLock { $0.observers.append(observer) }
    }

    /// The highest version published so far: where a look for other writers' changes starts.
    public var latest: Int64 {
        state.withLock { $0.latest }
    }

    /// Tells every observer, synchronously (a write returns only after its caches were told).
    public func publish(_ changes: PublicationChanges) {
        guard !changes.posts.isEmpty || changes.latest > 0 else { return }
        let observers = state.withLock { state in
            state.latest = max(state.latest, changes.latest)
            return state.observers
        }
        for observer in observers { observer(changes) }
    }
}

extension PublicationChanges {
    /// Both sets of changes, keeping each post's highest version.
    func merged(with other: PublicationChanges) -> PublicationChanges {
        PublicationChanges(latest: max(latest, other.latest), posts: posts.merging(other.posts, uniquingKeysWith: max))
    }

    static let none = PublicationChanges(latest: 0, posts: [:])
}
