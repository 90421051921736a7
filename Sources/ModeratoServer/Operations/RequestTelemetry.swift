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
        context.logger.log(
            level: status >= 500 ? .error : .info,
            "\(request.method.rawValue) \(route) \(status) \(Self.milliseconds(duration))ms",
            metadata: ["status": .stringConvertible(status)]
        )
        return response
    }

    /// `12.34`: milliseconds with two decimals, rounded, as `String(format: "%.2f")` wrote them
    /// (Foundation's formatter was a noticeable part of a cached read).
    static func milliseconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        // Hundredths of a millisecond are 10^13 attoseconds; rounded half up.
        let hundredths = max(0, seconds) * 100_000 + (max(0, attoseconds) + 5_000_000_000_000) / 10_000_000_000_000
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}
