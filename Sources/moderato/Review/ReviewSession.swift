import Foundation
import ModeratoCore
import ModeratoServer
import ModeratoStore
import ModeratoTerminal

/// The loop of `moderato review`: one key at a time, each decision written before the next key is
/// read, the screen redrawn after every key and resize.
final class ReviewSession {
    private let queue: ReviewQueue
    private let terminal: RawTerminal
    private let palette: Palette
    private let keyring: Keyring
    private let siteURL: String
    private var screen: ReviewScreen
    /// The size of the screen last drawn: what the moderator saw when pressing a key.
    private var shownSize = RawTerminal.Size(rows: 0, columns: 0)

    init(queue: ReviewQueue, terminal: RawTerminal, palette: Palette, keyring: Keyring, siteURL: String, first: ReviewQueue.Item) {
        self.queue = queue
        self.terminal = terminal
        self.palette = palette
        self.keyring = keyring
        self.siteURL = siteURL
        screen = ReviewScreen(reviewing: queue.status)
        show(first)
    }

    /// Runs until `q`, Ctrl-C or a signal; the terminal is restored however it ends. Returns the
    /// signal (SIGTERM, SIGHUP, SIGINT sent by `kill`) that ended it, if one did.
    func run() async throws -> Int32? {
        try terminal.enter()
        defer { terminal.restore() }
        redraw()
        for await event in terminal.events() {
            switch event {
            case .resized:
                redraw()
            case .signal(let number):
                return number
            case .inputClosed:
                return nil
            case .key(let key):
                do {
                    if try await handle(key) == .quit { return nil }
                } catch {
                    // A decision that failed was not written (one transaction); say so and go on.
                    screen.notice = .init(text: "Not saved: \(error)", tone: .failure)
                }
                redraw()
            }
        }
        return nil
    }

    var summary: String { queue.tally.summary }

    private enum Next { case stay, quit }

    private func handle(_ key: TerminalKey) async throws -> Next {
        if key == .character("q") || key == .control("c") || key == .control("d") { return .quit }
        // Never decide about a comment the screen, as drawn when the key was pressed, was too
        // small to show.
        guard shownSize.rows >= ReviewScreen.minimumSize.rows, shownSize.columns >= ReviewScreen.minimumSize.columns else {
            return .stay
        }
        if screen.overlay != nil {
            // Any key closes the help or the address; it does not act as well.
            screen.overlay = nil
            return .stay
        }
        screen.notice = nil
        switch key {
        case .character("a"): try await decide(.approve)
        case .character("s"): try await decide(.spam)
        case .character("t"): try await decide(.trash)
        case .character("h"):
            guard let comment = screen.item?.comment else { break }
            _ = queue.leave(comment)
            screen.notice = .init(text: "Left #\(comment.id) \(comment.status.rawValue).", tone: .done)
            try await advance(after: comment.id)
        case .character("u"): try await undo()
        case .character("o"): if screen.item != nil { screen.overlay = .postURL }
        case .character("?"): screen.overlay = .help
        case .up, .character("k"): scroll(by: -1)
        case .down, .character("j"), .enter: scroll(by: 1)
        case .pageUp, .character("b"): scroll(by: -page)
        case .pageDown, .character(" "): scroll(by: page)
        case .home: screen.scroll = 0
        case .end: screen.scroll = screen.maxScroll(for: terminal.size())
        default: break
        }
        return .stay
    }

    private func decide(_ action: ModerationAction) async throws {
        guard let comment = screen.item?.comment else { return }
        switch try await queue.decide(action, on: comment) {
        case .decided(_, let after):
            screen.notice = .init(text: "#\(after.id) \(Self.done(after.status)).", tone: .done)
        case .alreadyChanged(let now, let entry):
            screen.notice = .init(
                text: "#\(now.id) was already \(Self.done(now.status))\(Self.by(entry)) — skipped, nothing changed.", tone: .warning)
        case .gone(let entry):
            screen.notice = .init(
                text: "#\(comment.id) was \(entry?.action == "forget" ? "erased" : "deleted")\(Self.by(entry)) — skipped.", tone: .warning)
        default:
            break
        }
        try await advance(after: comment.id)
    }

    private func undo() async throws {
        switch try await queue.undo() {
        case .undone(let comment):
            guard comment.status == queue.status else {
                screen.notice = .init(text: "#\(comment.id) is \(Self.done(comment.status)) now, by someone else.", tone: .warning)
                return
            }
            show(try await queue.item(comment))
            screen.notice = .init(text: "Undone: #\(comment.id) is \(comment.status.rawValue) again.", tone: .done)
        case .cannotUndo(let now, let entry):
            screen.notice = .init(
                text: "Cannot undo: #\(now.id) was \(Self.done(now.status)) since\(Self.by(entry)); that stands.", tone: .warning)
        case .gone(let entry):
            screen.notice = .init(text: "Cannot undo: the comment was deleted\(Self.by(entry)).", tone: .warning)
        case .nothingToUndo:
            screen.notice = .init(text: "Nothing to undo.", tone: .warning)
        default:
            break
        }
    }

    private func advance(after id: Int64) async throws {
        if let next = try await queue.next(after: id) {
            show(next)
        } else {
            screen.item = nil
            screen.scroll = 0
        }
    }

    private func show(_ item: ReviewQueue.Item) {
        screen.item = item
        screen.avatar = keyring.avatar(emailHash: item.comment.emailHash)
        screen.postURL = PostPage.url(of: PostKey(stored: item.comment.post), siteURL: siteURL)
        screen.scroll = 0
    }

    private var page: Int { max(1, screen.bodyHeight(for: terminal.size()) - 1) }

    private func scroll(by lines: Int) {
        screen.scroll = min(max(0, screen.scroll + lines), screen.maxScroll(for: terminal.size()))
    }

    private func redraw() {
        screen.now = Date()
        shownSize = terminal.size()
        terminal.draw(screen.lines(for: shownSize), palette: palette)
    }

    /// "approved", "marked as spam": what a status says was done.
    static func done(_ status: CommentStatus) -> String {
        switch status {
        case .approved: "approved"
        case .pending: "held"
        case .spam: "marked as spam"
        case .trash: "trashed"
        }
    }

    /// " by cli:ana 2m ago", from the audit entry that made the change.
    static func by(_ entry: ModerationEntry?) -> String {
        guard let entry else { return "" }
        return " by \(entry.actor) \(age(of: entry.at)) ago"
    }
}
