import ArgumentParser
import Configuration
import Hummingbird
import Logging
import ModeratoServer

/// `moderato serve`: runs the HTTP server until SIGINT or SIGTERM.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the comment server.")

    @OptionGroup var options: ConfigOptions

    @Option(help: ArgumentHelp("Address to listen on (server.host).", valueName: "host"))
    var host: String?

    @Option(help: ArgumentHelp("Port to listen on (server.port).", valueName: "port"))
    var port: Int?

    func run() async throws {
        // Flags are the top layer; they reach swift-configuration through an in-memory provider
        // because its own command-line provider would fight ArgumentParser for the arguments.
        var overrides: [String: ConfigContent] = [:]
        if let host { overrides["server.host"] = .string(host) }
        if let port { overrides["server.port"] = .int(port) }
        let configuration = try await options.load(overrides: overrides)

        let level = configuration.logLevel
        LoggingSystem.bootstrap { label in LogLineHandler(label: label, level: level) }
        let logger = Logger(label: "moderato")
        let app: any ApplicationProtocol
        do {
            app = try await buildApplication(configuration: configuration, logger: logger)
        } catch {
            fail("cannot start: \(error)")
        }
        try await app.runService()
    }
}
