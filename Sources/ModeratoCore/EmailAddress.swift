/// The rules for a commenter's email address: how it is normalised before hashing and what counts as valid.
///
/// The check is deliberately plain (like WordPress's `is_email`): ASCII `local@domain`, a domain
/// with at least two labels. Nothing is ever sent to the address, so "looks deliverable" is enough.
public enum EmailAddress {
    /// Trimmed and lower-cased: the form the keyed hash is taken of, so `Taro@Example.org ` and
    /// `taro@example.org` are the same commenter.
    public static func normalize(_ raw: String) -> String {
        raw.trimmingWhitespace().lowercased()
    }

    /// Whether a normalised address is syntactically acceptable. One pass over the bytes (it runs
    /// for every submission).
    public static func isValid(_ address: String) -> Bool {
        var address = address
        return address.withUTF8 { bytes in
            guard let at = bytes.firstIndex(of: UInt8(ascii: "@")) else { return false }
            let local = UnsafeBufferPointer(rebasing: bytes[..<at])
            let domain = UnsafeBufferPointer(rebasing: bytes[(at + 1)...])
            guard !domain.contains(UInt8(ascii: "@")) else { return false }
            guard (1...64).contains(local.count), (3...253).contains(domain.count) else { return false }
            guard local.allSatisfy(isLocalByte), local.first != dot, local.last != dot else { return false }
            for index in 1..<local.count where local[index] == dot && local[index - 1] == dot {
                return false
            }
            var labels = 0
            var labelStart = 0
            for index in 0...domain.count {
                if index == domain.count || domain[index] == dot {
                    let label = domain[labelStart..<index]
                    guard (1...63).contains(label.count), label.first != hyphen, label.last != hyphen else { return false }
                    labels += 1
                    labelStart = index + 1
                } else if !isDomainByte(domain[index]) {
                    return false
                }
            }
            return labels >= 2
        }
    }

    private static let dot = UInt8(ascii: ".")
    private static let hyphen = UInt8(ascii: "-")

    // RFC 5322 "atext" plus the dot.
    private static func isLocalByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"), UInt8(ascii: "'"),
            UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "/"), UInt8(ascii: "="), UInt8(ascii: "?"),
            UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "{"), UInt8(ascii: "|"), UInt8(ascii: "}"),
            UInt8(ascii: "~"), UInt8(ascii: "."):
            return true
        default:
            return false
        }
    }

    private static func isDomainByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), hyphen:
            return true
        default:
            return false
        }
    }
}
