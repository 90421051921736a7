/// Character data, attribute values and references: the byte-by-byte part of `XMLEventReader`.
extension XMLEventReader {
    mutating func attributeValue() throws -> String {
        guard let quote = try input.peek(), quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") else {
            throw malformed("an attribute value without quotes")
        }
        input.advance()
        var value: [UInt8] = []
        while true {
            guard let byte = try input.peek() else { throw malformed("an attribute value that does not end") }
            input.advance()
            switch byte {
            case quote:
                return String(decoding: value, as: UTF8.self)
            case UInt8(ascii: "<"):
                throw malformed("a < inside an attribute value")
            case UInt8(ascii: "&"):
                Self.append(try reference(), to: &value)
            case 0x0A, 0x0D, 0x09:
                // Attribute-value normalisation: each line end or tab is one space.
                if byte == 0x0A { line += 1 }
                if byte == 0x0D {
                    line += 1
                    if try input.peek() == 0x0A { input.advance() }
                }
                value.append(0x20)
            default:
                guard byte >= 0x20 else { throw malformed("a character XML does not allow (U+00\(Self.hex(byte)))") }
                value.append(byte)
            }
        }
    }

    // MARK: Character data

    mutating func text() throws {
        let capturing = captureDepth != 0
        var brackets = 0
        while let byte = try input.peek(), byte != UInt8(ascii: "<") {
            input.advance()
            switch byte {
            case UInt8(ascii: "&"):
                let scalar = try reference()
                if capturing { Self.append(scalar, to: &captured) }
                brackets = 0
                continue
            case 0x0A:
                line += 1
            case 0x0D:
                line += 1
                if try input.peek() == 0x0A { input.advance() }
                if capturing { captured.append(0x0A) }
                brackets = 0
                continue
            case UInt8(ascii: ">") where brackets >= 2:
                throw malformed("]]> outside a CDATA section")
            case 0x09:
                break
            default:
                guard byte >= 0x20 else { throw malformed("a character XML does not allow (U+00\(Self.hex(byte)))") }
            }
            brackets = byte == UInt8(ascii: "]") ? brackets + 1 : 0
            if capturing { captured.append(byte) }
        }
    }

    mutating func cdata() throws {
        let startLine = line
        input.advance(9)  // <![CDATA[
        let capturing = captureDepth != 0
        while true {
            guard let byte = try input.peek() else {
                throw malformed("an unfinished CDATA section opened at line \(startLine) (truncated?)")
            }
            if byte == UInt8(ascii: "]"), try input.matches("]]>") {
                input.advance(3)
                return
            }
            input.advance()
            switch byte {
            case 0x0A:
                line += 1
            case 0x0D:
                line += 1
                if try input.peek() == 0x0A { input.advance() }
                if capturing { captured.append(0x0A) }
                continue
            case 0x09:
                break
            default:
                guard byte >= 0x20 else { throw malformed("a character XML does not allow (U+00\(Self.hex(byte)))") }
            }
            if capturing { captured.append(byte) }
        }
    }

    /// After `&`: one of XML's five entities or a character reference.
    mutating func reference() throws -> Unicode.Scalar {
        var name: [UInt8] = []
        while let byte = try input.peek(), byte != UInt8(ascii: ";") {
            guard name.count < 32, Self.isNameByte(byte) || byte == UInt8(ascii: "#") else {
                throw malformed("an & that starts no entity (write &amp;)")
            }
            name.append(byte)
            input.advance()
        }
        guard try input.peek() == UInt8(ascii: ";") else { throw malformed("an & that starts no entity (write &amp;)") }
        input.advance()
        switch name {
        case Array("lt".utf8): return "<"
        case Array("gt".utf8): return ">"
        case Array("amp".utf8): return "&"
        case Array("apos".utf8): return "'"
        case Array("quot".utf8): return "\""
        default:
            guard name.first == UInt8(ascii: "#") else {
                throw malformed(
                    "the entity &\(String(decoding: name, as: UTF8.self)); that XML does not define (HTML names such as &nbsp; need CDATA)")
            }
            let digits = String(decoding: name.dropFirst(), as: UTF8.self)
            let value = digits.hasPrefix("x") ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits, radix: 10)
            guard let value, !digits.contains("+"), !digits.contains("-"), let scalar = Unicode.Scalar(value),
                value == 0x9 || value == 0xA || value == 0xD || (0x20...0xD7FF).contains(value)
                    || (0xE000...0xFFFD).contains(value) || value >= 0x10000
            else { throw malformed("a character reference &\(String(decoding: name, as: UTF8.self)); to no character XML allows") }
            return scalar
        }
    }

    static func append(_ scalar: Unicode.Scalar, to bytes: inout [UInt8]) {
        if scalar.isASCII {
            bytes.append(UInt8(scalar.value))
        } else {
            bytes.append(contentsOf: UTF8.encode(scalar)!)
        }
    }

    // MARK: Helpers

    /// Skips spaces, tabs and line ends; whether there were any.
    @discardableResult
    mutating func skipSpace() throws -> Bool {
        var skipped = false
        while let byte = try input.peek() {
            switch byte {
            case 0x0A: line += 1
            case 0x0D: if try input.peek(1) != 0x0A { line += 1 }
            case 0x20, 0x09: break
            default: return skipped
            }
            input.advance()
            skipped = true
        }
        return skipped
    }

    mutating func skip(past terminator: StaticString, what: String) throws {
        let startLine = line
        while let byte = try input.peek() {
            if byte == terminator.utf8Start[0], try input.matches(terminator) {
                input.advance(terminator.utf8CodeUnitCount)
                return
            }
            if byte == 0x0A { line += 1 }
            input.advance()
        }
        throw malformed("\(what), from line \(startLine)")
    }

    static func isNameByte(_ byte: UInt8) -> Bool {
        FileBytes.isNameByte(byte)
    }

    static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
    }

    func malformed(_ problem: String) -> ImportError {
        .malformedXML(file: file, line: line, problem: problem)
    }
}
