import Hummingbird
import Logging
import ModeratoCore
import ModeratoStore

/// Builds the whole HTTP application from a configuration: the one entry point `moderato serve`
/// and the tests share.
public func buildApplication(
    configuration: ModeratoConfiguration, logger: Logger
) async throws -> some ApplicationProtocol {
    let secret = try SecretKeyFile.loadOrCreate(path: configuration.secretKeyFile)
    let keyring = try Keyring(secret: secret)
    let store = try SQLiteCommentStore(path: configuration.databasePath)
    let versions = PublicationVersions(store: store, logger: logger)
    await versions.refresh()
    let router = buildRouter(configuration: configuration, store: store, keyring: keyring, versions: versions)
    return Application(
        router: router,
        server: .http1(configuration: .init(idleTimeout: .seconds(Int64(configuration.server.idleTimeout)))),
        configuration: .init(
            address: .hostname(configuration.server.host, port: configuration.server.port),
            serverName: nil
        ),
        services: [versions],
        logger: logger
    )
}

/// The routes of SPEC §3, wired to their controllers.
func buildRouter(
    configuration: ModeratoConfiguration, store: any CommentStore, keyring: Keyring, versions: PublicationVersions
) -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    router.add(middleware: CORSMiddleware(allowedOrigins: Set(configuration.site.origins)))
    let cache = ResponseCache()
    SubmissionController(configuration: configuration, store: store, keyring: keyring, versions: versions).addRoutes(to: router)
    PublicCommentsController(
        store: store, keyring: keyring, versions: versions, cache: cache, maxAge: configuration.cacheMaxAge
    ).addRoutes(to: router)
    ModerationController(store: store, keyring: keyring, versions: versions).addRoutes(to: router)
    FeedController(
        store: store, keyring: keyring, versions: versions, cache: cache, maxAge: configuration.cacheMaxAge,
        limit: configuration.feedLimit, siteName: configuration.site.name, siteURL: configuration.site.url,
        publicURL: configuration.server.publicURL
    ).addRoutes(to: router)
    OperationsController(store: store).addRoutes(to: router)
    return router
}
