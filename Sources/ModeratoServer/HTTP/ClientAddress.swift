import HTTPTypes
import ModeratoCore

/// Works out the client's IP address, believing `X-Forwarded-For` only from trusted proxies.
public enum ClientAddress {
    /// Walks `X-Forwarded-For` from the right (the hop nearest to us) past trusted proxies; the first
    /// address that is not a trusted proxy is the client. Without a trusted peer the header is ignored,
    /// since anyone can send it.
    public static func resolve(peer: String?, forwardedFor: String?, trustedProxies: [IPNetwork]) -> String? {
        guard let peer = peer.flatMap(IPNetwork.canonical) else { return nil }
        guard isTrusted(peer, trustedProxies), let forwardedFor else { return peer }
        var client = peer
        for hop in forwardedFor.split(separator: ",").reversed() {
            guard let address = IPNetwork.canonical(String(hop).trimmingWhitespace()) else { break }
            client = address
            if !isTrusted(address, trustedProxies) { break }
        }
        return client
    }

    /// The client as the abuse rules count it (see `IPNetwork.clientIdentity`).
    public static func identity(of address: String, ipv6Prefix: Int) -> String {
        IPNetwork.clientIdentity(of: address, ipv6Prefix: ipv6Prefix) ?? address
    }

    private static func isTrusted(_ address: String, _ proxies: [IPNetwork]) -> Bool {
        proxies.contains { $0.contains(address) }
    }
}

extension HTTPField.Name {
    /// The de-facto standard proxy header (RFC 7239's `Forwarded` is rarely sent by nginx or Caddy).
    static let xForwardedFor = HTTPField.Name("X-Forwarded-For")!
}
