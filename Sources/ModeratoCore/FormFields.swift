/// `application/x-www-form-urlencoded` fields (an HTML form's body, or a query string), decoded strictly.
///
/// Hand-written because the decoding rules are part of our contract: a bad `%` escape or bytes that
/// are not UTF-8 must be refused with 400, whereas general-purpose decoders quietly keep the raw
/// text. The first occurrence of a repeated name wins, except where `all(_:)` asks for every one.
public struct FormFields: Sendable {
    public private(set) var pairs: [(name: String, value: String)] = []

    /// More fields than any comment form has; beyond this the request is refused.
    public static let maxFieldCount = 100

    public init(parsing bytes: some Collection<UInt8>, maxFields: Int = FormFields.maxFieldCount) throws(FormFieldsError) {
        var count = 0
        for segment in bytes.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            count += 1
            guard count <= maxFields else { throw .tooManyFields(maxFields) }
            let parts = segment.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            let name = try Self.decode(parts[0])
            let value = parts.count > 1 ? try Self.decode(parts[1]) : ""
            pairs.append((name, value))
        }
    }

    public init(query: String?) throws(FormFieldsError) {
        try self.init(parsing: Array((query ?? "").utf8))
    }

    /// The first value of `name`, or `nil` when absent.
    public subscript(name: String) -> String? {
        pairs.first { $0.name == name }?.value
    }

    /// Every value of `name`, in order (`?post=a&post=b`).
    public func all(_ name: String) -> [String] {
        pairs.filter { $0.name == name }.map(\.value)
    }

    static func decode(_ bytes: some Collection<UInt8>) throws(FormFieldsError) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "+"):
                out.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                let first = bytes.index(after: index)
                guard first < bytes.endIndex, bytes.index(after: first) < bytes.endIndex,
                    let high = hexValue(bytes[first]), let low = hexValue(bytes[bytes.index(after: first)])
                else { throw .badPercentEncoding }
                out.append(high << 4 | low)
                index = bytes.index(after: first)
            default:
                out.append(byte)
            }
            index = bytes.index(after: index)
        }
        // Swift's validation refuses overlong forms, surrogates and truncated sequences.
        guard let text = String(validating: out, as: UTF8.self) else { throw .invalidUTF8 }
        return text
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

public enum FormFieldsError: Error, Equatable {
    case badPercentEncoding
    case invalidUTF8
    case tooManyFields(Int)

    /// What a person is told (400).
    public var message: Message {
        switch self {
        case .badPercentEncoding: Message("form.bad_percent_escape")
        case .invalidUTF8: Message("form.invalid_utf8")
        case .tooManyFields(let limit): Message("form.too_many_fields", ["limit": String(limit)])
        }
    }
}
