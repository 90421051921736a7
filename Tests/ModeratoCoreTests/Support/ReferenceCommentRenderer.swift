// The renderer as it was before issue 18 (Sources/ModeratoCore/CommentRenderer.swift at 09832e6).
/// Turns a comment body into HTML that is safe by construction.
///
/// Every character of the input is escaped; the only markup that can appear is what this type
/// writes itself: `<p>` for paragraphs (blank lines), `<br>` for single newlines, and `<a>` for bare
/// `http(s)://` addresses, with `rel="nofollow ugc noopener"`. There is no allow-list of user HTML
/// to get wrong.
///
/// It works on Unicode scalars, as an HTML parser does, never on Swift `Character`s: a combining
/// mark after `"` or `<` makes one grapheme that is not equal to `"`, yet the browser still sees
/// the quote. (The libFuzzer target found exactly that.)
/// The scalar-by-scalar renderer Moderato used before issue 18, kept as the reference the
/// byte-level `CommentRenderer` is compared with (`CommentRendererEquivalenceTests`).
enum ReferenceCommentRenderer {
    static let linkRel = "nofollow ugc noopener"

    static func html(_ body: String) -> String {
        let scalars = Array(body.unicodeScalars)
        var out = String.UnicodeScalarView()
        out.reserveCapacity(scalars.count + 16)
        for paragraph in paragraphs(scalars) {
            out.append(contentsOf: "<p>".unicodeScalars)
            for (index, line) in paragraph.enumerated() {
                if index > 0 { out.append(contentsOf: "<br>".unicodeScalars) }
                appendLinkified(line, to: &out)
            }
            out.append(contentsOf: "</p>".unicodeScalars)
        }
        return String(out)
    }

    /// Lines (split at LF, CR or CRLF) grouped into paragraphs; one or more blank (or
    /// whitespace-only) lines separate them.
    private static func paragraphs(_ scalars: [Unicode.Scalar]) -> [[ArraySlice<Unicode.Scalar>]] {
        var lines: [ArraySlice<Unicode.Scalar>] = []
        var start = 0
        var index = 0
        while index < scalars.count {
            if scalars[index] == "\n" || scalars[index] == "\r" {
                lines.append(scalars[start..<index])
                if scalars[index] == "\r", index + 1 < scalars.count, scalars[index + 1] == "\n" { index += 1 }
                start = index + 1
            }
            index += 1
        }
        lines.append(scalars[start..<scalars.count])

        var result: [[ArraySlice<Unicode.Scalar>]] = []
        var current: [ArraySlice<Unicode.Scalar>] = []
        for line in lines {
            if line.allSatisfy(\.properties.isWhitespace) {
                if !current.isEmpty { result.append(current) }
                current = []
            } else {
                current.append(line)
            }
        }
        if !current.isEmpty { result.append(current) }
        return result
    }

    private static func appendLinkified(_ line: ArraySlice<Unicode.Scalar>, to out: inout String.UnicodeScalarView) {
        var position = line.startIndex
        var textStart = line.startIndex
        while position < line.endIndex {
            guard let schemeLength = schemeLength(in: line, at: position) else {
                position += 1
                continue
            }
            let end = linkEnd(in: line, from: position)
            // "http://" with nothing after it is just text.
            guard end > position + schemeLength else {
                position = end
                continue
            }
            appendEscaped(line[textStart..<position], to: &out)
            out.append(contentsOf: "<a href=\"".unicodeScalars)
            appendEscaped(line[position..<end], to: &out)
            out.append(contentsOf: "\" rel=\"\(linkRel)\">".unicodeScalars)
            appendEscaped(line[position..<end], to: &out)
            out.append(contentsOf: "</a>".unicodeScalars)
            position = end
            textStart = end
        }
        appendEscaped(line[textStart..<line.endIndex], to: &out)
    }

    /// 7 for `http://`, 8 for `https://` (any case) starting at a word boundary, else `nil`.
    private static func schemeLength(in line: ArraySlice<Unicode.Scalar>, at index: Int) -> Int? {
        // Cheap test first: this runs at every position of every line.
        guard line[index] == "h" || line[index] == "H" else { return nil }
        if index > line.startIndex, isASCIIAlphanumeric(line[index - 1]) { return nil }
        for scheme in ["https://", "http://"] {
            let expected = Array(scheme.unicodeScalars)
            guard index + expected.count <= line.endIndex else { continue }
            let matches = zip(line[index..<index + expected.count], expected).allSatisfy { candidate, wanted in
                candidate == wanted || (candidate.isASCII && Character(candidate).lowercased() == String(wanted))
            }
            if matches { return expected.count }
        }
        return nil
    }

    /// A link runs to the next whitespace, control or quote-like scalar, or anything outside
    /// printable ASCII (so no combining mark can glue itself to a quote); trailing punctuation stays
    /// text, and a closing parenthesis only belongs to it when the link has an opening one.
    private static func linkEnd(in line: ArraySlice<Unicode.Scalar>, from start: Int) -> Int {
        var end = start
        while end < line.endIndex {
            let scalar = line[end]
            guard scalar.value > 0x20, scalar.value < 0x7F, !"<>\"'`".unicodeScalars.contains(scalar) else { break }
            end += 1
        }
        while end > start {
            let last = line[end - 1]
            if ".,;:!?".unicodeScalars.contains(last) {
                end -= 1
            } else if last == ")", !line[start..<end].contains("(") {
                end -= 1
            } else {
                break
            }
        }
        return end
    }

    private static func isASCIIAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
    }

    private static func appendEscaped(_ scalars: some Sequence<Unicode.Scalar>, to out: inout String.UnicodeScalarView) {
        for scalar in scalars {
            switch scalar {
            case "&": out.append(contentsOf: "&amp;".unicodeScalars)
            case "<": out.append(contentsOf: "&lt;".unicodeScalars)
            case ">": out.append(contentsOf: "&gt;".unicodeScalars)
            case "\"": out.append(contentsOf: "&quot;".unicodeScalars)
            case "'": out.append(contentsOf: "&#39;".unicodeScalars)
            default: out.append(scalar)
            }
        }
    }

    /// Escapes text for an HTML element or a double- or single-quoted attribute.
    static func escape(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        appendEscaped(text.unicodeScalars, to: &out)
        return String(out)
    }
}
