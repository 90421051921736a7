import ArgumentParser
import Foundation
import ModeratoCore
import ModeratoServer
import ModeratoStore

/// `moderato posts list | close P | open P`.
struct Posts: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List posts and open or close them for comments.",
        subcommands: [List.self, Close.self, Open.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List posts with their comment counts.")

        @OptionGroup var options: ConfigOptions
        @OptionGroup var output: TableOrJSON

        func run() async throws {
            let context = try await CommandContext.open(options)
            let posts = try await context.store.posts()
            if output.isJSON {
                try printJSON(posts.map(PostJSON.init))
                return
            }
            guard !posts.isEmpty else {
                print("No posts yet.")
                return
            }
            var table = Table("POST", "COMMENTS", "APPROVED", "PENDING", "SPAM", "TRASH", "LAST")
            for post in posts {
                table.add(
                    post.post.text, post.closed ? "closed" : "open", String(post.counts[.approved] ?? 0),
                    String(post.counts[.pending] ?? 0),
                    String(post.counts[.spam] ?? 0), String(post.counts[.trash] ?? 0), post.lastCommentAt.map { age(of: $0) } ?? "-"
                )
            }
            print(table.render())
        }
    }

    struct PostJSON: Encodable {
        var post: String
        var closed: Bool
        var counts: [String: Int]
        var lastCommentAt: Date?

        init(_ summary: PostSummary) {
            post = summary.post.text
            closed = summary.closed
            counts = Dictionary(summary.counts.map { ($0.key.rawValue, $0.value) }, uniquingKeysWith: +)
            lastCommentAt = summary.lastCommentAt
        }

        enum CodingKeys: String, CodingKey {
            case post, closed, counts
            case lastCommentAt = "last_comment_at"
        }
    }

    struct PostArgument: ParsableArguments {
        @OptionGroup var options: ConfigOptions
        @Argument(help: "The post (thread key), such as /2025/11/my-article/.") var post: PostKeyArgument
    }

    struct Close: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Close a post for new comments.")
        @OptionGroup var argument: PostArgument

        func run() async throws {
            let context = try await CommandContext.open(argument.options)
            try await context.store.setPostClosed(argument.post.key, closed: true)
            print("Closed comments on \(argument.post.key).")
        }
    }

    struct Open: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Open a post for comments again.")
        @OptionGroup var argument: PostArgument

        func run() async throws {
            let context = try await CommandContext.open(argument.options)
            try await context.store.setPostClosed(argument.post.key, closed: false)
            print("Opened comments on \(argument.post.key).")
        }
    }
}
