import ArgumentParser
import Foundation
import ModeratoServer
import ModeratoStore

/// `moderato copy --to URL|PATH`: the configured install into an empty database of either engine.
struct Copy: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy the configured install into an empty database: a postgres:// URL or an SQLite file path.",
        discussion: """
            Copies comments with their ids, threads and reasons, posts with their open/closed state, \
            moderation tokens, blocked addresses, the audit log, import sources and the notification \
            outbox, then checks that every table holds as many rows as its source. The target must be empty (a new SQLite file, or a new PostgreSQL database \
            that the URL's user may create tables in). Stop every server before copying. Keep the same \
            secret key file (secret.key_file) with the new install: the stored hashes were made with it.
            """
    )

    @OptionGroup var options: ConfigOptions
    @Option(
        name: .customLong("to"), help: ArgumentHelp("The target: postgres://USER:PASSWORD@HOST/DB or a file path.", valueName: "url|path"))
    var target: String

    func validate() throws {
        do {
            _ = try StoreLocation(target: target)
        } catch {
            throw ValidationError("--to \(error)")
        }
    }

    func run() async throws {
        let context = try await CommandContext.open(options)
        // Checked in validate().
        let location = try StoreLocation(target: target)
        guard location.description != context.configuration.storeLocation.description else {
            fail("--to names the configured database itself; copy into another one")
        }
        let destination: any CommentStore
        do {
            destination = try await StoreFactory.open(location, create: true)
        } catch let error as StoreError {
            fail("\(error)")
        } catch {
            fail("cannot open \(location): \(error)")
        }
        let counts: [String: Int]
        do {
            counts = try await StoreCopy.run(from: context.store, to: destination, targetName: location.description)
        } catch let error as StoreError {
            try? await destination.close()
            fail("\(error)")
        } catch {
            try? await destination.close()
            fail(
                "the copy to \(location) failed: \(error). The target may now hold part of the copy: empty it (a new file or database) before trying again"
            )
        }
        try await destination.close()
        try await context.store.close()
        print("Copied to \(location):")
        let width = TransferTable.all.map(\.name.count).max() ?? 0
        for table in TransferTable.all {
            let name = table.name.padding(toLength: width, withPad: " ", startingAt: 0)
            print("  \(name)  \(counts[table.name] ?? 0)")
        }
        print("Verified: every table holds as many rows as its source.")
        printError(
            "keep the secret key file \(context.configuration.secretKeyFile) with the new install: the stored email and address hashes were made with it"
        )
    }
}
