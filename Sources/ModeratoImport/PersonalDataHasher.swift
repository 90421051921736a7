import ModeratoCore

/// Turns an email or IP address from an export into the install's keyed hash, so that the plain
/// value never leaves a reader.
///
/// Each closure gets the raw text from the file and returns the hash, or `nil` when there is
/// nothing to hash (an empty field): such a comment is imported without one.
public struct PersonalDataHasher: Sendable {
    public var email: @Sendable (String) -> String?
    public var ip: @Sendable (String) -> String?

    public init(email: @escaping @Sendable (String) -> String?, ip: @escaping @Sendable (String) -> String?) {
        self.email = email
        self.ip = ip
    }

    /// Hashes exactly as a live submission does: the email trimmed and lower-cased
    /// (`EmailAddress.normalize`), the IP as the abuse rules count a client
    /// (`IPNetwork.clientIdentity`: an IPv6 address by its network), both with the install's
    /// `Keyring`.
    public init(keyring: Keyring, ipv6Prefix: Int) {
        self.init(
            email: { raw in
                let normalized = EmailAddress.normalize(raw)
                return normalized.isEmpty ? nil : keyring.emailHash(normalizedEmail: normalized)
            },
            ip: { raw in
                IPNetwork.clientIdentity(of: raw.trimmingWhitespace(), ipv6Prefix: ipv6Prefix).map(keyring.ipHash)
            }
        )
    }
}
