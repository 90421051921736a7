import Foundation

/// A thread key — the page path (`/2025/11/peace-talks/`) or a WordPress post id (`42`) — in the
/// one spelling Moderato stores, caches and compares.
///
/// Unicode lets one text be written several ways: `é` precomposed (U+00E9) or as `e` + U+0301, `K`
/// or the Kelvin sign U+212A. Swift's `String ==` treats such spellings as equal, SQLite compares
/// bytes, and a server that mixes the two can hold two posts under one key (see issue 12: a
/// crash on start and a poisoned cache). So every key is normalised to NFC where it enters — a
/// submission, a query, a CLI argument, an import — and after that the bytes *are* the identity:
/// both spellings are one post in the database, the cache, the versions, cursors and redirects.
public struct PostKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The key in NFC; compare and store these bytes.
    public let text: String

    /// The longest key accepted, in UTF-8 bytes (after normalisation).
    public static let maxBytes = 512

    /// Trims surrounding whitespace, normalises to NFC and checks the rule: 1–512 bytes, no control
    /// characters, a path starting with `/` or a number.
    public init(_ raw: String) throws(PostKeyError) {
        let trimmed = raw.trimmingWhitespace()
        guard !trimmed.isEmpty else { throw .empty }
        // ASCII text is its own NFC; only other text pays for Foundation's normalisation.
        let normalized = trimmed.utf8.allSatisfy { $0 < 0x80 } ? trimmed : trimmed.precomposedStringWithCanonicalMapping
        guard normalized.utf8.count <= Self.maxBytes else { throw .tooLong }
        // The first byte, not the first Character: `/` followed by a combining mark is one
        // grapheme that is not equal to "/", yet the key does start with a slash.
        guard !normalized.containsControlCharacters,
            normalized.utf8.first == UInt8(ascii: "/") || normalized.utf8.allSatisfy(\.isASCIIDigit)
        else { throw .notAPathOrNumber }
        text = normalized
    }

    /// `nil` when `raw` breaks the rule.
    public init?(validating raw: String) {
        guard let key = try? PostKey(raw) else { return nil }
        self = key
    }

    /// A key the store already holds (written through this type, so already normalised).
    public init(stored text: String) {
        self.text = text
    }

    /// Whether the key is a WordPress post id rather than a path.
    public var isNumeric: Bool { text.utf8.first != UInt8(ascii: "/") }

    public var description: String { text }

    public static func < (lhs: PostKey, rhs: PostKey) -> Bool {
        // By bytes, as the database orders them.
        lhs.text.utf8.lexicographicallyPrecedes(rhs.text.utf8)
    }

    // Equality and hashing by bytes. For NFC text this is the same as Swift's canonical
    // equivalence, but it states what the store relies on.
    public static func == (lhs: PostKey, rhs: PostKey) -> Bool {
        lhs.text.utf8.elementsEqual(rhs.text.utf8)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(text.utf8.count)
        for byte in text.utf8 { hasher.combine(byte) }
    }
}

extension PostKey: ExpressibleByStringLiteral {
    /// For keys written in code and tests; a literal that breaks the rule is a programming error.
    public init(stringLiteral value: String) {
        do {
            try self.init(value)
        } catch {
            preconditionFailure("\"\(value)\" is not a post key: \(error)")
        }
    }
}

/// Why a text is not a post key.
public enum PostKeyError: Error, Sendable, Equatable, CustomStringConvertible {
    case empty
    case tooLong
    case notAPathOrNumber

    /// What the person who sent it is told.
    public var message: Message {
        switch self {
        case .empty: Message("field.post.empty")
        case .tooLong: Message("field.post.too_long", ["limit": String(PostKey.maxBytes)])
        case .notAPathOrNumber: Message("field.post.not_a_path_or_number")
        }
    }

    public var description: String {
        switch self {
        case .empty: "the key is empty"
        case .tooLong: "the key is longer than \(PostKey.maxBytes) bytes"
        case .notAPathOrNumber: "the key is neither a path starting with / nor a number"
        }
    }
}
