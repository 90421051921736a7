/// Collects text into Moderato's plain-text shape: lines, and paragraphs separated by one blank line.
///
/// Both the HTML reader and `CommentHTML.canonicalText` write through it, so "what HTML means as
/// text" and "the canonical form of a text" cannot drift apart. Lines lose the spaces and tabs at
/// their ends (a browser does not show them either); a line of nothing but whitespace separates
/// paragraphs, as in `CommentRenderer`; control characters other than tab are dropped.
struct PlainTextBuilder {
    private var out = String.UnicodeScalarView()
    private var line = String.UnicodeScalarView()
    private var paragraphHasLines = false
    /// A paragraph ended and the next has not started: the separator is written lazily, so none
    /// ends up at the start or the end.
    private var paragraphPending = false

    mutating func append(_ scalar: Unicode.Scalar) {
        if scalar == "\t" || !(scalar.value < 0x20 || (0x7F..<0xA0).contains(scalar.value)) {
            line.append(scalar)
        }
    }

    mutating func append(_ text: some StringProtocol) {
        for scalar in text.unicodeScalars { append(scalar) }
    }

    /// Ends the current line, even an empty one: an empty or blank line ends the paragraph.
    mutating func lineBreak() {
        let trimmed = trimmedLine()
        if trimmed.allSatisfy(\.properties.isWhitespace) {
            paragraphBreak()
        } else {
            if paragraphPending {
                out.append(contentsOf: "\n\n".unicodeScalars)
                paragraphPending = false
            } else if paragraphHasLines {
                out.append("\n")
            }
            out.append(contentsOf: trimmed)
            paragraphHasLines = true
        }
        line.removeAll(keepingCapacity: true)
    }

    /// Ends the current line only if something is on it (a list item, a table row).
    mutating func softLineBreak() {
        if !line.allSatisfy(\.properties.isWhitespace) { lineBreak() } else { line.removeAll(keepingCapacity: true) }
    }

    mutating func paragraphBreak() {
        if !line.allSatisfy(\.properties.isWhitespace) {
            lineBreak()
        }
        line.removeAll(keepingCapacity: true)
        if paragraphHasLines {
            paragraphPending = true
            paragraphHasLines = false
        }
    }

    /// The text, trimmed of whitespace at both ends as Moderato stores a body.
    mutating func finish() -> String {
        paragraphBreak()
        var text = out
        while let last = text.last, last.properties.isWhitespace { text.removeLast() }
        let start = text.firstIndex { !$0.properties.isWhitespace } ?? text.endIndex
        return String(text[start...])
    }

    private func trimmedLine() -> Substring.UnicodeScalarView {
        let isBlank: (Unicode.Scalar) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = line.firstIndex(where: { !isBlank($0) }) else { return line[line.endIndex...] }
        return line[first...line.lastIndex(where: { !isBlank($0) })!]
    }
}
