import Logging
import ModeratoStore
import ServiceLifecycle

/// Waits for graceful shutdown, then closes the database (SQLite checkpoints its log first). Listed first among the
/// services, it is shut down last — after the HTTP server has finished its in-flight requests.
struct DatabaseCloser: Service {
    let store: any CommentStore
    let logger: Logger

    func run() async throws {
        try? await gracefulShutdown()
        do {
            try await store.close()
            logger.info("database closed")
        } catch {
            logger.error("could not close the database cleanly", metadata: ["error": "\(error)"])
        }
    }
}
