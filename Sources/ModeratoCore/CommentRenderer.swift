/// Turns a comment body into HTML that is safe by construction.
///
/// Every character of the input is escaped; the only markup that can appear is what this type
/// writes itself: `<p>` for paragraphs (blank lines), `<br>` for single newlines, and `<a>` for bare
/// `http(s)://` addresses, with `rel="nofollow ugc noopener"`. There is no allow-list of user HTML
/// to get wrong.
public enum CommentRenderer {
    public static let linkRel = "nofollow ugc noopener"

    public static func html(_ body: String) -> String {
        let text = body.replacingCRLF()
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        for paragraph in paragraphs(text) {
            out += "<p>"
            for (index, line) in paragraph.enumerated() {
                if index > 0 { out += "<br>" }
                appendLinkified(line, to: &out)
            }
            out += "</p>"
        }
        return out
    }

    /// Lines grouped into paragraphs; one or more blank (or whitespace-only) lines separate them.
    private static func paragraphs(_ text: String) -> [[Substring]] {
        var result: [[Substring]] = []
        var current: [Substring] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.allSatisfy(\.isWhitespace) {
                if !current.isEmpty { result.append(current) }
                current = []
            } else {
                current.append(line)
            }
        }
        if !current.isEmpty { result.append(current) }
        return result
    }

    private static func appendLinkified(_ line: Substring, to out: inout String) {
        var rest = line
        while let start = firstLinkStart(in: rest) {
            let end = linkEnd(in: rest, from: start)
            let link = rest[start..<end]
            // "http://" with nothing after it is just text.
            if link.count > (link.lowercased().hasPrefix("https") ? 8 : 7) {
                appendEscaped(rest[..<start], to: &out)
                out += "<a href=\""
                appendEscaped(link, to: &out)
                out += "\" rel=\"\(linkRel)\">"
                appendEscaped(link, to: &out)
                out += "</a>"
            } else {
                appendEscaped(rest[..<end], to: &out)
            }
            rest = rest[end...]
        }
        appendEscaped(rest, to: &out)
    }

    private static func firstLinkStart(in text: Substring) -> Substring.Index? {
        var index = text.startIndex
        while index < text.endIndex {
            if text[index] == "h" || text[index] == "H" {
                let tail = text[index...].prefix(8).lowercased()
                if tail.hasPrefix("http://") || tail.hasPrefix("https://") {
                    // Only at a word boundary: "xhttp://" is not a link.
                    if index == text.startIndex || !text[text.index(before: index)].isLetterOrDigitASCII {
                        return index
                    }
                }
            }
            index = text.index(after: index)
        }
        return nil
    }

    /// A link runs to the next whitespace or quote-like character; trailing punctuation stays text,
    /// and a closing parenthesis only belongs to it when the link has an opening one.
    private static func linkEnd(in text: Substring, from start: Substring.Index) -> Substring.Index {
        var end = text[start...].firstIndex(where: { $0.isWhitespace || "<>\"'`".contains($0) || $0.isControlLike })
            ?? text.endIndex
        while end > start {
            let last = text[text.index(before: end)]
            if ".,;:!?".contains(last) {
                end = text.index(before: end)
            } else if last == ")" && !text[start..<end].contains("(") {
                end = text.index(before: end)
            } else {
                break
            }
        }
        return end
    }

    private static func appendEscaped(_ text: Substring, to out: inout String) {
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
    }

    /// Escapes text for an HTML element or a double- or single-quoted attribute.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        appendEscaped(text[...], to: &out)
        return out
    }
}

extension Character {
    var isLetterOrDigitASCII: Bool { isASCII && (isLetter || isNumber) }
    var isControlLike: Bool { unicodeScalars.contains { $0.properties.generalCategory == .control } }
}
