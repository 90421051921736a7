/// The one parser for web addresses we accept from commenters and redirect to: absolute `http`/`https` only.
///
/// Hand-written rather than Foundation's `URL` because we need the exact origin (scheme, host, port)
/// to compare against `site.origins`, and `URL` differs between platforms on edge cases such as
/// backslashes and user-info. Anything unusual is refused rather than interpreted.
public struct WebAddress: Sendable, Equatable {
    public var scheme: String
    public var host: String
    public var port: Int?
    /// Path, query and fragment as given, starting with `/`, `?` or `#`, or empty.
    public var rest: String

    /// `scheme://host[:port]`, with the default port left out and host lower-cased.
    public var origin: String {
        let defaultPort = scheme == "https" ? 443 : 80
        if let port, port != defaultPort { return "\(scheme)://\(host):\(port)" }
        return "\(scheme)://\(host)"
    }

    public init?(_ text: String) {
        // No whitespace, controls, backslashes or non-ASCII anywhere: they are how look-alike and
        // header-splitting tricks start, and real links from a form never need them unescaped.
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\\") }) else {
            return nil
        }
        let lower = text.lowercased()
        let scheme: String
        if lower.hasPrefix("https://") {
            scheme = "https"
        } else if lower.hasPrefix("http://") {
            scheme = "http"
        } else {
            return nil
        }
        let afterScheme = text.dropFirst(scheme.count + 3)
        let authorityEnd = afterScheme.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? afterScheme.endIndex
        let authority = afterScheme[..<authorityEnd]
        // User-info (`http://good.example@evil.example/`) is refused outright.
        guard !authority.isEmpty, !authority.contains("@") else { return nil }
        var host = Substring(authority)
        var port: Int?
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { return nil }
            let after = host[host.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":"), let number = Int(after.dropFirst()), (1...65535).contains(number) else {
                    return nil
                }
                port = number
            }
            host = host[...close]
        } else if let colon = host.lastIndex(of: ":") {
            let digits = host[host.index(after: colon)...]
            guard !digits.isEmpty, digits.allSatisfy(\.isASCIIDigit), let number = Int(digits),
                (1...65535).contains(number)
            else { return nil }
            port = number
            host = host[..<colon]
        }
        guard !host.isEmpty, host.utf8.count <= 253,
            host.allSatisfy({ $0.isASCIILetterOrDigit || $0 == "." || $0 == "-" || $0 == "[" || $0 == "]" || $0 == ":" })
        else { return nil }
        self.scheme = scheme
        self.host = host.lowercased()
        self.port = port
        self.rest = String(afterScheme[authorityEnd...])
    }

    /// The address again, normalised (lower-case scheme and host), with its fragment removed.
    public var withoutFragment: String {
        let path = rest.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        return origin + path
    }
}
