import Foundation

/// One pass over an HTML fragment, writing what it shows into a `PlainTextBuilder`.
///
/// A small tokenizer in the manner of the HTML parser rather than a full one: comments, doctype
/// and processing instructions vanish, `<` not followed by a tag name is text (`I <3 it`), an
/// unknown `&name;` stays as written, a tag cut off by the end of the text is dropped.
struct HTMLTextReader {
    /// The HTML as UTF-8: every character that decides anything is ASCII.
    private let input: [UInt8]
    private var position = 0
    private var builder = PlainTextBuilder()
    /// Set after `<br>` or a block tag: one newline that follows is the same break.
    private var newlineIsPartOfBreak = false
    /// The open `<a>`: its address and the text shown so far.
    private var link: (address: String?, text: [UInt8])?

    private static let paragraphTags: Set<String> = [
        "p", "div", "blockquote", "ul", "ol", "dl", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "table",
        "hr", "section", "article", "header", "footer", "figure", "figcaption", "address", "details",
        "summary", "form", "fieldset", "nav", "aside", "main",
    ]
    private static let lineTags: Set<String> = ["li", "dt", "dd", "tr"]
    /// Elements whose content is code or style, never shown.
    private static let hiddenTags: Set<String> = ["script", "style", "template"]

    init(_ input: [UInt8]) {
        self.input = input
        builder = PlainTextBuilder(capacity: input.count)
    }

    mutating func read() -> String {
        while position < input.count {
            let byte = input[position]
            switch byte {
            case UInt8(ascii: "<"):
                if !readMarkup() {
                    text(byte: byte)
                    position += 1
                }
            case UInt8(ascii: "&"):
                let (decoded, length) = characterReference(at: position)
                // A reference to a line break is whitespace, as in a browser, not a new line.
                text(decoded == "\n" || decoded == "\r" ? " " : decoded)
                position += length
            case 0x0D, 0x0A:
                if byte == 0x0D, position + 1 < input.count, input[position + 1] == 0x0A { position += 1 }
                if newlineIsPartOfBreak {
                    newlineIsPartOfBreak = false
                } else {
                    builder.lineBreak()
                }
                position += 1
            case 0x20, 0x09:
                builder.append(byte: byte)
                link?.text.append(byte)
                position += 1
            default:
                text(byte: byte)
                position += 1
            }
        }
        closeLink()
        return builder.finish()
    }

    @inline(__always)
    private mutating func text(byte: UInt8) {
        builder.append(byte: byte)
        if link != nil { link?.text.append(byte) }
        newlineIsPartOfBreak = false
    }

    private mutating func text(_ scalar: Unicode.Scalar) {
        builder.append(scalar)
        if link != nil { link?.text.append(contentsOf: String(scalar).utf8) }
        newlineIsPartOfBreak = false
    }

    private mutating func text(_ string: String) {
        for scalar in string.unicodeScalars { text(scalar) }
    }

    // MARK: Markup

    /// Reads the tag, comment or declaration at `position` and moves past it; `false` when the
    /// `<` there starts none (then it is text).
    private mutating func readMarkup() -> Bool {
        let next = position + 1 < input.count ? input[position + 1] : 0x20
        if next == UInt8(ascii: "!") {
            let isComment = matches(Array("<!--".utf8), at: position)
            position = index(after: Array((isComment ? "-->" : ">").utf8), from: position + 2)
            return true
        }
        if next == UInt8(ascii: "?") {
            position = index(after: [UInt8(ascii: ">")], from: position + 2)
            return true
        }
        if next == UInt8(ascii: "/"), position + 2 < input.count, isLetter(input[position + 2]) {
            var cursor = position + 2
            let name = tagName(from: &cursor)
            position = index(after: [UInt8(ascii: ">")], from: cursor)
            endTag(name)
            return true
        }
        guard isLetter(next) else { return false }
        var cursor = position + 1
        let name = tagName(from: &cursor)
        guard let (attributes, end) = attributes(from: cursor) else {
            position = input.count  // cut off by the end of the text: dropped, as a browser does
            return true
        }
        position = end
        startTag(name, attributes)
        if Self.hiddenTags.contains(name) {
            position = hiddenContentEnd(of: name)
        }
        return true
    }

    private mutating func startTag(_ name: String, _ attributes: [String: String]) {
        switch name {
        case "br":
            builder.lineBreak()
            newlineIsPartOfBreak = true
        case "a":
            closeLink()
            link = (attributes["href"], [])
        case "img":
            image(source: attributes["src"], alternative: attributes["alt"])
        case "td", "th":
            text(" ")
        case _ where Self.paragraphTags.contains(name):
            builder.paragraphBreak()
            newlineIsPartOfBreak = true
        case _ where Self.lineTags.contains(name):
            builder.softLineBreak()
            newlineIsPartOfBreak = true
        default:
            break
        }
    }

    private mutating func endTag(_ name: String) {
        switch name {
        case "a":
            closeLink()
        case "br":
            builder.lineBreak()
            newlineIsPartOfBreak = true
        case _ where Self.paragraphTags.contains(name):
            builder.paragraphBreak()
            newlineIsPartOfBreak = true
        case _ where Self.lineTags.contains(name):
            builder.softLineBreak()
            newlineIsPartOfBreak = true
        default:
            break
        }
    }

    /// The address goes after a link's text unless the text already shows an address (then the
    /// renderer links that one; Disqus's own redirect addresses are left out that way too).
    private mutating func closeLink() {
        guard let (address, shown) = link else { return }
        link = nil
        guard let address = webAddress(address) else { return }
        let label = String(decoding: shown, as: UTF8.self).trimmingCharacters(in: [" ", "\t"])
        let lower = label.lowercased()
        if lower.contains("http://") || lower.contains("https://") { return }
        text(label.isEmpty ? address : " (\(address))")
    }

