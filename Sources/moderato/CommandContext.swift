import ArgumentParser
import Foundation
import ModeratoCore
import ModeratoServer
import ModeratoStore

/// What a moderator's command works with: the configuration, the store and the keyring.
struct CommandContext {
    let configuration: ModeratoConfiguration
    /// Whatever engine the configuration names, through the store's protocols only.
    let store: any CommentStore

    /// `cli:$USER`, as recorded in the audit log.
    let actor: String

    /// Loads the configuration and opens the existing database; a missing database is a one-line
    /// error (exit 1) rather than a new empty file in the wrong place.
    static func open(_ options: ConfigOptions) async throws -> CommandContext {
        let configuration = try await options.load()
        let store: any CommentStore
        do {
            store = try await StoreFactory.open(configuration.storeLocation, create: false)
        } catch let error as StoreError {
            fail("\(error)")
        } catch {
            fail("cannot open the database \(configuration.storeLocation): \(error)")
        }
        return CommandContext(configuration: configuration, store: store, actor: "cli:\(currentUser())")
    }

    /// The keyring, for commands that hash an address (block, forget) or show avatars. Never
    /// creates the secret: a new one would hash addresses differently from every stored comment,
    /// so `forget email` would quietly erase nothing.
    func keyring() -> Keyring {
        do {
            return try Keyring(secret: SecretKeyFile.load(path: configuration.secretKeyFile))
        } catch {
            fail("\(error)")
        }
    }
}

/// A post key on the command line, checked and normalised like every other (`PostKey`).
struct PostKeyArgument: ExpressibleByArgument {
    let key: PostKey

    init?(argument: String) {
        guard let key = PostKey(validating: argument) else { return nil }
        self.key = key
    }
}

/// `--format`: a readable table for people, JSON (or bare ids) for scripts.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, ids
}

/// `--format table|json`, for the commands that have no `ids` form.
struct TableOrJSON: ParsableArguments {
    @Option(help: "table or json.") var format: OutputFormat = .table

    func validate() throws {
        guard format != .ids else { throw ValidationError("--format ids is only for comments list.") }
    }

    var isJSON: Bool { format == .json }
}

/// Prints any `Encodable` as JSON on stdout, with a trailing newline.
func printJSON(_ value: some Encodable) throws {
    let encoder = JSONEncoder.moderato
    encoder.outputFormatting.insert(.prettyPrinted)
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}

/// Runs `body` for each id, printing its line; an id that fails is reported on stderr and makes
/// the command exit 1 after the others were done.
func forEachID(_ ids: [Int64], _ body: (Int64) async throws -> String?) async throws {
    var failed = false
    for id in ids {
        do {
            if let line = try await body(id) {
                print(line)
            } else {
                printError("no comment with id \(id)")
                failed = true
            }
        } catch {
            printError("comment \(id): \(error)")
            failed = true
        }
    }
    if failed { throw ExitCode.failure }
}

/// The login name: `$USER`, else the password database's name for our uid.
func currentUser() -> String {
    if let user = ProcessInfo.processInfo.environment["USER"], !user.isEmpty { return user }
    if let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name { return String(cString: name) }
    return "uid\(geteuid())"
}
