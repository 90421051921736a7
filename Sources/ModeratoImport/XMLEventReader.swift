/// An element as the readers see it: local name and namespace (prefixes are the file's choice).
struct XMLName: Equatable {
    var local: String
    var namespace: String?
}

/// What a format's reader does with the elements of a document, in order. Errors it throws stop
/// the reading and come out of `XMLEventReader.read` unchanged.
protocol XMLEventHandler: AnyObject {
    /// An element starts at `depth` (the root is 1). Returns whether its text is wanted: then it
    /// comes with `end`, character data and CDATA joined, line ends normalised to LF. Attributes
    /// are keyed by local name.
    func start(_ name: XMLName, attributes: [String: String], depth: Int, line: Int) throws -> Bool
    func end(_ name: XMLName, text: String?, depth: Int, line: Int) throws
    /// The document ended, well-formed.
    func finish() throws
}

/// A streaming XML 1.0 reader over a file's UTF-8 bytes, for the exports Moderato imports.
///
/// Hand-written rather than FoundationXML's `XMLParser` for speed: that one builds Foundation
/// strings and dictionaries for every name and attribute and spent more time per comment than
/// everything else the import does (measured: Benchmarks/import/README.md). It checks what makes
/// a document well-formed — one root, matching end tags, quoted and unique attributes, defined
/// entities, allowed characters, namespace prefixes bound, no content cut off — and nothing of
/// DTDs: no entity is ever declared or expanded, so no file can make it fetch or blow up anything.
/// Memory is the 256 KiB window plus the text of the one element being captured.
struct XMLEventReader {
    let file: String
    private let handler: XMLEventHandler
    var input: FileBytes
    var line = 1
    /// Open elements: qualified name (an index into `names`), the line of their start tag, and
    /// how many namespace bindings were in scope before them.
    private var open: [(name: Int, line: Int, bindings: Int)] = []
    private var bindings: [(prefix: [UInt8], uri: String)] = []
    /// Bumped whenever `bindings` changes, so a name resolved under the same bindings is reused.
    private var bindingsVersion = 0
    /// Names are interned: an export uses a few dozen over and over, and comparing, resolving and
    /// turning them into strings once each is most of what reading a tag would otherwise cost.
    /// Interned names by their FNV-1a hash (hashing an `[UInt8]` key would feed the hasher one
    /// byte at a time), each with the indices of the names that have it.
    private var nameIDs: [UInt64: [Int]] = [:]
    private var names: [(bytes: [UInt8], resolved: XMLName?, version: Int)] = []
    private var nameBuffer: [UInt8] = []
    private static let maximumNames = 10_000
    var captureDepth = 0
    var captured: [UInt8] = []

    private init(file: String, handler: XMLEventHandler, input: FileBytes) {
        self.file = file
        self.handler = handler
        self.input = input
        captured.reserveCapacity(16 * 1024)
        nameBuffer.reserveCapacity(64)
    }

    static func read(file: String, handler: XMLEventHandler, progress: (@Sendable (Int64, Int64) -> Void)?) throws {
        let input = try FileBytes(path: file, progress: progress)
        var reader = XMLEventReader(file: file, handler: handler, input: input)
        try reader.document()
        try handler.finish()
    }

    // MARK: Document structure

    private mutating func document() throws {
        guard try input.peek() != nil else { throw ImportError.empty(file: file) }
        if try input.peek() == 0xFE || input.peek() == 0xFF { throw malformed("the file is UTF-16; only UTF-8 is read") }
        if try input.matches("\u{FEFF}") { input.advance(3) }
        if try input.matches("<?xml") { try declaration() }
        var sawRoot = false
        while true {
            try skipSpace()
            guard let byte = try input.peek() else { break }
            guard byte == UInt8(ascii: "<") else {
                throw malformed(sawRoot ? "text after the end of the document" : "no XML element where the document should start")
            }
            if try input.matches("<!--") {
                try skip(past: "-->", what: "an unfinished comment (<!-- without -->)")
            } else if try input.matches("<?") {
                try skip(past: "?>", what: "an unfinished processing instruction")
            } else if try input.matches("<!DOCTYPE"), !sawRoot {
                try doctype()
            } else if !sawRoot {
                try content()
                sawRoot = true
            } else {
                throw malformed("a second root element after the end of the document")
            }
        }
        guard sawRoot else { throw malformed("no XML element in the file") }
    }

