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

    /// The client as the abuse rules (rate limit, flood gap) count it: an IPv4 address by itself,
    /// an IPv6 address by its network of `ipv6Prefix` bits (`2001:db8:1:2::/64`). One home or
    /// server is given a whole /64, so counting single IPv6 addresses would hand it 2^64 identities.
    public static func identity(of address: String, ipv6Prefix: Int) -> String {
        guard var bytes = IPNetwork.parse(address) else { return address }
        if bytes.count == 16, bytes.prefix(12) == IPNetwork.mappedPrefix[...] {
            bytes = Array(bytes.suffix(4))
        }
        guard bytes.count == 16 else { return IPNetwork.format(bytes) ?? address }
        for index in bytes.indices {
            let keep = min(8, max(0, ipv6Prefix - index * 8))
            bytes[index] &= keep == 8 ? 0xFF : ~(0xFF >> UInt8(keep))
        }
        return (IPNetwork.format(bytes) ?? address) + "/\(ipv6Prefix)"
    }

    private static func isTrusted(_ address: String, _ proxies: [IPNetwork]) -> Bool {
        proxies.contains { $0.contains(address) }
    }
}

extension HTTPField.Name {
    /// The de-facto standard proxy header (RFC 7239's `Forwarded` is rarely sent by nginx or Caddy).
    static let xForwardedFor = HTTPField.Name("X-Forwarded-For")!
}
