import CoreMetrics
import Prometheus
import Synchronization

/// The server's Prometheus metrics, on a registry of its own (not the process-wide
/// `MetricsSystem`), so every application instance — and every test — counts for itself.
final class ServerMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    let factory: PrometheusMetricsFactory

    /// The request metrics of each route, method and status, made once: the hot path then only
    /// looks them up instead of asking the registry (which sorts labels and locks) every time.
    private struct RequestKey: Hashable {
        var route: String
        var method: String
        var status: Int
    }

    private let requestHandles = Mutex<[RequestKey: (CoreMetrics.Counter, CoreMetrics.Timer)]>([:])
    private let outcomeCounters = Mutex<[String: CoreMetrics.Counter]>([:])

    init() {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2),
            .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
            .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10),
        ]
        self.factory = factory
    }

    /// One finished request: `moderato_http_requests_total` and `moderato_http_request_duration_seconds`.
    func request(route: String, method: String, status: Int, duration: Duration) {
        let key = RequestKey(route: route, method: method, status: status)
        let (counter, timer) = requestHandles.withLock { handles in
            if let existing = handles[key] { return existing }
            let made = (
                CoreMetrics.Counter(
                    label: "moderato_http_requests_total", dimensions: [("route", route), ("method", method), ("status", String(status))],
                    factory: factory),
                CoreMetrics.Timer(
                    label: "moderato_http_request_duration_seconds", dimensions: [("route", route), ("method", method)], factory: factory)
            )
            handles[key] = made
            return made
        }
        counter.increment()
        timer.recordNanoseconds(duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000)
    }

    /// What became of one submission: `approved`, `pending`, `spam`, `rate_limited`, `flood`, or
    /// `rejected_<reason>` (invalid, malformed, too_large, unsupported, closed, parent, duplicate).
    func submission(_ outcome: String) {
        counter("moderato_comments_submitted_total", ("outcome", outcome)).increment()
    }

    /// A moderation action taken through the API (`api`) or a one-click link (`link`).
    func moderation(_ action: String, source: String = "api") {
        Counter(label: "moderato_moderation_actions_total", dimensions: [("action", action), ("source", source)], factory: factory)
            .increment()
    }

    /// One notification attempt's outcome on a channel: `delivered`, `retry`, `failed` (out of
    /// attempts), `dropped` (the comment was deleted first) or `interrupted` (shutdown).
    func notification(channel: String, outcome: String) {
        Counter(label: "moderato_notifications_total", dimensions: [("channel", channel), ("outcome", outcome)], factory: factory)
            .increment()
    }

    /// A lookup in the public response cache.
    func cache(hit: Bool) {
        counter("moderato_cache_lookups_total", ("result", hit ? "hit" : "miss")).increment()
    }

    /// A counter with one label, made once and kept.
    private func counter(_ label: String, _ dimension: (String, String)) -> CoreMetrics.Counter {
        outcomeCounters.withLock { counters in
            let key = "\(label)\u{0}\(dimension.1)"
            if let existing = counters[key] { return existing }
            let made = CoreMetrics.Counter(label: label, dimensions: [dimension], factory: factory)
            counters[key] = made
            return made
        }
    }

    /// Values read from the database at scrape time (they change from other processes too).
    func setDatabaseGauges(statusCounts: [String: Int], auditCounts: [String: Int], deliveries: [String: [String: Int]] = [:]) {
        for (channel, states) in deliveries {
            for (state, count) in states {
                Gauge(label: "moderato_notification_deliveries", dimensions: [("channel", channel), ("state", state)], factory: factory)
                    .record(count)
            }
        }
        for (status, count) in statusCounts {
            Gauge(label: "moderato_comments", dimensions: [("status", status)], factory: factory).record(count)
        }
        for (action, count) in auditCounts {
            Gauge(label: "moderato_moderation_log_entries", dimensions: [("action", action)], factory: factory).record(count)
        }
    }

    /// The text exposition format.
    func render() -> [UInt8] {
        registry.emitToBuffer()
    }
}
