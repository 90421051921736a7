import Foundation
import ModeratoCore
import ModeratoTerminal

/// What `moderato review` shows for one state, laid out for one terminal size: a title bar, the
/// comment's facts (post, author, age, reason, history, parent), its whole body wrapped and
/// scrollable, a notice line and the keys. Pure: the same state and size give the same lines.
struct ReviewScreen {
    enum Overlay: Equatable {
        case help
        case postURL
    }

    struct Notice {
        enum Tone { case done, warning, failure }
        var text: String
        var tone: Tone
    }

    var reviewing: CommentStatus
    var item: ReviewQueue.Item?
    var avatar: String?
    var postURL: String?
    var overlay: Overlay?
    var notice: Notice?
    /// First body line shown.
    var scroll = 0
    var now = Date()

    static let labelWidth = 10
    static let minimumSize = RawTerminal.Size(rows: 12, columns: 40)

    /// Exactly `size.rows` lines, each at most `size.columns` cells.
    func lines(for size: RawTerminal.Size) -> [StyledLine] {
        guard size.rows >= Self.minimumSize.rows, size.columns >= Self.minimumSize.columns else {
            return [
                StyledLine("Terminal too small for review (\(Self.minimumSize.columns)×\(Self.minimumSize.rows)); q quits").fitted(
                    to: size.columns)
            ]
                + Array(repeating: StyledLine(), count: max(0, size.rows - 1))
        }
        let width = size.columns
        let facts = factLines(width: width)
        let bodyHeight = size.rows - facts.count - 5
        let body = bodyLines(width: width)
        let first = min(max(0, scroll), max(0, body.count - bodyHeight))
        var visible = Array(body.dropFirst(first).prefix(bodyHeight))
        visible += Array(repeating: StyledLine(), count: bodyHeight - visible.count)

        var lines = [titleBar(width: width)]
        lines += facts
        lines.append(rule(width: width))
        lines += visible
        lines.append(rule(width: width))
        lines.append(noticeLine(width: width))
        lines.append(keyBar(width: width, first: first, shown: bodyHeight, total: body.count))
        return lines.map { $0.fitted(to: width) }
    }

    /// Rows the body area has at this size (for page-wise scrolling).
    func bodyHeight(for size: RawTerminal.Size) -> Int {
        max(1, size.rows - factLines(width: size.columns).count - 5)
    }

    /// The most `scroll` can usefully be at this size.
    func maxScroll(for size: RawTerminal.Size) -> Int {
        max(0, bodyLines(width: size.columns).count - bodyHeight(for: size))
    }

    // MARK: Parts

    private func titleBar(width: Int) -> StyledLine {
        var left = StyledLine(" moderato review · \(reviewing.rawValue)", .inverse)
        if let item {
            left.append(" · #\(item.comment.id) (\(item.queued) \(reviewing.rawValue))", .inverse)
        } else {
            left.append(" · done", .inverse)
        }
        return StyledLine.spread(left, StyledLine("? help  q quit ", .inverse), width: width, fill: .inverse)
    }

