import ArgumentParser
import Foundation
import ModeratoCore
import ModeratoServer
import ModeratoStore

/// `moderato tokens create NAME | list | revoke NAME`: bearer tokens for the moderation API.
struct Tokens: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage moderation API tokens.",
        subcommands: [Create.self, List.self, Revoke.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a token and print it once: only its SHA-256 is stored.",
            discussion: "The token alone goes to stdout, so `TOKEN=$(moderato tokens create NAME)` works; the notice goes to stderr."
        )

        @OptionGroup var options: ConfigOptions
        @Argument(help: "A name to recognise the token by (letters, digits, . _ -).") var name: String

        func validate() throws {
            guard (1...64).contains(name.count), name.allSatisfy({ $0.isASCIILetterOrDigit || "._-".contains($0) }) else {
                throw ValidationError("A token name is 1–64 letters, digits, '.', '_' or '-'.")
            }
        }

        func run() async throws {
            let context = try await CommandContext.open(options)
            let token = APITokenSecret.generate()
            guard try await context.store.createToken(name: name, hash: APITokenSecret.hash(token)) else {
                fail("a token named \(name) already exists; revoke it first or choose another name")
            }
            FileHandle.standardError.write(Data("Created token \(name). Store it now: it is not shown again.\n".utf8))
            print(token)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tokens (never the tokens themselves).")

        @OptionGroup var options: ConfigOptions
        @OptionGroup var output: TableOrJSON

        func run() async throws {
            let context = try await CommandContext.open(options)
            let tokens = try await context.store.tokens()
            if output.isJSON {
                try printJSON(tokens.map(TokenJSON.init))
                return
            }
            guard !tokens.isEmpty else {
                print("No tokens. Create one with: moderato tokens create NAME")
                return
            }
            var table = Table("NAME", "STATUS", "CREATED", "LAST USED")
            for token in tokens {
                table.add(
                    token.name, token.revokedAt == nil ? "active" : "revoked", RFC3339.string(from: token.createdAt),
                    token.lastUsedAt.map { "\(age(of: $0)) ago" } ?? "never"
                )
            }
            print(table.render())
        }
    }

    struct TokenJSON: Encodable {
        var name: String
        var active: Bool
        var createdAt: Date
        var lastUsedAt: Date?
        var revokedAt: Date?

        init(_ token: APIToken) {
            name = token.name
            active = token.revokedAt == nil
            createdAt = token.createdAt
            lastUsedAt = token.lastUsedAt
            revokedAt = token.revokedAt
        }

        enum CodingKeys: String, CodingKey {
            case name, active
            case createdAt = "created_at"
            case lastUsedAt = "last_used_at"
            case revokedAt = "revoked_at"
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token: it stops working at once.")

        @OptionGroup var options: ConfigOptions
        @Argument(help: "The token's name.") var name: String

        func run() async throws {
            let context = try await CommandContext.open(options)
            guard try await context.store.revokeToken(name: name) else { fail("no active token named \(name)") }
            print("Revoked token \(name).")
        }
    }
}
