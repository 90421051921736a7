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

    /// An HMAC already keyed for each purpose, in the order of `Purpose.allCases`: copying one is
    /// cheaper than keying a new one for every hash (the key schedule was a third of an import's
    /// CPU), and an array index cheaper than the dictionary it once was (a moderation page hashes
    /// fifty avatars).
    private let keyed: [HMAC<SHA256>]

    /// The secret must be at least 32 bytes (the secret file holds exactly 32 random bytes).
    public init(secret: [UInt8]) throws(KeyringError) {
        guard secret.count >= 32 else { throw .secretTooShort(secret.count) }
        let master = SymmetricKey(data: secret)
        self.keyed = Purpose.allCases.map { purpose in
            HMAC<SHA256>(
                key: HKDF<SHA256>.deriveKey(inputKeyMaterial: master, info: Array(purpose.rawValue.utf8), outputByteCount: 32))
        }
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
        return mac(address, for: .ip).prefix(8).reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// A short tag that proves a pagination cursor was issued by this install for this post.
    public func cursorTag(post: String, id: Int64) -> String {
        String(hash("\(post)\n\(id)", for: .cursor).prefix(16))
    }

    /// The full HMAC-SHA256 that signs a one-click moderation link's payload (see `ActionLink`).
    public func actionLinkTag(_ payload: [UInt8]) -> [UInt8] {
        var hmac = keyed(for: .actionLink)
        hmac.update(data: payload)
        return Array(hmac.finalize())
    }

    private func hash(_ text: String, for purpose: Purpose) -> String {
        mac(text, for: purpose).hexString
    }

    private func mac(_ text: String, for purpose: Purpose) -> HashedAuthenticationCode<SHA256> {
        var hmac = keyed(for: purpose)
        var text = text
        text.withUTF8 { hmac.update(data: UnsafeRawBufferPointer($0)) }
        return hmac.finalize()
    }

    private func keyed(for purpose: Purpose) -> HMAC<SHA256> {
        switch purpose {
        case .email: keyed[0]
        case .ip: keyed[1]
        case .avatar: keyed[2]
        case .cursor: keyed[3]
        case .actionLink: keyed[4]
        }
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
        let digits: StaticString = "0123456789abcdef"
        var out: [UInt8] = []
        out.reserveCapacity(underestimatedCount * 2)
        digits.withUTF8Buffer { digits in
            for byte in self {
                out.append(digits[Int(byte >> 4)])
                out.append(digits[Int(byte & 0x0F)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
