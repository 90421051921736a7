import ArgumentParser
import Foundation
import ModeratoCore
import ModeratoServer
import ModeratoStore

/// `moderato backup PATH`: a consistent online copy, safe while the server runs.
struct Backup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy an SQLite database to PATH with SQLite's online backup API (safe while the server runs); PostgreSQL: use pg_dump.",
        discussion: "Back up the secret file (secret.key_file) too: without it, email hashes can no longer be matched."
    )

    @OptionGroup var options: ConfigOptions
    @Argument(help: "Where to write the copy; must not exist yet.") var path: String

    func run() async throws {
        let context = try await CommandContext.open(options)
        guard !FileManager.default.fileExists(atPath: path) else { fail("\(path) already exists; choose a new file") }
        do {
            let count = try await context.store.backup(to: path)
            print("Backed up \(count) comment\(count == 1 ? "" : "s") to \(path).")
        } catch StoreError.unsupported(let advice) {
            fail("moderato backup copies SQLite files; \(advice)")
        } catch {
            try? FileManager.default.removeItem(atPath: path)
            fail("cannot back up to \(path): \(error)")
        }
    }
}

/// `moderato export [--format json]`: every comment with its status and hashes, for migration.
struct Export: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print every comment with its status and hashes as JSON (there is no plain email to export)."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case json }

    @OptionGroup var options: ConfigOptions
    @Option(help: "json.") var format: Format = .json

    func run() async throws {
        let context = try await CommandContext.open(options)
        let keyring = context.keyring()
        let posts = try await context.store.posts()
        let encoder = JSONEncoder.moderato
        // Streamed comment by comment, so a million comments do not have to fit in memory.
        let output = FileHandle.standardOutput
        func write(_ text: String) { output.write(Data(text.utf8)) }
        write("{\"format\":\"moderato-export-1\",\"exported_at\":\"\(RFC3339.string(from: Date()))\",\"posts\":[")
        for (index, post) in posts.enumerated() {
            write((index > 0 ? "," : "") + "\n" + String(decoding: try encoder.encode(ExportedPost(post)), as: UTF8.self))
        }
        write("\n],\"comments\":[")
        var first = true
        try await context.store.forEachComment { comment in
            write(
                (first ? "" : ",") + "\n"
                    + String(decoding: try encoder.encode(ModerationComment(comment, keyring: keyring)), as: UTF8.self))
            first = false
        }
        write("\n]}\n")
    }

    struct ExportedPost: Encodable {
        var post: String
        var closed: Bool

        init(_ summary: PostSummary) {
            post = summary.post.text
            closed = summary.closed
        }
    }
}
