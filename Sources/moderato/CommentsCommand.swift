import ArgumentParser
import Foundation
import ModeratoCore
import ModeratoServer
import ModeratoStore

/// `moderato comments …`: the moderator's verbs, as WP-CLI's `wp comment` names them.
struct Comments: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List, show and moderate comments.",
        subcommands: [List.self, Show.self, Approve.self, Hold.self, Spam.self, Trash.self, Delete.self, Count.self]
    )

    /// `--status`: one status or `all`.
    enum StatusFilter: String, ExpressibleByArgument, CaseIterable {
        case pending, approved, spam, trash, all

        var status: CommentStatus? { CommentStatus(rawValue: rawValue) }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List comments, newest first (pending by default).")

        @OptionGroup var options: ConfigOptions
        @Option(help: "pending, approved, spam, trash or all.") var status: StatusFilter = .pending
        @Option(help: ArgumentHelp("Only comments of this post.", valueName: "post")) var post: PostKeyArgument?
        @Option(help: "At most this many comments (1–10000).") var limit: Int = 50
        @Option(help: "table, json or ids.") var format: OutputFormat = .table

        func validate() throws {
            guard (1...10_000).contains(limit) else { throw ValidationError("--limit must be from 1 to 10000.") }
        }

        func run() async throws {
            let context = try await CommandContext.open(options)
            let page = try await context.store.moderationQueue(
                QueueFilter(status: status.status, post: post?.key, limit: limit, newestFirst: true)
            )
            switch format {
            case .ids:
                for comment in page.comments { print(comment.id) }
            case .json:
                let keyring = context.keyring()
                try printJSON(page.comments.map { ModerationComment($0, keyring: keyring) })
            case .table:
                guard !page.comments.isEmpty else {
                    print("No \(status == .all ? "" : status.rawValue + " ")comments\(post.map { " on \($0.key)" } ?? "").")
                    return
                }
                var table = Table("ID", "POST", "STATUS", "REASON", "AUTHOR", "AGE", "EMAIL", "COMMENT")
                for comment in page.comments {
                    table.add(
                        String(comment.id), comment.post.truncated(to: 32), comment.status.rawValue,
                        comment.reason?.label.truncated(to: 24) ?? "-", comment.author.truncated(to: 20), age(of: comment.createdAt),
                        String(comment.emailHash.prefix(8)), comment.body.firstLine.truncated(to: 50)
                    )
                }
                print(table.render())
                if page.total > page.comments.count {
                    print("(\(page.comments.count) of \(page.total); use --limit to see more)")
                }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one comment in full, with its moderation history.")

        @OptionGroup var options: ConfigOptions
        @Argument(help: "The comment id.") var id: Int64
        @OptionGroup var output: TableOrJSON

        func run() async throws {
            let context = try await CommandContext.open(options)
            guard let comment = try await context.store.comment(id: id) else { fail("no comment with id \(id)") }
            let keyring = context.keyring()
            if output.isJSON {
                try printJSON(ModerationComment(comment, keyring: keyring))
                return
            }
            let history = try await context.store.history(of: id)
            // Dates for people: site.language's usual form, in site.timezone (JSON keeps RFC 3339 UTC).
            let localizer = Localization(configuration: context.configuration).localizer()
            var lines = [
                "ID:         \(comment.id)",
                "Post:       \(comment.post)",
                "Parent:     \(comment.parent.map(String.init) ?? "-")",
                "Status:     \(comment.status.rawValue)",
                "Reason:     \(comment.reason.map { "\($0.code.rawValue) — \($0.explanation)" } ?? "-")",
                "Author:     \(comment.author)",
                "Website:    \(comment.url ?? "-")",
                "Email hash: \(comment.emailHash)",
                "IP hash:    \(comment.ipHash ?? "-")",
                "Created:    \(localizer.dateTime(comment.createdAt)) (\(age(of: comment.createdAt)) ago)",
            ]
            if let moderated = comment.moderatedAt {
                lines.append("Moderated:  \(localizer.dateTime(moderated))")
            }
            lines.append("")
            lines.append(comment.body)
            if !history.isEmpty {
                lines.append("")
                lines.append("History:")
                for entry in history {
                    lines.append(
                        "  \(localizer.dateTime(entry.at))  \(entry.action)  \(entry.fromStatus?.rawValue ?? "-") → \(entry.toStatus?.rawValue ?? "-")  by \(entry.actor)"
                    )
                }
            }
            print(lines.joined(separator: "\n"))
        }
    }

    /// approve / hold / spam / trash: the same shape, one status each.
    struct Transition: ParsableArguments {
        @OptionGroup var options: ConfigOptions
        @Argument(help: "One or more comment ids.") var ids: [Int64]

        func validate() throws {
            guard !ids.isEmpty else { throw ValidationError("Give at least one comment id.") }
        }

        func run(_ action: ModerationAction, verb: (Int64) -> String) async throws {
            let context = try await CommandContext.open(options)
            try await forEachID(ids) { id in
                try await context.store.moderate(id: id, action: action, actor: context.actor).map { _ in verb(id) }
            }
        }
    }

    struct Approve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Publish comments.")
        @OptionGroup var transition: Transition
        func run() async throws { try await transition.run(.approve) { "Approved comment \($0)." } }
    }

    struct Hold: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Put comments back in the queue (pending).")
        @OptionGroup var transition: Transition
        func run() async throws { try await transition.run(.hold) { "Held comment \($0)." } }
    }

    struct Spam: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Mark comments as spam.")
        @OptionGroup var transition: Transition
        func run() async throws { try await transition.run(.spam) { "Marked comment \($0) as spam." } }
    }

    struct Trash: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Move comments to the trash.")
        @OptionGroup var transition: Transition
        func run() async throws { try await transition.run(.trash) { "Trashed comment \($0)." } }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Purge comments for good; their replies move up to the parent.")

        @OptionGroup var options: ConfigOptions
        @Argument(help: "One or more comment ids.") var ids: [Int64]
        @Flag(help: "Required: deleting cannot be undone (use trash to keep a copy).") var force = false

        func validate() throws {
            guard !ids.isEmpty else { throw ValidationError("Give at least one comment id.") }
            guard force else { throw ValidationError("delete purges comments for good; add --force (or use `comments trash`).") }
        }

        func run() async throws {
            let context = try await CommandContext.open(options)
            try await forEachID(ids) { id in
                try await context.store.delete(id: id, actor: context.actor) ? "Deleted comment \(id)." : nil
            }
        }
    }

    struct Count: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Count comments per status.")

        @OptionGroup var options: ConfigOptions
        @Option(help: ArgumentHelp("Only comments of this post.", valueName: "post")) var post: PostKeyArgument?
        @OptionGroup var output: TableOrJSON

        func run() async throws {
            let context = try await CommandContext.open(options)
            let counts = try await context.store.statusCounts(post: post?.key)
            let total = counts.values.reduce(0, +)
            if output.isJSON {
                var object = Dictionary(counts.map { ($0.key.rawValue, $0.value) }, uniquingKeysWith: +)
                object["total"] = total
                try printJSON(object)
                return
            }
            var table = Table("STATUS", "COUNT")
            for status in CommentStatus.allCases {
                table.add(status.rawValue, String(counts[status] ?? 0))
            }
            table.add("total", String(total))
            print(table.render())
        }
    }
}
