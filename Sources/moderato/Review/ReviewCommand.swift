import ArgumentParser
import Foundation
import ModeratoCore
import ModeratoStore
import ModeratoTerminal

/// `moderato review`: the queue in the terminal, one comment at a time, one key per decision.
struct Review: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Work through held comments full-screen, oldest first: a approve, s spam, t trash, h leave, u undo, q quit.",
        discussion: "Each decision is saved at once, as `comments approve` saves it. Needs a terminal on stdin and stdout."
    )

    enum ReviewStatus: String, ExpressibleByArgument, CaseIterable {
        case pending, spam

        var status: CommentStatus { self == .pending ? .pending : .spam }
    }

    @OptionGroup var options: ConfigOptions
    @Option(help: "pending or spam.") var status: ReviewStatus = .pending
    @Option(help: ArgumentHelp("Only comments of this post.", valueName: "post")) var post: PostKeyArgument?

    func run() async throws {
        guard RawTerminal.isInteractive else {
            printError(
                "review needs a terminal on stdin and stdout; in scripts use `moderato comments list` and `moderato comments approve ID…`")
            throw ExitCode(2)
        }
        let context = try await CommandContext.open(options)
        let keyring = context.keyring()
        let queue = ReviewQueue(store: context.store, status: status.status, post: post?.key, actor: context.actor)
        guard let first = try await queue.next(after: nil) else {
            print("No \(status.rawValue) comments\(post.map { " on \($0.key)" } ?? "") to review.")
            return
        }
        let session = ReviewSession(
            queue: queue, terminal: RawTerminal(), palette: Palette.detect(environment: ProcessInfo.processInfo.environment),
            keyring: keyring, siteURL: context.configuration.site.url, first: first)
        let signal: Int32?
        do {
            signal = try await session.run()
        } catch {
            // The terminal is back; what was decided so far is saved and worth reporting.
            print(session.summary)
            fail("\(error)")
        }
        print(session.summary)
        // Ended by a signal: the shell's convention, 128 + its number. `q` and Ctrl-C are keys: 0.
        if let signal { throw ExitCode(128 + signal) }
    }
}
