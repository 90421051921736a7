import ArgumentParser
import ModeratoStore

/// `moderato migrate`: brings the database schema up to date (the server also does this on start).
struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create or upgrade the database schema.")

    @OptionGroup var options: ConfigOptions

    func run() async throws {
        let configuration = try await options.load()
        do {
            let applied = try DatabaseLocation.migrate(path: configuration.databasePath)
            if applied.isEmpty {
                print("Database \(configuration.databasePath) is up to date.")
            } else {
                for name in applied { print("Applied migration \(name).") }
            }
        } catch {
            fail("cannot migrate \(configuration.databasePath): \(error)")
        }
    }
}