    /// `<?xml version="1.0" encoding="…"?>`: only UTF-8 (or its ASCII subset) is read.
    private mutating func declaration() throws {
        var text: [UInt8] = []
        while let byte = try input.peek(), try !(byte == UInt8(ascii: "?") && input.peek(1) == UInt8(ascii: ">")) {
            if byte == 0x0A { line += 1 }
            text.append(byte)
            input.advance()
            guard text.count < 1024 else { throw malformed("an XML declaration that does not end") }
        }
        guard try input.peek() != nil else { throw malformed("an XML declaration that does not end") }
        input.advance(2)
        let declaration = String(decoding: text, as: UTF8.self).lowercased()
        if let range = declaration.range(of: "encoding") {
            let value = declaration[range.upperBound...].drop { $0 == " " || $0 == "=" || $0 == "\"" || $0 == "'" }
                .prefix { $0 != "\"" && $0 != "'" }
            guard ["utf-8", "utf8", "us-ascii", "ascii"].contains(String(value)) else {
                throw malformed("the file is in \(value); only UTF-8 is read (convert it first, e.g. with iconv)")
            }
        }
    }

    private mutating func doctype() throws {
        // Skipped whole, internal subset included: nothing declared there is used.
        var brackets = 0
        input.advance(9)
        while let byte = try input.peek() {
            input.advance()
            switch byte {
            case 0x0A: line += 1
            case UInt8(ascii: "["): brackets += 1
            case UInt8(ascii: "]"): brackets -= 1
            case UInt8(ascii: ">") where brackets <= 0: return
            default: break
            }
        }
        throw malformed("an unfinished DOCTYPE")
    }

    /// The root element and everything in it.
    private mutating func content() throws {
        try startTag()
        while !open.isEmpty {
            guard let byte = try input.peek() else {
                let innermost = open[open.count - 1]
                throw malformed("the file ends inside <\(text(of: innermost.name))> opened at line \(innermost.line) (truncated?)")
            }
            if byte != UInt8(ascii: "<") {
                try text()
            } else if try input.peek(1) == UInt8(ascii: "/") {
                try endTag()
            } else if try input.matches("<![CDATA[") {
                try cdata()
            } else if try input.matches("<!--") {
                try skip(past: "-->", what: "an unfinished comment (<!-- without -->)")
            } else if try input.matches("<?") {
                try skip(past: "?>", what: "an unfinished processing instruction")
            } else {
                try startTag()
            }
        }
    }

    // MARK: Tags

    private mutating func startTag() throws {
        let startLine = line
        input.advance()  // <
        let name = try self.name()
        var attributes: [String: String] = [:]
        var seen: [Int] = []
        let bindingCount = bindings.count
        var isEmpty = false
        while true {
            let hadSpace = try skipSpace()
            guard let byte = try input.peek() else { throw cutOff(name, startLine) }
            if byte == UInt8(ascii: ">") {
                input.advance()
                break
            }
            if byte == UInt8(ascii: "/") {
                guard try input.peek(1) == UInt8(ascii: ">") else { throw malformed("a broken tag") }
                input.advance(2)
                isEmpty = true
                break
            }
            guard hadSpace else { throw malformed("a broken tag") }
            let attribute = try self.name()
            try skipSpace()
            guard try input.peek() == UInt8(ascii: "=") else { throw malformed("a broken attribute") }
            input.advance()
            try skipSpace()
            let value = try attributeValue()
            guard !seen.contains(attribute) else { throw malformed("an attribute given twice") }
            seen.append(attribute)
            let bytes = names[attribute].bytes
            if bytes == Array("xmlns".utf8) {
                bindings.append(([], value))
                bindingsVersion += 1
            } else if bytes.starts(with: "xmlns:".utf8) {
                bindings.append((Array(bytes.dropFirst(6)), value))
                bindingsVersion += 1
            } else {
                attributes[String(decoding: localPart(bytes), as: UTF8.self)] = value
            }
        }
        open.append((name, startLine, bindingCount))
        let qualified = try resolve(name)
        if try handler.start(qualified, attributes: attributes, depth: open.count, line: startLine), captureDepth == 0 {
            captureDepth = open.count
            captured.removeAll(keepingCapacity: true)
        }
        if isEmpty { try close(qualified) }
    }

