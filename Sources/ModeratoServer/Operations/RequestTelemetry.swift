import Hummingbird
import Logging

/// One log line and one metric sample per request: method, route (the pattern, never the raw
/// path or query), status, duration and request id. Nothing a client sent ends up in the log.
struct RequestTelemetry: RouterMiddleware {
    typealias Context = AppRequestContext

    let metrics: ServerMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        // Errors arrive as responses (see `ProblemMiddleware`), so their status is logged too.
        let response = try await next(request, context)
        let duration = ContinuousClock.now - started
        let route = context.endpointPath ?? "unmatched"
        let status = Int(response.status.code)
        metrics.request(route: route, method: request.method.rawValue, status: status, duration: duration)
        let milliseconds = Double(duration.components.attoseconds) / 1e15 + Double(duration.components.seconds) * 1000
        context.logger.log(
            level: status >= 500 ? .error : .info,
            "\(request.method.rawValue) \(route) \(status) \(String(format: "%.2f", milliseconds))ms",
            metadata: ["status": .stringConvertible(status)]
        )
        return response
    }
}
