import Foundation
import Logging
import PostgresNIO

/// How this engine reaches its server: the pool's and the listener's configurations from one
/// `DatabaseURL`, and the one place connection failures become a message.
struct PostgreSQLServer: Sendable {
    let url: DatabaseURL
    let poolSize: Int

    /// Session settings sent with every connection. `synchronous_commit = on` whatever the server
    /// or role says: a comment is acknowledged only once its commit is on disk (and on a
    /// synchronous standby, when one is configured).
    static let sessionSettings: [(String, String)] = [
        ("synchronous_commit", "on"),
        ("application_name", "moderato"),
        ("TimeZone", "UTC"),
    ]

    /// The TLS settings `sslmode` asks for, with libpq's meanings.
    func tlsConfiguration() throws -> TLSConfiguration? {
        var tls = TLSConfiguration.makeClientConfiguration()
        if let file = url.rootCertificateFile {
            tls.trustRoots = .file(file)
        }
        switch url.tls {
        case .disable:
            return nil
        case .prefer:
            tls.certificateVerification = .none
        case .require:
            // libpq: with a root certificate file, `require` checks the chain like `verify-ca`.
            tls.certificateVerification = url.rootCertificateFile == nil ? .none : .noHostnameVerification
        case .verifyCA:
            tls.certificateVerification = .noHostnameVerification
        case .verifyFull:
            tls.certificateVerification = .fullVerification
        }
        return tls
    }

    /// The pool's configuration.
    func clientConfiguration() throws -> PostgresClient.Configuration {
        let tls: PostgresClient.Configuration.TLS
        switch (url.tls, try tlsConfiguration()) {
        case (.disable, _), (_, nil): tls = .disable
        case (.prefer, let configuration?): tls = .prefer(configuration)
        case (_, let configuration?): tls = .require(configuration)
        }
        var configuration: PostgresClient.Configuration
        if let folder = url.socketFolder {
            configuration = PostgresClient.Configuration(
                unixSocketPath: "\(folder)/.s.PGSQL.\(url.port)", username: url.user, password: url.password, database: url.database)
        } else {
            configuration = PostgresClient.Configuration(
                host: url.host, port: url.port, username: url.user, password: url.password, database: url.database, tls: tls)
        }
        configuration.options.maximumConnections = poolSize
        configuration.options.minimumConnections = 0
        configuration.options.connectTimeout = .seconds(Int64(url.connectTimeout))
        configuration.options.additionalStartupParameters = Self.sessionSettings
        return configuration
    }

    /// A connection of its own, outside the pool: for migrations at start and for LISTEN.
    func connect(id: Int, logger: Logger) async throws -> PostgresConnection {
        let tls: PostgresConnection.Configuration.TLS
        switch (url.tls, try tlsConfiguration()) {
        case (.disable, _), (_, nil): tls = .disable
        case (.prefer, let configuration?): tls = .prefer(try NIOSSLContext(configuration: configuration))
        case (_, let configuration?): tls = .require(try NIOSSLContext(configuration: configuration))
        }
        var configuration: PostgresConnection.Configuration
        if let folder = url.socketFolder {
            configuration = PostgresConnection.Configuration(
                unixSocketPath: "\(folder)/.s.PGSQL.\(url.port)", username: url.user, password: url.password, database: url.database)
        } else {
            configuration = PostgresConnection.Configuration(
                host: url.host, port: url.port, username: url.user, password: url.password, database: url.database, tls: tls)
        }
        configuration.options.connectTimeout = .seconds(Int64(url.connectTimeout))
        configuration.options.additionalStartupParameters = Self.sessionSettings
        return try await PostgresConnection.connect(configuration: configuration, id: id, logger: logger)
    }

    /// A first connection, made at once so that a wrong address, password or database name is one
    /// clear line at start rather than a pool retrying in the background.
    func connectOrExplain(logger: Logger) async throws -> PostgresConnection {
        let started = ContinuousClock.now
        do {
            return try await connect(id: 0, logger: logger)
        } catch {
            // PostgresNIO reports a connect timeout as a closed connection, with nothing more.
            if ContinuousClock.now - started >= .seconds(url.connectTimeout) - .milliseconds(200) {
                throw StoreError.cannotConnect(url.description, "no answer within \(url.connectTimeout) s (connect_timeout)")
            }
            throw StoreError.cannotConnect(url.description, Self.reason(error))
        }
    }

    /// What went wrong, in words, from what PostgresNIO reports. Its own description hides
    /// everything on purpose ("generic description to prevent leakage"); the server's message
    /// and the socket's error name the problem without holding the password.
    /// SwiftNIO's words for a socket that failed, shortened to what a person acts on.
    static func socketReason(_ error: any Error) -> String {
        let text = "\(error)"
        for (marker, reason) in [
            ("Connection refused", "connection refused (is PostgreSQL running and listening on that address and port?)"),
            ("connectTimeout", "no answer before connect_timeout"),
            ("No route to host", "no route to host"),
            ("Network is unreachable", "network unreachable"),
            ("dns", "the host name does not resolve"),
            ("Connection reset by peer", "the server closed the connection"),
        ] where text.localizedCaseInsensitiveContains(marker) {
            return reason
        }
        return text
    }

    static func reason(_ error: any Error) -> String {
        guard let error = error as? PSQLError else { return socketReason(error) }
        if let message = error.serverInfo?[.message] {
            return message
        }
        switch error.code {
        case .sslUnsupported: return "the server does not offer TLS, which sslmode asks for"
        case .connectionError, .serverClosedConnection, .uncleanShutdown, .clientClosedConnection:
            if let underlying = error.underlying as? PSQLError { return reason(underlying) }
            return error.underlying.map(socketReason) ?? "the connection to the database server was closed"
        case .authMechanismRequiresPassword: return "the server asks for a password and the URL gives none"
        case .unsupportedAuthMechanism: return "the server asks for an authentication method Moderato does not speak"
        case .saslError: return "authentication failed"
        default:
            if let underlying = error.underlying as? PSQLError { return reason(underlying) }
            return error.underlying.map { "\($0)" } ?? error.code.description
        }
    }
}
