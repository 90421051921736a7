import ArgumentParser
import Foundation
import ModeratoCore
import ModeratoImport
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

/// `moderato export [--format json|wxr]`: every comment, for migration — Moderato's own JSON with
/// statuses and hashes, or a WordPress WXR 1.2 file any WordPress (or Moderato) can import.
struct Export: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print every comment as JSON (with statuses and hashes) or as a WordPress export (WXR 1.2).",
        discussion: "There is no plain email or IP to export: Moderato never stored them."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case json, wxr }

    @OptionGroup var options: ConfigOptions
    @Option(help: "json or wxr.") var format: Format = .json

    func run() async throws {
        let context = try await CommandContext.open(options)
        switch format {
        case .json: try await writeJSON(context)
        case .wxr: try await writeWXR(context)
        }
    }

    /// One `<item>` per post with its comments, read a page at a time.
    func writeWXR(_ context: CommandContext) async throws {
        let posts = try await context.store.posts()
        var writer = WXRWriter(
            sink: FileHandleSink(.standardOutput), siteURL: context.configuration.site.url,
            siteName: context.configuration.site.name, postKeys: posts.map(\.post.text)
        )
        try writer.begin()
        for post in posts {
            try writer.beginPost(ExportedPost(key: post.post.text, closed: post.closed))
            var cursor: Int64?
            repeat {
                let page = try await context.store.moderationQueue(QueueFilter(status: nil, post: post.post, limit: 1000, cursorID: cursor))
                for comment in page.comments { try writer.write(comment: comment) }
                cursor = page.hasMore ? page.comments.last?.id : nil
            } while cursor != nil
            try writer.endPost()
        }
        try writer.finish()
    }

    func writeJSON(_ context: CommandContext) async throws {
        let keyring = context.keyring()
        let posts = try await context.store.posts()
        let encoder = JSONEncoder.moderato
        // Streamed comment by comment, so a million comments do not have to fit in memory.
        let output = FileHandle.standardOutput
        func write(_ text: String) { output.write(Data(text.utf8)) }
        write("{\"format\":\"moderato-export-1\",\"exported_at\":\"\(RFC3339.string(from: Date()))\",\"posts\":[")
        for (index, post) in posts.enumerated() {
            write((index > 0 ? "," : "") + "\n" + String(decoding: try encoder.encode(PostJSON(post)), as: UTF8.self))
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

    struct PostJSON: Encodable {
        var post: String
        var closed: Bool

        init(_ summary: PostSummary) {
            post = summary.post.text
            closed = summary.closed
        }
    }
}
