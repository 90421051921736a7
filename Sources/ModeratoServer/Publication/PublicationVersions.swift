import Logging
import ModeratoCore
import ModeratoStore
import ServiceLifecycle
import Synchronization

/// What version of each post the public is looking at, kept in memory so that checking a cached
/// response for freshness costs no database access at all.
///
/// It follows the store's change feed: this process's writes arrive as they commit (before the
/// write returns, so an author sent back to the page sees the comment), and other writers' — the
/// `moderato` CLI, other servers — by the engine's own mechanism, run here as a service.
final class PublicationVersions: Service, Sendable {
    private struct State {
        var latest: Int64 = 0
        /// Keyed by `PostKey`, which compares bytes as the database does.
        var posts: [PostKey: Int64] = [:]
    }

    private let state = Mutex(State())
    private let feed: any PublicationChangeFeed
    private let interval: Duration
    private let logger: Logger

    /// Reads every post's version and subscribes to the changes that follow.
    init(feed: any PublicationChangeFeed, interval: Duration = .milliseconds(200), logger: Logger) async throws {
        self.feed = feed
        self.interval = interval
        self.logger = logger
        feed.observeChanges { [weak self] changes in self?.apply(changes) }
        apply(try await feed.publicationChanges(since: 0))
    }

    /// The version of one post; 0 for a post nothing was ever published on.
    func version(of post: PostKey) -> Int64 {
        state.withLock { $0.posts[post] ?? 0 }
    }

    /// The highest version of any post: changes whenever anything public changes.
    var siteVersion: Int64 {
        state.withLock { $0.latest }
    }

    private func apply(_ changes: PublicationChanges) {
        state.withLock { state in
            state.latest = max(state.latest, changes.latest)
            for (post, version) in changes.posts {
                state.posts[post] = max(state.posts[post] ?? 0, version)
            }
        }
    }

    func run() async throws {
        await cancelWhenGracefulShutdown {
            var failing = false
            while !Task.isCancelled {
                let started = ContinuousClock.now
                do {
                    try await self.feed.followOtherWriters(every: self.interval)
                } catch is CancellationError {
                    return
                } catch {
                    // The database did not answer (or a database server went away); caches stay
                    // as they are until it does, and the follower, called again, catches up with
                    // what changed meanwhile. One warning per outage, not one per attempt.
                    let newOutage = !failing || ContinuousClock.now - started > .seconds(5)
                    self.logger.log(
                        level: newOutage ? .warning : .debug, "could not follow published changes; retrying",
                        metadata: ["error": "\(error)"])
                    failing = true
                    try? await Task.sleep(for: self.interval)
                }
            }
        }
    }
}