    private mutating func endTag() throws {
        input.advance(2)  // </
        let name = try self.name()
        try skipSpace()
        guard try input.peek() == UInt8(ascii: ">") else { throw malformed("a broken end tag") }
        input.advance()
        let innermost = open[open.count - 1]
        guard name == innermost.name else {
            throw malformed("</\(text(of: name))> closes <\(text(of: innermost.name))> opened at line \(innermost.line)")
        }
        try close(try resolve(name))
    }

    private mutating func close(_ name: XMLName) throws {
        var text: String?
        if captureDepth == open.count {
            captureDepth = 0
            guard let valid = String(validating: captured, as: UTF8.self) else {
                throw malformed("text that is not valid UTF-8 in <\(name.local)>")
            }
            text = valid
        }
        try handler.end(name, text: text, depth: open.count, line: line)
        let outer = open[open.count - 1].bindings
        if bindings.count != outer {
            bindings.removeLast(bindings.count - outer)
            bindingsVersion += 1
        }
        open.removeLast()
    }

    /// A name — letters, digits, `_ : . -` and anything beyond ASCII, not starting with a digit,
    /// `.` or `-` — as its index in `names`.
    private mutating func name() throws -> Int {
        nameBuffer.removeAll(keepingCapacity: true)
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        // Whole names are nearly always in the window already; at its end, read on and go again.
        while !input.takeName(into: &nameBuffer, hash: &hash), try input.peek() != nil {}
        guard let first = nameBuffer.first, !(first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9")),
            first != UInt8(ascii: "."), first != UInt8(ascii: "-")
        else { throw malformed("a broken tag") }
        if let candidates = nameIDs[hash] {
            for id in candidates where names[id].bytes == nameBuffer { return id }
        }
        guard names.count < Self.maximumNames else {
            throw malformed("more than \(Self.maximumNames) different element names: not an export")
        }
        names.append((nameBuffer, nil, -1))
        nameIDs[hash, default: []].append(names.count - 1)
        return names.count - 1
    }

    private func text(of name: Int) -> String {
        String(decoding: names[name].bytes, as: UTF8.self)
    }

    private mutating func resolve(_ name: Int) throws -> XMLName {
        if let resolved = names[name].resolved, names[name].version == bindingsVersion { return resolved }
        let qualified = names[name].bytes
        let colon = qualified.firstIndex(of: UInt8(ascii: ":"))
        let prefix = colon.map { Array(qualified[..<$0]) } ?? []
        let local = String(decoding: localPart(qualified), as: UTF8.self)
        var resolved = XMLName(local: local, namespace: nil)
        if let binding = bindings.last(where: { $0.prefix == prefix }) {
            resolved.namespace = binding.uri.isEmpty ? nil : binding.uri
        } else if !prefix.isEmpty {
            throw malformed("the namespace prefix \(String(decoding: prefix, as: UTF8.self)): is not declared")
        }
        names[name].resolved = resolved
        names[name].version = bindingsVersion
        return resolved
    }

    private func localPart(_ qualified: [UInt8]) -> ArraySlice<UInt8> {
        qualified.firstIndex(of: UInt8(ascii: ":")).map { qualified[($0 + 1)...] } ?? qualified[...]
    }

    private func cutOff(_ name: Int, _ startLine: Int) -> ImportError {
        malformed("the file ends inside the tag <\(text(of: name))> of line \(startLine) (truncated?)")
    }
}
