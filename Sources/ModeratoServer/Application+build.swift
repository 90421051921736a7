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
    configuration: ModeratoConfiguration, logger: Logger, clock: ServerClock = .system
) async throws -> some ApplicationProtocol {
    let store = try await StoreFactory.open(configuration.storeLocation, create: true, clock: clock.date)
    // A new install creates its secret; one with comments must find the one they were hashed with.
    let isNewInstall = try await store.statusCounts(post: nil).values.reduce(0, +) == 0
    let secret = try SecretKeyFile.load(path: configuration.secretKeyFile, createIfMissing: isNewInstall)
    let keyring = try Keyring(secret: secret)
    // Like the main secret: created on the first start that needs it, refused when others could read it.
    let webhookSecret =
        configuration.notify.webhookURL.isEmpty ? nil : try WebhookSecretFile.loadOrCreate(path: configuration.notify.webhookSecretFile)
    let versions = try await PublicationVersions(feed: store, logger: logger)
    let metrics = ServerMetrics()
    let router = buildRouter(
        configuration: configuration, store: store, keyring: keyring, versions: versions, metrics: metrics, clock: clock,
        logger: logger
    )
    let notifications = NotificationService(
        configuration: configuration, webhookSecret: webhookSecret, keyring: keyring, store: store, metrics: metrics, logger: logger,
        clock: clock.date
    )
    return Application(
        router: router,
        server: .http1(configuration: .init(idleTimeout: .seconds(Int64(configuration.server.idleTimeout)))),
        configuration: .init(
            address: .hostname(configuration.server.host, port: configuration.server.port),
            serverName: nil
        ),
        // Shut down in reverse order: the server first (finishing in-flight requests), then the
        // notification deliveries, then the change follower, and the database last.
        services: [DatabaseCloser(store: store, logger: logger), versions, notifications],
        logger: logger
    )
}

/// The routes of the HTTP API, wired to their controllers.
func buildRouter(
    configuration: ModeratoConfiguration, store: any CommentStore, keyring: Keyring, versions: PublicationVersions,
    metrics: ServerMetrics, clock: ServerClock, logger: Logger = Logger(label: "moderato")
) -> Router<AppRequestContext> {
    // HEAD is answered wherever GET is, through the same middlewares, with the body dropped.
    let router = Router(context: AppRequestContext.self, options: .autoGenerateHeadEndpoints)
    router.add(middleware: RequestTelemetry(metrics: metrics))
    router.add(middleware: SecurityHeadersMiddleware(siteOrigins: configuration.site.origins))
    router.add(middleware: CORSMiddleware(allowedOrigins: Set(configuration.site.origins)))
    let localization = Localization(configuration: configuration)
    router.add(middleware: ProblemMiddleware(localization: localization))
    let cache = ResponseCache(metrics: metrics)
    let rate = configuration.limits.ratePerMinute
    SubmissionController(
        configuration: configuration, store: store, keyring: keyring,
        rateLimiter: rate > 0 ? submissionRateLimit(for: store, limit: rate, logger: logger, now: clock.instant) : nil, metrics: metrics
    ).addRoutes(to: router)
    PublicCommentsController(
        store: store, keyring: keyring, versions: versions, cache: cache, maxAge: configuration.cacheMaxAge
    ).addRoutes(to: router)
    ModerationController(store: store, tokens: store, keyring: keyring, metrics: metrics).addRoutes(to: router)
    ActionLinkController(
        store: store, keyring: keyring, metrics: metrics, siteURL: configuration.site.url, localization: localization, now: clock.date
    )
    .addRoutes(to: router)
    FeedController(
        store: store, keyring: keyring, versions: versions, cache: cache, maxAge: configuration.cacheMaxAge,
        limit: configuration.feedLimit, siteName: configuration.site.name, siteURL: configuration.site.url,
        publicURL: configuration.server.publicURL, localizer: localization.localizer()
    ).addRoutes(to: router)
    OperationsController(store: store, metrics: metrics).addRoutes(to: router)
    PageController(
        store: store, keyring: keyring, versions: versions, cache: cache, demoEnabled: configuration.site.demo,
        publicURL: configuration.server.publicURL, localization: localization
    ).addRoutes(to: router)
    router.answerWrongMethods(localization: localization)  // last: it reads the routes added above
    return router
}

/// The two clocks the server reads: the wall clock stored with every write and the monotonic
/// clock rate windows count with, replaceable together (tests move them).
public struct ServerClock: Sendable {
    public var date: @Sendable () -> Date
    public var instant: @Sendable () -> ContinuousClock.Instant

    public init(date: @escaping @Sendable () -> Date, instant: @escaping @Sendable () -> ContinuousClock.Instant) {
        self.date = date
        self.instant = instant
    }

    public static let system = ServerClock(date: { Date() }, instant: { ContinuousClock.now })
}
