#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// An IP address or CIDR range (`10.0.0.1`, `10.0.0.0/8`, `::1`, `fd00::/8`), for `server.trusted_proxies`.
public struct IPNetwork: Sendable, Equatable, CustomStringConvertible {
    /// 4 bytes for IPv4, 16 for IPv6, in network order.
    let bytes: [UInt8]
    let prefixLength: Int

    public init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = IPNetwork.parse(String(parts[0])) else { return nil }
        let maxPrefix = address.count * 8
        if parts.count == 2 {
            guard let prefix = Int(parts[1]), (0...maxPrefix).contains(prefix) else { return nil }
            prefixLength = prefix
        } else {
            prefixLength = maxPrefix
        }
        bytes = address
    }

    /// Whether `address` (textual IPv4 or IPv6) lies in this network. IPv4-mapped IPv6 addresses
    /// (`::ffff:10.0.0.1`) match their IPv4 network.
    public func contains(_ address: String) -> Bool {
        guard var candidate = IPNetwork.parse(address) else { return false }
        if candidate.count == 16, bytes.count == 4, candidate.prefix(12) == IPNetwork.mappedPrefix[...] {
            candidate = Array(candidate.suffix(4))
        }
        guard candidate.count == bytes.count else { return false }
        var remaining = prefixLength
        for index in bytes.indices where remaining > 0 {
            let bits = min(8, remaining)
            let mask: UInt8 = bits == 8 ? 0xFF : ~(0xFF >> UInt8(bits))
            if candidate[index] & mask != bytes[index] & mask { return false }
            remaining -= bits
        }
        return true
    }

    public var description: String {
        let text = IPNetwork.format(bytes) ?? "?"
        return prefixLength == bytes.count * 8 ? text : "\(text)/\(prefixLength)"
    }

    static let mappedPrefix: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF]

    /// The address in canonical text form, or `nil` when `text` is not an IP address.
    public static func canonical(_ text: String) -> String? {
        parse(text).flatMap(format)
    }

    static func parse(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            return withUnsafeBytes(of: &v6) { Array($0) }
        }
        return nil
    }

    static func format(_ bytes: [UInt8]) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let family = bytes.count == 4 ? AF_INET : AF_INET6
        let ok = bytes.withUnsafeBytes { raw in
            inet_ntop(family, raw.baseAddress, &buffer, socklen_t(buffer.count)) != nil
        }
        guard ok else { return nil }
        return String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

extension IPNetwork {
    /// The client as the abuse rules (rate limit, flood gap) and the stored IP hash count it: an
    /// IPv4 address by itself, an IPv6 address by its network of `ipv6Prefix` bits
    /// (`2001:db8:1:2::/64`). One home or server is given a whole /64, so counting single IPv6
    /// addresses would hand it 2^64 identities. `nil` when `text` is not an IP address.
    public static func clientIdentity(of text: String, ipv6Prefix: Int) -> String? {
        guard var bytes = parse(text) else { return nil }
        if bytes.count == 16, bytes.prefix(12) == mappedPrefix[...] {
            bytes = Array(bytes.suffix(4))
        }
        guard bytes.count == 16 else { return format(bytes) }
        for index in bytes.indices {
            let keep = min(8, max(0, ipv6Prefix - index * 8))
            bytes[index] &= keep == 8 ? 0xFF : ~(0xFF >> UInt8(keep))
        }
        return format(bytes).map { $0 + "/\(ipv6Prefix)" }
    }
}
