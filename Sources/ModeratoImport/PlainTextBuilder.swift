import ModeratoCore

/// Collects text into Moderato's plain-text shape: lines, and paragraphs separated by one blank line.
///
/// Both the HTML reader and `CommentHTML.canonicalText` write through it, so "what HTML means as
/// text" and "the canonical form of a text" cannot drift apart. Lines lose the spaces and tabs at
/// their ends (a browser does not show them either); a line of nothing but whitespace separates
/// paragraphs, as in `CommentRenderer`; control characters other than tab are dropped.
///
/// It works on UTF-8 bytes — everything it decides on is ASCII — and decodes only to look at a
/// line or an end of the text that has other characters.
struct PlainTextBuilder {
    private var out: [UInt8] = []
    private var line: [UInt8] = []
    private var paragraphHasLines = false
    /// A paragraph ended and the next has not started: the separator is written lazily, so none
    /// ends up at the start or the end.
    private var paragraphPending = false

    init(capacity: Int = 0) {
        out.reserveCapacity(capacity)
    }

    /// A byte of UTF-8 text (a whole character, or part of one given in order).
    @inline(__always)
    mutating func append(byte: UInt8) {
        if byte >= 0x20 && byte != 0x7F || byte == 0x09 { line.append(byte) }
    }

    mutating func append(_ scalar: Unicode.Scalar) {
        guard !scalar.isControlCharacter || scalar == "\t" else { return }
        if scalar.isASCII {
            line.append(UInt8(scalar.value))
        } else {
            line.append(contentsOf: UTF8.encode(scalar)!)
        }
    }

    mutating func append(_ text: some StringProtocol) {
        for scalar in text.unicodeScalars { append(scalar) }
    }

    /// Ends the current line, even an empty one: an empty or blank line ends the paragraph.
    mutating func lineBreak() {
        let trimmed = trimmedLine()
        if Self.isBlank(trimmed) {
            paragraphBreak()
        } else {
            if paragraphPending {
                out.append(0x0A)
                out.append(0x0A)
                paragraphPending = false
            } else if paragraphHasLines {
                out.append(0x0A)
            }
            out.append(contentsOf: trimmed)
            paragraphHasLines = true
        }
        line.removeAll(keepingCapacity: true)
    }

    /// Ends the current line only if something is on it (a list item, a table row).
    mutating func softLineBreak() {
        if Self.isBlank(line[...]) { line.removeAll(keepingCapacity: true) } else { lineBreak() }
    }

    mutating func paragraphBreak() {
        if !Self.isBlank(line[...]) { lineBreak() }
        line.removeAll(keepingCapacity: true)
        if paragraphHasLines {
            paragraphPending = true
            paragraphHasLines = false
        }
    }

    /// The text, trimmed of whitespace at both ends as Moderato stores a body.
    mutating func finish() -> String {
        paragraphBreak()
        // C1 control characters (U+0080–U+009F, UTF-8 C2 80–C2 9F) are dropped like the others.
        if let index = out.indices.dropLast().first(where: { out[$0] == 0xC2 && (0x80...0x9F).contains(out[$0 + 1]) }) {
            var cleaned = Array(out[..<index])
            var position = index
            while position < out.count {
                if out[position] == 0xC2, position + 1 < out.count, (0x80...0x9F).contains(out[position + 1]) {
                    position += 2
                } else {
                    cleaned.append(out[position])
                    position += 1
                }
            }
            out = cleaned
        }
        let text = String(decoding: out, as: UTF8.self)
        // Lines are already free of spaces and tabs at their ends; other whitespace (U+3000 …)
        // at the ends of the text is rarer, and only then is it looked at character by character.
        guard let first = out.first, let last = out.last, first >= 0x80 || last >= 0x80 else { return text }
        return text.trimmingWhitespace()
    }

    private func trimmedLine() -> ArraySlice<UInt8> {
        guard let first = line.firstIndex(where: { $0 != 0x20 && $0 != 0x09 }) else { return line[line.endIndex...] }
        return line[first...line.lastIndex(where: { $0 != 0x20 && $0 != 0x09 })!]
    }

    /// Whether a line has only whitespace (Unicode's, as `CommentRenderer` decides it).
    private static func isBlank(_ bytes: ArraySlice<UInt8>) -> Bool {
        var allASCII = true
        for byte in bytes {
            if byte >= 0x80 {
                allASCII = false
            } else if byte != 0x20 && byte != 0x09 {
                return false
            }
        }
        return allASCII || String(decoding: bytes, as: UTF8.self).unicodeScalars.allSatisfy(\.properties.isWhitespace)
    }
}

extension Unicode.Scalar {
    /// General category Cc.
    var isControlCharacter: Bool {
        value < 0x20 || (0x7F..<0xA0).contains(value)
    }
}
