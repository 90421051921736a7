import ArgumentParser
import Configuration
import Hummingbird
import Logging
import ModeratoServer

#if canImport(Glibc)
    import Glibc
#endif

/// `moderato serve`: runs the HTTP server until SIGINT or SIGTERM.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the comment server.")

    @OptionGroup var options: ConfigOptions

    @Option(help: ArgumentHelp("Address to listen on (server.host).", valueName: "host"))
    var host: String?

    @Option(help: ArgumentHelp("Port to listen on (server.port).", valueName: "port"))
    var port: Int?

    func run() async throws {
        #if canImport(Glibc)
            // glibc gives each thread that contends for malloc an arena of its own (up to eight
            // per core), and memory freed into one is rarely handed back: under a sustained
            // submission load RSS climbed and stayed. Two arenas keep the event loops from
            // queueing on one lock and bound that growth (Benchmarks/README.md, issue 18).
            // MALLOC_ARENA_MAX in the environment still wins, for whoever wants another figure.
            if getenv("MALLOC_ARENA_MAX") == nil { Self.limitMallocArenas(to: 2) }
        #endif
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

    #if canImport(Glibc)
        /// glibc's `mallopt(M_ARENA_MAX, count)`, looked up at run time: `<malloc.h>` is not part
        /// of Swift's Glibc module. M_ARENA_MAX is -8 in glibc's ABI.
        static func limitMallocArenas(to count: Int32) {
            guard let process = dlopen(nil, RTLD_NOW), let symbol = dlsym(process, "mallopt") else { return }
            typealias MallocOption = @convention(c) (Int32, Int32) -> Int32
            _ = unsafeBitCast(symbol, to: MallocOption.self)(-8, count)
        }
    #endif
}
