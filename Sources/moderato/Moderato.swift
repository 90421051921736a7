import ArgumentParser
import Foundation

/// `moderato`: the server and the moderator's command line (SPEC §4).
@main
struct Moderato: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "moderato",
        abstract: "A self-hosted comment backend: a plain HTML form posts to it, a moderator approves, the page shows a JSON feed.",
        subcommands: [
            Serve.self, Comments.self, Review.self, Posts.self, Tokens.self, Block.self, Forget.self, Notify.self, Migrate.self,
            Backup.self, Export.self, Import.self, Copy.self,
        ]
    )

    /// Runs the command, with SPEC §4's exit codes: 0 success, 1 failure, 2 usage error
    /// (ArgumentParser's own default for usage errors is 64).
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}