    private mutating func image(source: String?, alternative: String?) {
        let label = (alternative ?? "").trimmingCharacters(in: [" ", "\t"])
        guard let address = webAddress(source) else {
            text(label)
            return
        }
        text(label.isEmpty ? address : "\(label) (\(address))")
    }

    /// An `http(s)` address as the renderer will link it (spaces encoded), or `nil`.
    private func webAddress(_ raw: String?) -> String? {
        guard let raw else { return nil }
        let address = raw.trimmingCharacters(in: [" ", "\t", "\n", "\r"])
        let lower = address.lowercased()
        guard lower.hasPrefix("http://") || lower.hasPrefix("https://"), address.count > 8 else { return nil }
        return address.replacingOccurrences(of: " ", with: "%20")
    }

    // MARK: Tokens

    private func tagName(from cursor: inout Int) -> String {
        var name: [UInt8] = []
        while cursor < input.count, !isSpace(input[cursor]), input[cursor] != UInt8(ascii: "/"), input[cursor] != UInt8(ascii: ">") {
            name.append(lowercased(input[cursor]))
            cursor += 1
        }
        return String(decoding: name, as: UTF8.self)
    }

    /// The attributes of a start tag from `cursor` to its `>`, and the index after it; `nil` when
    /// the text ends first. Values are decoded; a `>` inside quotes does not end the tag.
    private func attributes(from start: Int) -> ([String: String], Int)? {
        var attributes: [String: String] = [:]
        var cursor = start
        while cursor < input.count {
            let byte = input[cursor]
            if byte == UInt8(ascii: ">") { return (attributes, cursor + 1) }
            if isSpace(byte) || byte == UInt8(ascii: "/") {
                cursor += 1
                continue
            }
            var name: [UInt8] = []
            while cursor < input.count, !isSpace(input[cursor]), input[cursor] != UInt8(ascii: "="),
                input[cursor] != UInt8(ascii: ">"), input[cursor] != UInt8(ascii: "/") || name.isEmpty
            {
                name.append(lowercased(input[cursor]))
                cursor += 1
            }
            while cursor < input.count, isSpace(input[cursor]) { cursor += 1 }
            var value: [UInt8] = []
            if cursor < input.count, input[cursor] == UInt8(ascii: "=") {
                cursor += 1
                while cursor < input.count, isSpace(input[cursor]) { cursor += 1 }
                if cursor < input.count, input[cursor] == UInt8(ascii: "\"") || input[cursor] == UInt8(ascii: "'") {
                    let quote = input[cursor]
                    cursor += 1
                    while cursor < input.count, input[cursor] != quote { cursor = appendAttributeByte(at: cursor, to: &value) }
                    guard cursor < input.count else { return nil }
                    cursor += 1
                } else {
                    while cursor < input.count, !isSpace(input[cursor]), input[cursor] != UInt8(ascii: ">") {
                        cursor = appendAttributeByte(at: cursor, to: &value)
                    }
                }
            }
            let key = String(decoding: name, as: UTF8.self)
            if attributes[key] == nil { attributes[key] = String(decoding: value, as: UTF8.self) }  // the first one wins, as in HTML
        }
        return nil
    }

    private func appendAttributeByte(at cursor: Int, to value: inout [UInt8]) -> Int {
        guard input[cursor] == UInt8(ascii: "&") else {
            value.append(input[cursor])
            return cursor + 1
        }
        let (decoded, length) = characterReference(at: cursor)
        value.append(contentsOf: String(decoded).utf8)
        return cursor + length
    }

    /// The scalar of the reference at `start` (an `&`) and how many input bytes it spans; a lone
    /// `&` when there is no reference.
    private func characterReference(at start: Int) -> (Unicode.Scalar, Int) {
        var cursor = start + 1
        while cursor < input.count, cursor - start <= 32 {
            let byte = input[cursor]
            if byte == UInt8(ascii: ";") {
                let name = String(decoding: input[(start + 1)..<cursor], as: UTF8.self)
                if let decoded = HTMLEntities.scalar(for: Substring(name)) { return (decoded, cursor - start + 1) }
                break
            }
            guard isLetter(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "#") else { break }
            cursor += 1
        }
        return ("&", 1)
    }

    private func hiddenContentEnd(of name: String) -> Int {
        let closing = Array(("</" + name).utf8)
        var cursor = position
        while cursor < input.count {
            if input[cursor] == UInt8(ascii: "<"), matches(closing, at: cursor, ignoringCase: true) {
                return index(after: [UInt8(ascii: ">")], from: cursor)
            }
            cursor += 1
        }
        return input.count
    }

    private func matches(_ text: [UInt8], at start: Int, ignoringCase: Bool = false) -> Bool {
        guard start + text.count <= input.count else { return false }
        for (offset, expected) in text.enumerated() {
            let actual = ignoringCase ? lowercased(input[start + offset]) : input[start + offset]
            guard actual == expected else { return false }
        }
        return true
    }

    /// The index just after the next `terminator` at or after `start`, or the end of the input.
    private func index(after terminator: [UInt8], from start: Int) -> Int {
        var cursor = start
        while cursor < input.count {
            if input[cursor] == terminator[0], matches(terminator, at: cursor) { return cursor + terminator.count }
            cursor += 1
        }
        return input.count
    }

    private func isLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }

    private func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0C
    }

    private func lowercased(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 32 : byte
    }
}
