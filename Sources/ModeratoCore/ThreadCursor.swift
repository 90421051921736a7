import Foundation

/// The opaque `next` cursor of a thread listing: the last id shown, bound to its post by a keyed
/// tag, so a cursor from another post or a hand-made one is refused instead of silently misread.
public struct ThreadCursor: Sendable, Equatable {
    /// Comments after this id come next (keyset pagination: no OFFSET scans).
    public var afterID: Int64

    public init(afterID: Int64) {
        self.afterID = afterID
    }

    /// The cursor as the API shows it: URL-safe, no padding.
    public func encoded(post: String, keyring: Keyring) -> String {
        Base64URL.encode(Array("\(afterID).\(keyring.cursorTag(post: post, id: afterID))".utf8))
    }

    /// The cursor, when `text` was issued for `post` by this install; `nil` otherwise.
    public init?(_ text: String, post: String, keyring: Keyring) {
        guard text.utf8.count <= 64, let bytes = Base64URL.decode(text),
            let plain = String(validating: bytes, as: UTF8.self)
        else { return nil }
        let parts = plain.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].allSatisfy(\.isASCIIDigit), let id = Int64(parts[0]), id > 0,
            parts[1] == keyring.cursorTag(post: post, id: id)
        else { return nil }
        afterID = id
    }
}

/// Base64 with the URL-safe alphabet and no padding (RFC 4648 §5), on top of Foundation's codec.
enum Base64URL {
    static func encode(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func decode(_ text: String) -> [UInt8]? {
        guard !text.contains("+"), !text.contains("/"), !text.contains("=") else { return nil }
        var standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        standard += String(repeating: "=", count: (4 - standard.utf8.count % 4) % 4)
        return Data(base64Encoded: standard).map { Array($0) }
    }
}
