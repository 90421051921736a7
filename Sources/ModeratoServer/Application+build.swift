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
    let router = buildRouter(configuration: configuration, store: store, keyring: keyring)
    return Application(
        router: router,
        server: .http1(configuration: .init(idleTimeout: .seconds(Int64(configuration.server.idleTimeout)))),
        configuration: .init(
            address: .hostname(configuration.server.host, port: configuration.server.port),
            serverName: nil
        ),
        logger: logger
    )
}

/// The routes of SPEC §3, wired to their controllers.
func buildRouter(
    configuration: ModeratoConfiguration, store: any CommentStore, keyring: Keyring
) -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    SubmissionController(configuration: configuration, store: store, keyring: keyring).addRoutes(to: router)
    OperationsController(store: store).addRoutes(to: router)
    return router
}
