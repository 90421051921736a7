import Foundation
import ModeratoCore

/// Moderato's rule for a post key, applied to keys that come from an export.
enum ImportPostKey {
    /// The key, NFC-normalised, when it satisfies Moderato's rule (`PostKey`); otherwise `nil`.
    static func validated(_ raw: String) -> String? {
        PostKey(validating: raw)?.text
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
