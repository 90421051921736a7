import Foundation
import Hummingbird
import Logging
import ModeratoCore
import ModeratoStore

/// Builds the whole HTTP application from a configuration: the one entry point `moderato serve`
/// and the tests share.
///
/// `clock` exists for tests of time-based rules (flood gap, rate window): it moves the wall clock
/// the store records and the monotonic clock the rate limiter counts with, together.
public func buildApplication(
    configuration: ModeratoConfiguration, logger: Logger, clock: TestableClock = .system
) async throws -> some ApplicationProtocol {
    let secret = try SecretKeyFile.loadOrCreate(path: configuration.secretKeyFile)
    let keyring = try Keyring(secret: secret)
    let store = try SQLiteCommentStore(path: configuration.databasePath, clock: clock.date)
    let versions = PublicationVersions(store: store, logger: logger)
    await versions.refresh()
    let metrics = ServerMetrics()
    let router = buildRouter(
        configuration: configuration, store: store, keyring: keyring, versions: versions, metrics: metrics, now: clock.instant
    )
    return Application(
        router: router,
        server: .http1(configuration: .init(idleTimeout: .seconds(Int64(configuration.server.idleTimeout)))),
        configuration: .init(
            address: .hostname(configuration.server.host, port: configuration.server.port),
            serverName: nil
        ),
        // Shut down in reverse order: the server first (finishing in-flight requests), then the
        // version poller, and the database last.
        services: [DatabaseCloser(store: store, logger: logger), versions],
        logger: logger
    )
}

/// The routes of SPEC §3, wired to their controllers.
func buildRouter(
    configuration: ModeratoConfiguration, store: any CommentStore, keyring: Keyring, versions: PublicationVersions,
    metrics: ServerMetrics, now: @escaping @Sendable () -> ContinuousClock.Instant
) -> Router<AppRequestContext> {
    // HEAD is answered wherever GET is, through the same middlewares, with the body dropped.
    let router = Router(context: AppRequestContext.self, options: .autoGenerateHeadEndpoints)
    router.add(middleware: RequestTelemetry(metrics: metrics))
    router.add(middleware: SecurityHeadersMiddleware(siteOrigins: configuration.site.origins))
    router.add(middleware: CORSMiddleware(allowedOrigins: Set(configuration.site.origins)))
    let cache = ResponseCache(metrics: metrics)
    let rate = configuration.limits.ratePerMinute
    SubmissionController(
        configuration: configuration, store: store, keyring: keyring, versions: versions,
        rateLimiter: rate > 0 ? RateLimiter(limit: rate, now: now) : nil, metrics: metrics
    ).addRoutes(to: router)
    PublicCommentsController(
        store: store, keyring: keyring, versions: versions, cache: cache, maxAge: configuration.cacheMaxAge
    ).addRoutes(to: router)
    ModerationController(store: store, keyring: keyring, versions: versions, metrics: metrics).addRoutes(to: router)
    FeedController(
        store: store, keyring: keyring, versions: versions, cache: cache, maxAge: configuration.cacheMaxAge,
        limit: configuration.feedLimit, siteName: configuration.site.name, siteURL: configuration.site.url,
        publicURL: configuration.server.publicURL
    ).addRoutes(to: router)
    OperationsController(store: store, metrics: metrics).addRoutes(to: router)
    PageController(
        store: store, keyring: keyring, versions: versions, cache: cache, demoEnabled: configuration.site.demo,
        publicURL: configuration.server.publicURL
    ).addRoutes(to: router)
    router.answerWrongMethods()  // last: it reads the routes added above
    return router
}

/// The two clocks the server reads, replaceable together in tests.
public struct TestableClock: Sendable {
    public var date: @Sendable () -> Date
    public var instant: @Sendable () -> ContinuousClock.Instant

    public init(date: @escaping @Sendable () -> Date, instant: @escaping @Sendable () -> ContinuousClock.Instant) {
        self.date = date
        self.instant = instant
    }

    public static let system = TestableClock(date: { Date() }, instant: { ContinuousClock.now })
}
