extension String {
    /// Leading and trailing whitespace and newlines removed (Unicode-aware, no Foundation needed).
    public func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let start = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let end = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(scalars[start...end])
    }

    /// Whether any scalar is a control character (Unicode general category Cc), newlines and tabs included.
    public var containsControlCharacters: Bool {
        unicodeScalars.contains(where: \.isControl)
    }

    /// Whether any scalar is a control character other than newline, carriage return and tab:
    /// the rule for multi-line text such as a comment body.
    public var containsControlCharactersExceptLineBreaks: Bool {
        unicodeScalars.contains { $0.isControl && $0 != "\n" && $0 != "\r" && $0 != "\t" }
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
