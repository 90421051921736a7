import Logging
import ModeratoCore
import ModeratoStore
import ServiceLifecycle
import Synchronization

/// What version of each post the public is looking at, kept in memory so that checking a cached
/// response for freshness costs no database access at all.
///
/// Changes made by this process are applied at once (`refresh()` after a write that published
/// something); changes made by another process — the `moderato` CLI on the same file — are found
/// by polling one indexed query every `interval`, well within the one second the API promises.
final class PublicationVersions: Service, Sendable {
    private struct State {
        var latest: Int64 = 0
        /// Keyed by `PostKey`, which compares bytes as the database does.
        var posts: [PostKey: Int64] = [:]
    }

    private let state = Mutex(State())
    private let store: any CommentStore
    private let interval: Duration
    private let logger: Logger

    init(store: any CommentStore, interval: Duration = .milliseconds(200), logger: Logger) {
        self.store = store
        self.interval = interval
        self.logger = logger
    }

    /// The version of one post; 0 for a post nothing was ever published on.
    func version(of post: PostKey) -> Int64 {
        state.withLock { $0.posts[post] ?? 0 }
    }

    /// The highest version of any post: changes whenever anything public changes.
    var siteVersion: Int64 {
        state.withLock { $0.latest }
    }

    /// Reads what changed since the last look.
    func refresh() async {
        let since = siteVersion
        do {
            let changes = try await store.publicationChanges(since: since)
            state.withLock { state in
                guard changes.latest > state.latest else { return }
                state.latest = changes.latest
                for (text, version) in changes.posts {
                    let post = PostKey(stored: text)
                    state.posts[post] = max(state.posts[post] ?? 0, version)
                }
            }
        } catch is CancellationError {
            // Shutting down.
        } catch {
            logger.warning("could not check for published changes", metadata: ["error": "\(error)"])
        }
    }

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try? await Task.sleep(for: self.interval)
                await self.refresh()
            }
        }
    }
}
