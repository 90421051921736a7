/// Turns a comment body into HTML that is safe by construction.
///
/// Every character of the input is escaped; the only markup that can appear is what this type
/// writes itself: `<p>` for paragraphs (blank lines), `<br>` for single newlines, and `<a>` for bare
/// `http(s)://` addresses, with `rel="nofollow ugc noopener"`. There is no allow-list of user HTML
/// to get wrong.
///
/// It decides on Unicode scalars, as an HTML parser reads them, never on Swift `Character`s: a
/// combining mark after `"` or `<` makes one grapheme that is not equal to `"`, yet the browser
/// still sees the quote. (The libFuzzer target found exactly that.) It works on the UTF-8 bytes,
/// which is the same thing for every decision it makes — each is about an ASCII scalar, one byte
/// that never occurs inside a longer sequence — and copies everything else through untouched;
/// `CommentRendererEquivalenceTests` compares it with the scalar-by-scalar version it replaced.
public enum CommentRenderer {
    public static let linkRel = "nofollow ugc noopener"

    public static func html(_ body: String) -> String {
        var body = body
        return body.withUTF8 { bytes in
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + bytes.count / 8 + 16)
            var paragraphOpen = false
            var lineStart = 0
            var index = 0
            // Lines end at LF, CR or CRLF; blank (or whitespace-only) lines separate paragraphs.
            while true {
                let atEnd = index == bytes.count
                if atEnd || bytes[index] == 0x0A || bytes[index] == 0x0D {
                    let line = UnsafeBufferPointer(rebasing: bytes[lineStart..<index])
                    if isBlank(line) {
                        if paragraphOpen { out.append(contentsOf: closeParagraph) }
                        paragraphOpen = false
                    } else {
                        out.append(contentsOf: paragraphOpen ? lineBreak : openParagraph)
                        paragraphOpen = true
                        appendLinkified(line, to: &out)
                    }
                    if atEnd { break }
                    if bytes[index] == 0x0D, index + 1 < bytes.count, bytes[index + 1] == 0x0A { index += 1 }
                    lineStart = index + 1
                }
                index += 1
            }
            if paragraphOpen { out.append(contentsOf: closeParagraph) }
            return String(decoding: out, as: UTF8.self)
        }
    }

    private static let openParagraph = Array("<p>".utf8)
    private static let closeParagraph = Array("</p>".utf8)
    private static let lineBreak = Array("<br>".utf8)
    private static let linkOpen = Array("<a href=\"".utf8)
    private static let linkMiddle = Array("\" rel=\"\(linkRel)\">".utf8)
    private static let linkClose = Array("</a>".utf8)

    /// Whether every scalar of the line is whitespace (Unicode's property, as before: NBSP and
    /// the ideographic space count too).
    private static func isBlank(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        while index < line.count {
            let byte = line[index]
            if byte < 0x80 {
                // LF and CR never occur inside a line.
                guard byte == 0x20 || byte == 0x09 || byte == 0x0B || byte == 0x0C else { return false }
                index += 1
                continue
            }
            let length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : 2
            var value = UInt32(byte) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
            for offset in 1..<length where index + offset < line.count {
                value = value << 6 | UInt32(line[index + offset] & 0x3F)
            }
            guard let scalar = Unicode.Scalar(value), scalar.properties.isWhitespace else { return false }
            index += length
        }
        return true
    }

    private static func appendLinkified(_ line: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        var position = 0
        var textStart = 0
        while position < line.count {
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
            appendEscaped(UnsafeBufferPointer(rebasing: line[textStart..<position]), to: &out)
            let link = UnsafeBufferPointer(rebasing: line[position..<end])
            out.append(contentsOf: linkOpen)
            appendEscaped(link, to: &out)
            out.append(contentsOf: linkMiddle)
            appendEscaped(link, to: &out)
            out.append(contentsOf: linkClose)
            position = end
            textStart = end
        }
        appendEscaped(UnsafeBufferPointer(rebasing: line[textStart..<line.count]), to: &out)
    }

    /// 7 for `http://`, 8 for `https://` (any case) starting at a word boundary, else `nil`.
    private static func schemeLength(in line: UnsafeBufferPointer<UInt8>, at index: Int) -> Int? {
        // Cheap test first: this runs at every position of every line.
        guard line[index] | 0x20 == UInt8(ascii: "h") else { return nil }
        if index > 0, isASCIIAlphanumeric(line[index - 1]) { return nil }
        func matches(_ scheme: StaticString) -> Bool {
            let count = scheme.utf8CodeUnitCount
            guard index + count <= line.count else { return false }
            return scheme.withUTF8Buffer { expected in
                (0..<count).allSatisfy { offset in
                    let candidate = line[index + offset]
                    let wanted = expected[offset]
                    // Letters in any case; `:` and `/` exactly.
                    return candidate == wanted || (wanted >= UInt8(ascii: "a") && candidate == wanted - 0x20)
                }
            }
        }
        if matches("https://") { return 8 }
        if matches("http://") { return 7 }
        return nil
    }

    /// A link runs to the next whitespace, control or quote-like scalar, or anything outside
    /// printable ASCII (so no combining mark can glue itself to a quote); trailing punctuation stays
    /// text, and a closing parenthesis only belongs to it when the link has an opening one.
    private static func linkEnd(in line: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var end = start
        while end < line.count {
            let byte = line[end]
            guard byte > 0x20, byte < 0x7F, byte != UInt8(ascii: "<"), byte != UInt8(ascii: ">"), byte != UInt8(ascii: "\""),
                byte != UInt8(ascii: "'"), byte != UInt8(ascii: "`")
            else { break }
            end += 1
        }
        while end > start {
            let last = line[end - 1]
            switch last {
            case UInt8(ascii: "."), UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: ":"), UInt8(ascii: "!"), UInt8(ascii: "?"):
                end -= 1
            case UInt8(ascii: ")") where !line[start..<end].contains(UInt8(ascii: "(")):
                end -= 1
            default:
                return end
            }
        }
        return end
    }

    private static func isASCIIAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    private static func appendEscaped(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        var plainStart = 0
        for index in 0..<bytes.count {
            let entity: StaticString
            switch bytes[index] {
            case UInt8(ascii: "&"): entity = "&amp;"
            case UInt8(ascii: "<"): entity = "&lt;"
            case UInt8(ascii: ">"): entity = "&gt;"
            case UInt8(ascii: "\""): entity = "&quot;"
            case UInt8(ascii: "'"): entity = "&#39;"
            default: continue
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[plainStart..<index]))
            entity.withUTF8Buffer { out.append(contentsOf: $0) }
            plainStart = index + 1
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[plainStart..<bytes.count]))
    }

    /// Escapes text for an HTML element or a double- or single-quoted attribute.
    public static func escape(_ text: String) -> String {
        var text = text
        return text.withUTF8 { bytes in
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + 16)
            appendEscaped(bytes, to: &out)
            return String(decoding: out, as: UTF8.self)
        }
    }
}
