/// The named top-level fields of a JSON object, read straight from the bytes: what a submission
/// body needs, without Foundation's `JSONDecoder` (which was a tenth of a submission's CPU).
///
/// It answers exactly as decoding `[String: JSONScalar]` with Foundation's `JSONDecoder` did, down
/// to that decoder's leniencies, so no client sees a change: a trailing comma is accepted, the
/// first of repeated keys wins, a UTF-8 byte order mark may open the body, nesting stops at 512
/// levels, and a value that is a string with a bad escape, or a number that is not a number, is
/// read but unusable (`.structured`, a field error) rather than a reason to refuse the body. The
/// differential tests (`JSONObjectFieldsTests`, and the libFuzzer target in `Tests/Fuzz`) hold it
/// to that against the decoder itself. Like `FormFields`, it never traps and never recurses.
public struct JSONObjectFields: Sendable {
    /// Why the bytes are not a JSON object.
    public enum Failure: Error, Equatable, Sendable {
        /// Not JSON at all (400 `body.invalid_json`); also JSON `null`, as the decoder had it.
        case invalidJSON
        /// JSON, but an array, a string, a number or a boolean (400 `body.not_a_json_object`).
        case notAnObject
    }

    /// Foundation's limit, kept so the same bodies are refused.
    static let maxDepth = 512

    private var values: [(name: String, value: JSONScalar)] = []

    /// The value of the first `name` in the object, `nil` when absent (JSON `null` is `.null`).
    public subscript(name: String) -> JSONScalar? {
        values.first { $0.name == name }?.value
    }

    /// Reads the object in `bytes`, keeping the values of `names` (plain ASCII names: a key matches
    /// one when its decoded bytes are equal, which for ASCII is what `String`'s `==` means).
    /// The bytes must already be valid UTF-8.
    public init(parsing bytes: some Collection<UInt8>, names: [String]) throws(Failure) {
        let outcome: Result<[(name: String, value: JSONScalar)], Failure>? = bytes.withContiguousStorageIfAvailable { buffer in
            var reader = Reader(bytes: buffer, names: names)
            return reader.readDocument()
        }
        switch outcome
            ?? Array(bytes).withUnsafeBufferPointer({ buffer in
                var reader = Reader(bytes: buffer, names: names)
                return reader.readDocument()
            })
        {
        case .success(let found): values = found
        case .failure(let failure): throw failure
        }
    }
}

private struct Reader {
    let bytes: UnsafeBufferPointer<UInt8>
    let names: [String]
    var index = 0

    init(bytes: UnsafeBufferPointer<UInt8>, names: [String]) {
        self.bytes = bytes
        self.names = names
    }

    typealias Found = [(name: String, value: JSONScalar)]

    // MARK: The document

    mutating func readDocument() -> Result<Found, JSONObjectFields.Failure> {
        // A byte order mark, at the very start only.
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { index = 3 }
        skipWhitespace()
        guard index < bytes.count else { return .failure(.invalidJSON) }
        if bytes[index] != UInt8(ascii: "{") {
            // Anything else must still be valid JSON to be "not an object" rather than "not JSON".
            let isNull = bytes[index] == UInt8(ascii: "n")
            guard skipValue(), atEnd() else { return .failure(.invalidJSON) }
            return .failure(isNull ? .invalidJSON : .notAnObject)
        }
        guard let found = readObject(), atEnd() else { return .failure(.invalidJSON) }
        return .success(found)
    }

    /// Nothing but whitespace is left.
    mutating func atEnd() -> Bool {
        skipWhitespace()
        return index == bytes.count
    }

