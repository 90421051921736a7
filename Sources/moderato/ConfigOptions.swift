import ArgumentParser
import Configuration
import Foundation
import ModeratoServer

/// `--config PATH`, shared by every command.
struct ConfigOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Configuration file (YAML).", valueName: "path"))
    var config: String?

    /// The layered configuration, or a one-line error on stderr and exit 1.
    func load(overrides: [String: ConfigContent] = [:]) async throws -> ModeratoConfiguration {
        do {
            return try await ConfigurationLoader.load(filePath: config, overrides: overrides)
        } catch {
            fail("\(error)")
        }
    }
}

/// Prints `moderato: MESSAGE` on stderr and exits 1: the CLI's one way to report a failure.
func fail(_ message: String) -> Never {
    printError(message)
    Moderato.exit(withError: ExitCode.failure)
}

func printError(_ message: String) {
    FileHandle.standardError.write(Data("moderato: \(message)\n".utf8))
}