    private func factLines(width: Int) -> [StyledLine] {
        guard let item else { return [] }
        let comment = item.comment
        let valueWidth = width - Self.labelWidth - 2
        var lines: [StyledLine] = []
        func field(_ label: String, _ value: StyledLine, right: StyledLine? = nil) {
            var line = StyledLine(" " + TerminalCells.pad(label, to: Self.labelWidth), .dim)
            if let right {
                line.append(StyledLine.spread(value, right, width: valueWidth))
            } else {
                line.append(value.fitted(to: valueWidth))
            }
            lines.append(line)
        }
        field("Post", StyledLine(comment.post))
        if let postURL { field("", StyledLine(postURL, .cyan)) }
        var author = StyledLine(comment.author, .bold)
        if let url = comment.url { author.append("  " + url, .cyan) }
        field("Author", author, right: avatar.map { StyledLine("avatar \($0)", .dim) })
        field("Age", StyledLine("\(age(of: comment.createdAt, now: now)) ago · \(RFC3339.string(from: comment.createdAt))"))
        var reason = StyledLine()
        if let why = comment.reason {
            reason.append(why.code.rawValue, comment.status == .spam ? .red : .yellow)
            reason.append(" — " + why.explanation)
        } else {
            reason.append("not recorded (stored before Moderato kept reasons)", .dim)
        }
        field("Reason", reason)
        var history = StyledLine()
        for (index, status) in [CommentStatus.approved, .pending, .spam, .trash].enumerated() {
            let count = item.history[status] ?? 0
            if index > 0 { history.append(" · ", .dim) }
            history.append(
                "\(status.rawValue) \(count)", count > 0 && status == .approved ? .green : count > 0 && status == .spam ? .red : .plain)
        }
        history.append("  (this email hash)", .dim)
        field("History", history)
        if let parentID = comment.parent {
            var parent = StyledLine("#\(parentID) ")
            if let original = item.parent {
                parent.append(original.author, .bold)
                parent.append(": " + original.body.split(separator: "\n").joined(separator: " "), .dim)
            } else {
                parent.append("(no longer there)", .dim)
            }
            field("Reply to", parent)
        }
        return lines
    }

    private func bodyLines(width: Int) -> [StyledLine] {
        let textWidth = width - 2
        func wrapped(_ text: String, _ style: TextStyle = .plain) -> [StyledLine] {
            // Lines first; StyledLine then replaces any other control character.
            TerminalCells.wrap(text.replacingOccurrences(of: "\t", with: "    ").replacingOccurrences(of: "\r", with: ""), to: textWidth)
                .map { StyledLine(" " + $0, style) }
        }
        switch overlay {
        case .help?:
            return Self.help.map { StyledLine(" " + $0) } + [StyledLine(), StyledLine(" Any key goes back.", .dim)]
        case .postURL?:
            guard let item else { return [] }
            return [StyledLine(" The page of \(item.comment.post):", .dim), StyledLine()]
                + wrapped(postURL ?? "(site.url is not set)", .cyan)
                + [StyledLine(), StyledLine(" Any key goes back.", .dim)]
        case nil:
            guard let item else {
                return [
                    StyledLine(" No more \(reviewing.rawValue) comments.", .bold), StyledLine(),
                    StyledLine(" u undoes the last decision, q quits."),
                ]
            }
            return wrapped(item.comment.body)
        }
    }

    private func rule(width: Int) -> StyledLine {
        StyledLine(String(repeating: "─", count: width), .dim)
    }

    private func noticeLine(width: Int) -> StyledLine {
        guard let notice else { return StyledLine() }
        let style: TextStyle =
            switch notice.tone {
            case .done: .green
            case .warning: .yellow
            case .failure: .red
            }
        return StyledLine(" " + notice.text, style)
    }

    private func keyBar(width: Int, first: Int, shown: Int, total: Int) -> StyledLine {
        var keys = StyledLine(" ")
        for (key, name) in [("a", "approve"), ("s", "spam"), ("t", "trash"), ("h", "leave"), ("u", "undo"), ("o", "url")] {
            keys.append(key, .bold)
            keys.append(" \(name)  ")
        }
        let position = total > shown ? "lines \(first + 1)–\(min(total, first + shown)) of \(total) ↑↓ " : ""
        return StyledLine.spread(keys, StyledLine(position, .dim), width: width)
    }

    static let help = [
        "a  approve: publish the comment",
        "s  spam",
        "t  trash",
        "h  leave it as it is and go on to the next",
        "u  undo the last decision (or go back to the comment left)",
        "o  show the address of the post's page",
        "↑ ↓ PgUp PgDn Home End, space: scroll a long comment",
        "?  this help",
        "q  quit (Ctrl-C too)",
        "",
        "Every decision is saved at once, as `moderato comments approve` saves it:",
        "quitting, even with Ctrl-C, loses nothing decided.",
    ]
}
