import ModeratoCore

/// A run of text in one style. Control characters are replaced when it is made, so text from a
/// comment can never move the cursor or change the terminal (and widths stay true).
public struct StyledSpan: Sendable, Hashable {
    public let text: String
    public let style: TextStyle

    public init(_ text: String, _ style: TextStyle = .plain) {
        self.text = Self.printable(text)
        self.style = style
    }

    static func printable(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar == "\t" {
                scalars.append(contentsOf: "    ".unicodeScalars)
            } else {
                scalars.append(isControl(scalar) ? "\u{FFFD}" : scalar)
            }
        }
        return String(scalars)
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F..<0xA0).contains(scalar.value)
    }
}

/// One line of the screen: spans of styled text, measured in terminal cells (`TerminalCells`).
public struct StyledLine: Sendable, Hashable {
    public private(set) var spans: [StyledSpan] = []

    public init() {}

    public init(_ text: String, _ style: TextStyle = .plain) {
        append(text, style)
    }

    public mutating func append(_ text: String, _ style: TextStyle = .plain) {
        guard !text.isEmpty else { return }
        spans.append(StyledSpan(text, style))
    }

    public mutating func append(_ line: StyledLine) {
        spans += line.spans
    }

    public var text: String { spans.map(\.text).joined() }

    public var width: Int { spans.reduce(0) { $0 + TerminalCells.width(of: $1.text) } }

    /// At most `cells` cells: spans past the edge are dropped and the one that crosses it is cut
    /// with `…` (`TerminalCells.truncate`).
    public func fitted(to cells: Int) -> StyledLine {
        guard width > cells else { return self }
        var result = StyledLine()
        var used = 0
        for span in spans {
            let spanWidth = TerminalCells.width(of: span.text)
            if used + spanWidth <= cells - 1 {
                result.spans.append(span)
                used += spanWidth
            } else {
                result.append(TerminalCells.truncate(span.text, to: cells - used), span.style)
                break
            }
        }
        return result
    }

    /// `left` at the left edge and `right` ending exactly at cell `cells`, the gap filled with
    /// `fill`'s style; `left` is cut when both do not fit, `right` never.
    public static func spread(_ left: StyledLine, _ right: StyledLine, width cells: Int, fill: TextStyle = .plain) -> StyledLine {
        let rightWidth = right.width
        guard rightWidth < cells else { return right.fitted(to: cells) }
        var line = left.fitted(to: max(0, cells - rightWidth - 1))
        line.append(String(repeating: " ", count: max(0, cells - rightWidth - line.width)), fill)
        line.append(right)
        return line
    }

    /// The line padded with spaces in `style` to `cells` (a bar across the screen).
    public func padded(to cells: Int, _ style: TextStyle = .plain) -> StyledLine {
        var line = fitted(to: cells)
        line.append(String(repeating: " ", count: max(0, cells - line.width)), style)
        return line
    }

    /// The bytes to send: each span wrapped in its SGR sequence, reset after.
    public func rendered(_ palette: Palette) -> String {
        var out = ""
        for span in spans {
            let start = palette.start(span.style)
            out += start.isEmpty ? span.text : start + span.text + "\u{1B}[0m"
        }
        return out
    }
}
