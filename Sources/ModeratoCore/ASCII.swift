extension UInt8 {
    /// `0`–`9`.
    public var isASCIIDigit: Bool { self >= UInt8(ascii: "0") && self <= UInt8(ascii: "9") }
}

extension Character {
    /// `0`–`9` only: `isNumber` alone also accepts `４`, `٤` and `½`.
    public var isASCIIDigit: Bool { isASCII && isNumber }

    public var isASCIILetterOrDigit: Bool { isASCII && (isLetter || isNumber) }
}

extension StringProtocol {
    /// A non-empty run of ASCII digits, such as an id in a path: `Int64(text)` alone accepts `+5`.
    public var isASCIIDigits: Bool { !isEmpty && allSatisfy(\.isASCIIDigit) }
}
