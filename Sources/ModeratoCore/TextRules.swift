extension String {
    /// Leading and trailing whitespace and newlines removed (Unicode-aware, no Foundation needed).
    public func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        // Most text has nothing to trim: then it is returned as is, without a copy.
        if let first = scalars.first, let last = scalars.last, !first.properties.isWhitespace, !last.properties.isWhitespace {
            return self
        }
        guard let start = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let end = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(scalars[start...end])
    }

    /// Whether any scalar is a control character (Unicode general category Cc), newlines and tabs included.
    public var containsControlCharacters: Bool {
        utf8ContainsControl { _ in true }
    }

    /// Whether any scalar is a control character other than newline, carriage return and tab:
    /// the rule for multi-line text such as a comment body.
    public var containsControlCharactersExceptLineBreaks: Bool {
        utf8ContainsControl { $0 != UInt8(ascii: "\n") && $0 != UInt8(ascii: "\r") && $0 != UInt8(ascii: "\t") }
    }

    /// Cc on the UTF-8 bytes: U+0000–U+001F and U+007F are one byte each, U+0080–U+009F are
    /// C2 80–C2 9F; `counts` says which of the one-byte ones matter.
    private func utf8ContainsControl(_ counts: (UInt8) -> Bool) -> Bool {
        var previous: UInt8 = 0
        for byte in utf8 {
            if byte < 0x20 || byte == 0x7F {
                if counts(byte) { return true }
            } else if previous == 0xC2, byte < 0xA0, byte >= 0x80 {
                return true
            }
            previous = byte
        }
        return false
    }
}

/// The folder part of a file path (`data/moderato.sqlite` → `data`), empty for a bare file name.
public func parentFolder(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "" }
    return slash == path.startIndex ? "/" : String(path[..<slash])
}

extension Unicode.Scalar {
    /// General category Cc: U+0000–U+001F and U+007F–U+009F (checked by value: it runs on every
    /// scalar of every comment).
    var isControl: Bool {
        value < 0x20 || (value >= 0x7F && value < 0xA0)
    }
}
