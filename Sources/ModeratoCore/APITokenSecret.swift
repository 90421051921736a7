import Crypto

/// Moderation API bearer tokens: generated with 256 bits of entropy, shown once, stored only as
/// their SHA-256. A plain hash (not HMAC) is enough: the token is random, so nothing can be guessed
/// from the hash, and it keeps working if the HMAC secret is ever rotated.
public enum APITokenSecret {
    /// A new token: `mod_` and 43 URL-safe characters (32 random bytes).
    public static func generate() -> String {
        let bytes = SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }
        return "mod_" + Base64URL.encode(bytes)
    }

    /// What is stored and compared: hex SHA-256 of the token text.
    public static func hash(_ token: String) -> String {
        SHA256.hash(data: Array(token.utf8)).hexString
    }

    /// Compares two hashes without leaking, through timing, how many leading characters match.
    public static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let left = Array(a.utf8)
        let right = Array(b.utf8)
        guard left.count == right.count else { return false }
        var difference: UInt8 = 0
        for index in left.indices {
            difference |= left[index] ^ right[index]
        }
        return difference == 0
    }
}
