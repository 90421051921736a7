import Hummingbird
import ModeratoStore

/// `/healthz` and, later, the other operator endpoints of SPEC §3.4.
struct OperationsController: Sendable {
    let store: any CommentStore

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/healthz") { _, context in
            do {
                try await store.checkHealth()
                return Response(status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-store"],
                                body: .init(byteBuffer: ByteBuffer(string: "{\"status\":\"ok\"}")))
            } catch {
                context.logger.error("health check failed", metadata: ["error": "\(error)"])
                return Response(status: .serviceUnavailable, headers: [.contentType: "application/json", .cacheControl: "no-store"],
                                body: .init(byteBuffer: ByteBuffer(string: "{\"status\":\"unavailable\"}")))
            }
        }
    }
}
