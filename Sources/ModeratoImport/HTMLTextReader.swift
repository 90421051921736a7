import Foundation

/// One pass over an HTML fragment, writing what it shows into a `PlainTextBuilder`.
///
/// A small tokenizer in the manner of the HTML parser rather than a full one: comments, doctype
/// and processing instructions vanish, `<` not followed by a tag name is text (`I <3 it`), an
/// unknown `&name;` stays as written, a tag cut off by the end of the text is dropped.
struct HTMLTextReader {
    private let input: [Unicode.Scalar]
    private var position = 0
    private var builder = PlainTextBuilder()
    /// Set after `<br>` or a block tag: one newline that follows is the same break.
    private var newlineIsPartOfBreak = false
    /// The open `<a>`: its address and the text shown so far.
    private var link: (address: String?, text: String.UnicodeScalarView)?

    private static let paragraphTags: Set<String> = [
        "p", "div", "blockquote", "ul", "ol", "dl", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "table",
        "hr", "section", "article", "header", "footer", "figure", "figcaption", "address", "details",
        "summary", "form", "fieldset", "nav", "aside", "main",
    ]
    private static let lineTags: Set<String> = ["li", "dt", "dd", "tr"]
    /// Elements whose content is code or style, never shown.
    private static let hiddenTags: Set<String> = ["script", "style", "template"]

    init(_ input: [Unicode.Scalar]) {
        self.input = input
    }

    mutating func read() -> String {
        while position < input.count {
            let scalar = input[position]
            switch scalar {
            case "<":
                if !readMarkup() {
                    text("<")
                    position += 1
                }
            case "&":
                let (decoded, length) = characterReference(at: position)
                // A reference to a line break is whitespace, as in a browser, not a new line.
                text(decoded == "\n" || decoded == "\r" ? " " : decoded)
                position += length
            case "\r", "\n":
                if scalar == "\r", position + 1 < input.count, input[position + 1] == "\n" { position += 1 }
                if newlineIsPartOfBreak {
                    newlineIsPartOfBreak = false
                } else {
                    builder.lineBreak()
                }
                position += 1
            case " ", "\t":
                builder.append(scalar)
                link?.text.append(scalar)
                position += 1
            default:
                text(scalar)
                position += 1
            }
        }
        closeLink()
        return builder.finish()
    }

    private mutating func text(_ scalar: Unicode.Scalar) {
        builder.append(scalar)
        link?.text.append(scalar)
        newlineIsPartOfBreak = false
    }

    private mutating func text(_ string: String) {
        for scalar in string.unicodeScalars { text(scalar) }
    }

    // MARK: Markup

    /// Reads the tag, comment or declaration at `position` and moves past it; `false` when the
    /// `<` there starts none (then it is text).
    private mutating func readMarkup() -> Bool {
        let next = position + 1 < input.count ? input[position + 1] : " "
        if next == "!" {
            let isComment = matches("<!--", at: position)
            position = index(after: isComment ? "-->" : ">", from: position + 2)
            return true
        }
        if next == "?" {
            position = index(after: ">", from: position + 2)
            return true
        }
        if next == "/", position + 2 < input.count, isLetter(input[position + 2]) {
            var cursor = position + 2
            let name = tagName(from: &cursor)
            position = index(after: ">", from: cursor)
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
            link = (attributes["href"], String.UnicodeScalarView())
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
        let label = String(shown).trimmingCharacters(in: [" ", "\t"])
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
        var name = String.UnicodeScalarView()
        while cursor < input.count, !isSpace(input[cursor]), input[cursor] != "/", input[cursor] != ">" {
            name.append(lowercased(input[cursor]))
            cursor += 1
        }
        return String(name)
    }

    /// The attributes of a start tag from `cursor` to its `>`, and the index after it; `nil` when
    /// the text ends first. Values are decoded; a `>` inside quotes does not end the tag.
    private func attributes(from start: Int) -> ([String: String], Int)? {
        var attributes: [String: String] = [:]
        var cursor = start
        while cursor < input.count {
            let scalar = input[cursor]
            if scalar == ">" { return (attributes, cursor + 1) }
            if isSpace(scalar) || scalar == "/" {
                cursor += 1
                continue
            }
            var name = String.UnicodeScalarView()
            while cursor < input.count, !isSpace(input[cursor]), input[cursor] != "=", input[cursor] != ">",
                  input[cursor] != "/" || name.isEmpty {
                name.append(lowercased(input[cursor]))
                cursor += 1
            }
            while cursor < input.count, isSpace(input[cursor]) { cursor += 1 }
            var value = String.UnicodeScalarView()
            if cursor < input.count, input[cursor] == "=" {
                cursor += 1
                while cursor < input.count, isSpace(input[cursor]) { cursor += 1 }
                if cursor < input.count, input[cursor] == "\"" || input[cursor] == "'" {
                    let quote = input[cursor]
                    cursor += 1
                    while cursor < input.count, input[cursor] != quote { cursor = appendAttributeScalar(at: cursor, to: &value) }
                    guard cursor < input.count else { return nil }
                    cursor += 1
                } else {
                    while cursor < input.count, !isSpace(input[cursor]), input[cursor] != ">" {
                        cursor = appendAttributeScalar(at: cursor, to: &value)
                    }
                }
            }
            let key = String(name)
            if attributes[key] == nil { attributes[key] = String(value) }  // the first one wins, as in HTML
        }
        return nil
    }

    private func appendAttributeScalar(at cursor: Int, to value: inout String.UnicodeScalarView) -> Int {
        guard input[cursor] == "&" else {
            value.append(input[cursor])
            return cursor + 1
        }
        let (decoded, length) = characterReference(at: cursor)
        value.append(decoded)
        return cursor + length
    }

    /// The scalar of the reference at `start` (an `&`) and how many input scalars it spans; a lone
    /// `&` when there is no reference.
    private func characterReference(at start: Int) -> (Unicode.Scalar, Int) {
        var cursor = start + 1
        var name = String.UnicodeScalarView()
        while cursor < input.count, cursor - start <= 32 {
            let scalar = input[cursor]
            if scalar == ";" {
                if let decoded = HTMLEntities.scalar(for: Substring(String(name))) { return (decoded, cursor - start + 1) }
                break
            }
            guard scalar.isASCII, scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "#" else { break }
            name.append(scalar)
            cursor += 1
        }
        return ("&", 1)
    }

    private func hiddenContentEnd(of name: String) -> Int {
        var cursor = position
        while cursor < input.count {
            if input[cursor] == "<", matches("</" + name, at: cursor, ignoringCase: true) {
                return index(after: ">", from: cursor)
            }
            cursor += 1
        }
        return input.count
    }

    private func matches(_ text: String, at start: Int, ignoringCase: Bool = false) -> Bool {
        var cursor = start
        for expected in text.unicodeScalars {
            guard cursor < input.count else { return false }
            let actual = ignoringCase ? lowercased(input[cursor]) : input[cursor]
            guard actual == expected else { return false }
            cursor += 1
        }
        return true
    }

    /// The index just after the next `terminator` at or after `start`, or the end of the input.
    private func index(after terminator: String, from start: Int) -> Int {
        var cursor = start
        while cursor < input.count {
            if matches(terminator, at: cursor) { return cursor + terminator.unicodeScalars.count }
            cursor += 1
        }
        return input.count
    }

    private func isLetter(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
    }

    private func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r" || scalar == "\u{0C}"
    }

    private func lowercased(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        ("A"..."Z").contains(scalar) ? Unicode.Scalar(scalar.value + 32)! : scalar
    }
}