    /// The top-level object: `{` at `index`. Keys are decoded (a key that cannot be is not
    /// JSON); values are read only for the names asked for, and the first of each wins.
    mutating func readObject() -> Found? {
        var found: Found = []
        found.reserveCapacity(names.count)
        index += 1
        skipWhitespace()
        if next(is: "}") { return found }
        while true {
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\""), let key = scanString() else { return nil }
            guard let keyBytes = decodeString(key) else { return nil }
            skipWhitespace()
            guard next(is: ":") else { return nil }
            skipWhitespace()
            let wanted = names.first { name in name.utf8.elementsEqual(keyBytes) }
            if let wanted, !found.contains(where: { $0.name == wanted }) {
                guard let value = readScalar() else { return nil }
                found.append((wanted, value))
            } else {
                guard skipValue(depth: 1) else { return nil }
            }
            skipWhitespace()
            if next(is: "}") { return found }
            guard next(is: ",") else { return nil }
            skipWhitespace()
            // A trailing comma before `}` is accepted, as Foundation accepts it.
            if next(is: "}") { return found }
        }
    }

    // MARK: Values

    /// One value of a field that is asked for.
    mutating func readScalar() -> JSONScalar? {
        guard index < bytes.count else { return nil }
        let start = index
        switch bytes[index] {
        case UInt8(ascii: "\""):
            guard let range = scanString() else { return nil }
            return decodeString(range).map { .string(String(decoding: $0, as: UTF8.self)) } ?? .structured
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let range = scanNumber()
            return NumberText(bytes: UnsafeBufferPointer(rebasing: bytes[range])).scalar
        case UInt8(ascii: "t"):
            return literal("true") ? .bool(true) : nil
        case UInt8(ascii: "f"):
            return literal("false") ? .bool(false) : nil
        case UInt8(ascii: "n"):
            return literal("null") ? .null : nil
        default:
            index = start
            return skipValue(depth: 1) ? .structured : nil
        }
    }

    /// Skips one value, checking its syntax as the decoder's scanner does: the structure and the
    /// tokens' boundaries, not what is inside strings and numbers. Iterative: a stack of what
    /// each open bracket expects, never deeper than `maxDepth`.
    mutating func skipValue(depth: Int = 0) -> Bool {
        // Each open container: whether it is an object, and whether a member is expected next.
        var open: [Bool] = []
        var expectsValue = true
        while true {
            skipWhitespace()
            guard index < bytes.count else { return false }
            if expectsValue {
                switch bytes[index] {
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    let isObject = bytes[index] == UInt8(ascii: "{")
                    guard depth + open.count < JSONObjectFields.maxDepth else { return false }
                    open.append(isObject)
                    index += 1
                    skipWhitespace()
                    if next(is: isObject ? "}" : "]") {
                        open.removeLast()
                        expectsValue = false
                        if open.isEmpty { return true }
                        continue
                    }
                    if isObject {
                        guard objectKey() else { return false }
                    }
                    continue
                case UInt8(ascii: "\""):
                    guard scanString() != nil else { return false }
                case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                    _ = scanNumber()
                case UInt8(ascii: "t"):
                    guard literal("true") else { return false }
                case UInt8(ascii: "f"):
                    guard literal("false") else { return false }
                case UInt8(ascii: "n"):
                    guard literal("null") else { return false }
                default:
                    return false
                }
                expectsValue = false
                if open.isEmpty { return true }
                continue
            }
            // After a value inside a container: `,` or its closing bracket.
            let isObject = open[open.count - 1]
            if next(is: isObject ? "}" : "]") {
                open.removeLast()
                if open.isEmpty { return true }
                continue
            }
            guard next(is: ",") else { return false }
            skipWhitespace()
            if next(is: isObject ? "}" : "]") {  // a trailing comma
                open.removeLast()
                if open.isEmpty { return true }
                continue
            }
            if isObject {
                guard objectKey() else { return false }
            }
            expectsValue = true
        }
    }

    /// `"key" :` inside a skipped object; the key is not decoded (the decoder does not look).
    mutating func objectKey() -> Bool {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\""), scanString() != nil else { return false }
        skipWhitespace()
        return next(is: ":")
    }

    // MARK: Tokens

    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"): index += 1
            default: return
            }
        }
    }

    mutating func next(is character: Unicode.Scalar) -> Bool {
        guard index < bytes.count, bytes[index] == UInt8(ascii: character) else { return false }
        index += 1
        return true
    }

    mutating func literal(_ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard bytes.count - index >= count else { return false }
        let matches = word.withUTF8Buffer { expected in
            (0..<count).allSatisfy { bytes[index + $0] == expected[$0] }
        }
        if matches { index += count }
        return matches
    }

    /// A string's contents (between the quotes), found as the scanner finds it: up to the first
    /// quote not escaped, where `\u` takes the next four bytes whatever they are — except a
    /// quote, which makes the whole body not JSON. Leaves `index` after the closing quote.
    mutating func scanString() -> Range<Int>? {
        index += 1
        let start = index
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\""):
                index += 1
                return start..<(index - 1)
            case UInt8(ascii: "\\") where index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "u"):
                guard index + 6 <= bytes.count, !bytes[(index + 2)..<(index + 6)].contains(UInt8(ascii: "\"")) else { return nil }
                index += 6
            case UInt8(ascii: "\\"):
                index += 2
            default:
                index += 1
            }
        }
        return nil
    }

    /// A number's bytes as the scanner takes them: a run of digits, `-`, `+`, `.`, `e` and `E`.
    /// Whether they form a number is `NumberText`'s question.
    mutating func scanNumber() -> Range<Int> {
        let start = index
        scan: while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."),
                UInt8(ascii: "e"), UInt8(ascii: "E"):
                index += 1
            default:
                break scan
            }
        }
        return start..<index
    }

    /// The UTF-8 of a string's contents with its escapes resolved; `nil` for what JSON forbids (a
    /// raw control character, an unknown escape, a lone or mismatched surrogate).
    func decodeString(_ range: Range<Int>) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(range.count)
        var position = range.lowerBound
        while position < range.upperBound {
            let byte = bytes[position]
            if byte < 0x20 { return nil }
            guard byte == UInt8(ascii: "\\") else {
                out.append(byte)
                position += 1
                continue
            }
            guard position + 1 < range.upperBound else { return nil }
            let escape = bytes[position + 1]
            position += 2
            switch escape {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(escape)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                guard let unit = hex4(at: position, end: range.upperBound) else { return nil }
                position += 4
                var scalarValue = UInt32(unit)
                if (0xD800...0xDBFF).contains(unit) {
                    guard position + 6 <= range.upperBound, bytes[position] == UInt8(ascii: "\\"),
                        bytes[position + 1] == UInt8(ascii: "u"), let low = hex4(at: position + 2, end: range.upperBound),
                        (0xDC00...0xDFFF).contains(low)
                    else { return nil }
                    position += 6
                    scalarValue = 0x10000 + (UInt32(unit - 0xD800) << 10) + UInt32(low - 0xDC00)
                } else if (0xDC00...0xDFFF).contains(unit) {
                    return nil
                }
                guard let scalar = Unicode.Scalar(scalarValue) else { return nil }
                out.append(contentsOf: UTF8.encode(scalar)!)
            default:
                return nil
            }
        }
        return out
    }

    func hex4(at position: Int, end: Int) -> UInt16? {
        guard position + 4 <= end else { return nil }
        var value: UInt16 = 0
        for offset in 0..<4 {
            let byte = bytes[position + offset]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt16(digit)
        }
        return value
    }
}

