import ArgumentParser
import Foundation
import ModeratoServer
import ModeratoStore

/// `moderato migrate`: brings the database schema up to date (the server also does this on start).
struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create or upgrade the database schema.")

    @OptionGroup var options: ConfigOptions

    func run() async throws {
        let configuration = try await options.load()
        do {
            let store = try await StoreFactory.open(configuration.storeLocation, create: true, migrate: false)
            let applied = try await store.migrate()
            // As for `serve`: an install without comments may get a secret; one with comments
            // must find the secret they were hashed with.
            let isNewInstall = try await store.statusCounts(post: nil).values.reduce(0, +) == 0
            try await store.close()
            if isNewInstall {
                // Like `serve`'s first start: a new install gets its secret now.
                _ = try SecretKeyFile.loadOrCreate(path: configuration.secretKeyFile)
            }
            if applied.isEmpty {
                print("Database \(configuration.storeLocation) is up to date.")
            } else {
                for name in applied { print("Applied migration \(name).") }
            }
        } catch let error as StoreError {
            fail("cannot migrate: \(error)")
        } catch {
            fail("cannot migrate \(configuration.storeLocation): \(error)")
        }
    }
}
