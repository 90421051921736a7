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

    /// Whether a normalised address is syntactically acceptable.
    public static func isValid(_ address: String) -> Bool {
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return false }
        let local = parts[0].utf8
        let domain = parts[1].utf8
        guard (1...64).contains(local.count), (3...253).contains(domain.count) else { return false }
        guard local.allSatisfy(isLocalByte), local.first != dot, local.last != dot,
            !containsDoubleDot(local)
        else { return false }
        let labels = parts[1].split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2 else { return false }
        return labels.allSatisfy { label in
            let bytes = label.utf8
            return (1...63).contains(bytes.count) && bytes.allSatisfy(isDomainByte)
                && bytes.first != hyphen && bytes.last != hyphen
        }
    }

    private static let dot = UInt8(ascii: ".")
    private static let hyphen = UInt8(ascii: "-")

    private static func containsDoubleDot(_ bytes: Substring.UTF8View) -> Bool {
        zip(bytes, bytes.dropFirst()).contains { $0 == dot && $1 == dot }
    }

    // RFC 5322 "atext" plus the dot.
    private static func isLocalByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return "!#$%&'*+-/=?^_`{|}~.".utf8.contains(byte)
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