/// A number token's value, classified as the decoder classifies it: an `Int64` when it is one
/// (also `1.0`, `1e2`: the decoder converts those when no precision is lost), any other number,
/// or `.structured` when the bytes are not a JSON number at all (`01`, `1.`, `-`) or overflow.
private struct NumberText {
    let bytes: UnsafeBufferPointer<UInt8>

    var scalar: JSONScalar {
        guard let shape = grammar else { return .structured }
        if !shape.hasFraction, !shape.hasExponent, let value = plainInteger { return .integer(value) }
        let double = Double(String(decoding: bytes, as: UTF8.self)) ?? .infinity
        guard double.isFinite else { return .structured }
        guard let integer = Int64(exactly: double) else { return .otherNumber }
        // Below 2^53 every integer is exact in a Double; above it the decoder reads the digits
        // again as a decimal (see `largeInteger`) so that, say, 9007199254740993 stays itself.
        if double.magnitude < 9_007_199_254_740_992 { return .integer(integer) }
        return largeInteger.map(JSONScalar.integer) ?? .otherNumber
    }

    /// Whether the bytes follow JSON's number grammar, and which parts they have.
    var grammar: (hasFraction: Bool, hasExponent: Bool)? {
        var position = 0
        let count = bytes.count
        func digits() -> Int {
            let start = position
            while position < count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position]) { position += 1 }
            return position - start
        }
        if position < count, bytes[position] == UInt8(ascii: "-") { position += 1 }
        let integerStart = position
        let integerDigits = digits()
        guard integerDigits > 0, integerDigits == 1 || bytes[integerStart] != UInt8(ascii: "0") else { return nil }
        var hasFraction = false
        var hasExponent = false
        if position < count, bytes[position] == UInt8(ascii: ".") {
            position += 1
            guard digits() > 0 else { return nil }
            hasFraction = true
        }
        if position < count, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
            position += 1
            if position < count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") { position += 1 }
            guard digits() > 0 else { return nil }
            hasExponent = true
        }
        return position == count ? (hasFraction, hasExponent) : nil
    }

    /// `-?digits` within Int64's range.
    var plainInteger: Int64? {
        var negative = false
        var position = 0
        if bytes[0] == UInt8(ascii: "-") {
            negative = true
            position = 1
        }
        var magnitude: UInt64 = 0
        while position < bytes.count {
            let (times, overflow1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(UInt64(bytes[position] - UInt8(ascii: "0")))
            guard !overflow1, !overflow2 else { return nil }
            magnitude = sum
            position += 1
        }
        if negative {
            return magnitude <= UInt64(Int64.max) + 1 ? Int64(truncatingIfNeeded: 0 &- magnitude) : nil
        }
        return magnitude <= UInt64(Int64.max) ? Int64(magnitude) : nil
    }

    /// The decoder's decimal reading of a number of 2^53 or more: every digit as a mantissa that
    /// must fit in 64 bits, then the exponent applied, dropping any fraction; and a negative value
    /// must be the negation of a positive Int64 (so not Int64.min).
    var largeInteger: Int64? {
        var mantissa: UInt64 = 0
        var exponent = 0
        var position = 0
        var negative = false
        if bytes[0] == UInt8(ascii: "-") {
            negative = true
            position = 1
        }
        // The digits without leading zeros, and without trailing ones (the decimal keeps its
        // mantissa compact, so `…993.0000` is not a larger mantissa than `…993`).
        var digits: [UInt8] = []
        var inFraction = false
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: ".") {
                inFraction = true
            } else if byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
                break
            } else {
                if !digits.isEmpty || byte != UInt8(ascii: "0") { digits.append(byte - UInt8(ascii: "0")) }
                if inFraction { exponent -= 1 }
            }
            position += 1
        }
        while let last = digits.last, last == 0 {
            digits.removeLast()
            exponent += 1
        }
        for digit in digits {
            let (times, overflow1) = mantissa.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(UInt64(digit))
            guard !overflow1, !overflow2 else { return nil }
            mantissa = sum
        }
        if position < bytes.count {
            position += 1
            var exponentNegative = false
            if bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
                exponentNegative = bytes[position] == UInt8(ascii: "-")
                position += 1
            }
            var written = 0
            while position < bytes.count {
                written = min(written * 10 + Int(bytes[position] - UInt8(ascii: "0")), 1_000_000)
                position += 1
            }
            exponent += exponentNegative ? -written : written
        }
        while exponent < 0, mantissa > 0 {
            mantissa /= 10
            exponent += 1
        }
        while exponent > 0, mantissa > 0 {
            let (times, overflow) = mantissa.multipliedReportingOverflow(by: 10)
            guard !overflow else { return nil }
            mantissa = times
            exponent -= 1
        }
        guard mantissa <= UInt64(Int64.max) else { return nil }
        return negative ? -Int64(mantissa) : Int64(mantissa)
    }
}
