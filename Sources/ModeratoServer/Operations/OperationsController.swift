import Hummingbird
import ModeratoStore

/// The operator's endpoints (SPEC §3.4): `/healthz`, `/metrics`, `/openapi.json`.
struct OperationsController: Sendable {
    let store: any CommentStore
    let metrics: ServerMetrics

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/healthz", use: health)
        router.get("/metrics", use: prometheus)
        router.get("/openapi.json") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/json", .cacheControl: "public, max-age=3600"],
                body: .init(byteBuffer: ByteBuffer(bytes: OpenAPIDocument.bytes)))
        }
    }

    @Sendable func health(_ request: Request, context: AppRequestContext) async throws -> Response {
        let headers: HTTPFields = [.contentType: "application/json", .cacheControl: "no-store"]
        do {
            try await store.checkHealth()
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: #"{"status":"ok"}"#)))
        } catch {
            context.logger.error("health check failed", metadata: ["error": "\(error)"])
            return Response(
                status: .serviceUnavailable, headers: headers, body: .init(byteBuffer: ByteBuffer(string: #"{"status":"unavailable"}"#)))
        }
    }

    @Sendable func prometheus(_ request: Request, context: AppRequestContext) async throws -> Response {
        // Counts that other processes (the CLI) change too are read fresh at each scrape.
        if let statuses = try? await store.statusCounts(post: nil), let audit = try? await store.auditCounts() {
            // The outbox per channel and state: what is waiting, delivered and given up, whoever sent it.
            let deliveries = (try? await store.deliverySummary()).map { summary in
                Dictionary(
                    uniqueKeysWithValues: summary.map { channel, counts in
                        (channel.rawValue, ["pending": counts.pending, "delivered": counts.delivered, "failed": counts.failed])
                    })
            }
            metrics.setDatabaseGauges(
                statusCounts: Dictionary(uniqueKeysWithValues: statuses.map { ($0.key.rawValue, $0.value) }), auditCounts: audit,
                deliveries: deliveries ?? [:]
            )
        }
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(bytes: metrics.render()))
        )
    }
}

/// `Resources/openapi.json`, embedded at build time: the description of every route, kept honest
/// by a test that compares it with the router.
enum OpenAPIDocument {
    static let bytes: [UInt8] = PackageResources.openapi_json
}
