import Crypto

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Keyed hashes of personal data, one derived key per purpose, from the per-install secret.
///
/// Separate keys mean an email hash, an IP hash and an avatar seed of the same person cannot be
/// linked to each other, and none can be recomputed without the secret file.
public struct Keyring: Sendable {
    /// What a hash is for; each purpose gets its own key, derived with HKDF from the secret.
    public enum Purpose: String, Sendable, CaseIterable {
        case email = "moderato email v1"
        case ip = "moderato ip v1"
        case avatar = "moderato avatar v1"
        case cursor = "moderato cursor v1"
        case actionLink = "moderato action link v1"
    }

    /// An HMAC already keyed for each purpose: copying it is cheaper than keying a new one for
    /// every hash (the key schedule was a third of an import's CPU).
    private let keyed: [Purpose: HMAC<SHA256>]

    /// The secret must be at least 32 bytes (the secret file holds exactly 32 random bytes).
    public init(secret: [UInt8]) throws(KeyringError) {
        guard secret.count >= 32 else { throw .secretTooShort(secret.count) }
        let master = SymmetricKey(data: secret)
        var keys: [Purpose: SymmetricKey] = [:]
        for purpose in Purpose.allCases {
            keys[purpose] = HKDF<SHA256>.deriveKey(
                inputKeyMaterial: master, info: Array(purpose.rawValue.utf8), outputByteCount: 32
            )
        }
        self.keyed = keys.mapValues { HMAC<SHA256>(key: $0) }
    }

    /// Hex HMAC-SHA256 of a normalised email address (see `EmailAddress.normalize`).
    public func emailHash(normalizedEmail: String) -> String {
        hash(normalizedEmail, for: .email)
    }

    /// Hex HMAC-SHA256 of a client IP address in its textual form.
    public func ipHash(_ address: String) -> String {
        hash(address, for: .ip)
    }

    /// A 16-hex-character identicon seed: stable per commenter, derived from the email hash under
    /// its own key, so it reveals neither the address nor the email hash.
    public func avatar(emailHash: String) -> String {
        String(hash(emailHash, for: .avatar).prefix(16))
    }

    /// A 64-bit key for a client in in-memory tables (the rate limiter): the first bytes of the IP's keyed hash.
    public func clientKey(ip address: String) -> UInt64 {
        return mac(Array(address.utf8), for: .ip).prefix(8).reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// A short tag that proves a pagination cursor was issued by this install for this post.
    public func cursorTag(post: String, id: Int64) -> String {
        String(hash("\(post)\n\(id)", for: .cursor).prefix(16))
    }

    /// The full HMAC-SHA256 that signs a one-click moderation link's payload (see `ActionLink`).
    public func actionLinkTag(_ payload: [UInt8]) -> [UInt8] {
        Array(mac(payload, for: .actionLink))
    }

    private func hash(_ text: String, for purpose: Purpose) -> String {
        mac(Array(text.utf8), for: purpose).hexString
    }

    private func mac(_ bytes: [UInt8], for purpose: Purpose) -> HashedAuthenticationCode<SHA256> {
        var hmac = keyed[purpose]!
        hmac.update(data: bytes)
        return hmac.finalize()
    }
}

public enum KeyringError: Error, Equatable, CustomStringConvertible {
    case secretTooShort(Int)

    public var description: String {
        switch self {
        case .secretTooShort(let count):
            return "the secret must be at least 32 bytes, this one has \(count)"
        }
    }
}

extension Sequence<UInt8> {
    /// Lower-case hexadecimal, two characters per byte.
    public var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in self {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
