import ArgumentParser
import Foundation
import ModeratoCore
import ModeratoServer
import ModeratoStore

/// An email address given on the command line: validated, normalised and hashed straight away.
/// It is never printed back; output names the hash only.
struct EmailArgument: ParsableArguments {
    @OptionGroup var options: ConfigOptions
    @Argument(help: "The commenter's email address.") var address: String

    func hash(with context: CommandContext) -> String {
        let normalized = EmailAddress.normalize(address)
        guard EmailAddress.isValid(normalized) else { fail("that is not a valid email address") }
        return context.keyring().emailHash(normalizedEmail: normalized)
    }
}

/// `moderato block email ADDRESS`.
struct Block: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Block a commenter.", subcommands: [Email.self])

    struct Email: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Store future comments from this address as spam (only its keyed hash is kept)."
        )
        @OptionGroup var email: EmailArgument

        func run() async throws {
            let context = try await CommandContext.open(email.options)
            let hash = email.hash(with: context)
            let added = try await context.store.blockEmail(hash: hash)
            print(
                added
                    ? "Blocked email \(hash.prefix(8))…: its future comments will be stored as spam."
                    : "Email \(hash.prefix(8))… was already blocked.")
        }
    }
}

/// `moderato forget email ADDRESS`: GDPR erasure without ever having stored the address.
struct Forget: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Erase a commenter's data.", subcommands: [Email.self])

    struct Email: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Erase every comment written with this address; replies to them move up a level."
        )
        @OptionGroup var email: EmailArgument

        func run() async throws {
            let context = try await CommandContext.open(email.options)
            let count = try await context.store.forgetEmail(hash: email.hash(with: context), actor: context.actor)
            print("Erased \(count) comment\(count == 1 ? "" : "s") written with that address.")
        }
    }
}
