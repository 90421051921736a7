import Foundation

/// Moderato's rule for a post key, applied to keys that come from an export.
///
/// Keys are NFC-normalised here (`precomposedStringWithCanonicalMapping`) because Moderato
/// compares them NFC-normalised; once Core's `PostKey` type lands, this should call it instead.
enum ImportPostKey {
    static let maxBytes = 512

    /// The key, NFC-normalised, when it satisfies the rule: 1–512 UTF-8 bytes, no control
    /// characters, a path starting with `/` or all ASCII digits. Otherwise `nil`.
    static func validated(_ raw: String) -> String? {
        let key = raw.precomposedStringWithCanonicalMapping
        let bytes = key.utf8
        guard !bytes.isEmpty, bytes.count <= maxBytes,
            !key.unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F..<0xA0).contains($0.value) })
        else { return nil }
        let isNumber = bytes.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
        return bytes.first == UInt8(ascii: "/") || isNumber ? key : nil
    }

    /// The path (and, when asked, the query) of a link, exactly as written: percent-encoding kept,
    /// as `location.pathname` gives it; the fragment dropped. `http://example.tld/?p=4` → `/?p=4`,
    /// `http://example.tld` → `/`. A relative link starting with one `/` is taken as it is.
    /// `nil` when the link is neither.
    static func path(ofLink link: String, keepingQuery: Bool) -> String? {
        let text = link.trimmingCharacters(in: .whitespacesAndNewlines)
        var rest: Substring
        if text.hasPrefix("/") {
            guard !text.hasPrefix("//") else { return nil }
            rest = Substring(text)
        } else if let schemeEnd = text.range(of: "://") {
            let scheme = text[..<schemeEnd.lowerBound]
            guard !scheme.isEmpty, scheme.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) })
            else { return nil }
            let afterAuthority = text[schemeEnd.upperBound...]
            guard let pathStart = afterAuthority.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) else {
                return "/"
            }
            rest = afterAuthority[pathStart...]
        } else {
            return nil
        }
        if let fragment = rest.firstIndex(of: "#") { rest = rest[..<fragment] }
        if !keepingQuery, let query = rest.firstIndex(of: "?") { rest = rest[..<query] }
        return rest.hasPrefix("/") ? String(rest) : "/" + rest
    }
}
