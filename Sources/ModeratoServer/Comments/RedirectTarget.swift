import ModeratoCore

/// Where a browser is sent after a form post: only ever to an allowed origin (SPEC §3.1).
struct RedirectTarget: Sendable {
    /// Allowed origins, normalised (`WebAddress.origin`).
    var allowedOrigins: Set<String>
    /// The blog's base URL; a post's page is `siteURL + post`.
    var siteURL: String

    /// `candidate` (from `redirect_to` or `Referer`) made absolute and without its fragment, when
    /// it is on an allowed origin; `nil` when it must not be followed.
    func allowed(_ candidate: String?) -> String? {
        guard let candidate, !candidate.isEmpty else { return nil }
        var absolute = candidate
        // A path on the blog itself, such as "/2025/11/post/"; "//host" and "/\host" are other hosts.
        if candidate.hasPrefix("/") {
            guard !candidate.hasPrefix("//"), !candidate.hasPrefix("/\\"), let site = WebAddress(siteURL) else { return nil }
            absolute = site.origin + candidate
        }
        guard let address = WebAddress(absolute), allowedOrigins.contains(address.origin) else { return nil }
        return address.withoutFragment
    }

    /// The post's own page, the fallback target.
    func page(of post: PostKey) -> String {
        PostPage.url(of: post, siteURL: siteURL)
    }

    /// The page plus `#comment-ID`, for a published comment; a `moderato=pending` marker left in
    /// the query by an earlier held comment is dropped.
    static func published(_ base: String, id: Int64) -> String {
        let (path, query) = splitQuery(base)
        return path + (query.isEmpty ? "" : "?" + query.joined(separator: "&")) + "#comment-\(id)"
    }

    /// The page with `moderato=pending` in its query and `#comments`, for a held comment.
    static func pending(_ base: String) -> String {
        let (path, query) = splitQuery(base)
        return path + "?" + (query + ["moderato=pending"]).joined(separator: "&") + "#comments"
    }

    /// The part before `?` and the query's parameters other than Moderato's own marker.
    private static func splitQuery(_ base: String) -> (path: String, query: [String]) {
        let parts = base.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let query = parts.count > 1 ? parts[1].split(separator: "&").filter { !$0.hasPrefix("moderato=") }.map(String.init) : []
        return (String(parts[0]), query)
    }
}

/// Where a post's page is on the blog: `site.url` + post (SPEC §1), for redirects and feed links.
public enum PostPage {
    public static func url(of post: PostKey, siteURL: String) -> String {
        // Numeric posts (WordPress ids) have no path of their own; `?p=ID` is WordPress's permalink.
        post.isNumeric ? siteURL + "/?p=" + post.text : siteURL + URIPath.encode(post.text)
    }
}

/// Percent-encoding of a post key for use as a URL's path and query (RFC 3986).
enum URIPath {
    /// Keeps what a path and query may hold as is — unreserved and sub-delimiter characters, `:`,
    /// `@`, `/`, `?`, and existing `%XX` escapes (a key taken from `location.pathname` is already
    /// encoded) — and encodes every other byte: spaces, `#`, quotes, non-ASCII text.
    static func encode(_ text: String) -> String {
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        for (index, byte) in bytes.enumerated() {
            if isAllowed(byte)
                || (byte == UInt8(ascii: "%") && index + 2 < bytes.count
                    && isHexDigit(bytes[index + 1]) && isHexDigit(bytes[index + 2]))
            {
                out.append(byte)
            } else {
                out.append(contentsOf: "%\(hex(byte >> 4))\(hex(byte & 0x0F))".utf8)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static let allowed: Set<UInt8> = Set("-._~!$&'()*+,;=:@/?".utf8)

    private static func isAllowed(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || byte.isASCIIDigit || allowed.contains(byte)
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        byte.isASCIIDigit || (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "f"))
    }

    private static func hex(_ nibble: UInt8) -> Character {
        Character(Unicode.Scalar(nibble < 10 ? nibble + 48 : nibble + 55))
    }
}
