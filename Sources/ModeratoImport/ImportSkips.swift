/// Why a comment in the source was not handed out.
public enum SkipReason: String, Sendable, Hashable, CaseIterable, Codable, CustomStringConvertible {
    /// A WordPress pingback: a notice from another blog, not something a reader wrote.
    case pingback
    /// A WordPress trackback, likewise.
    case trackback
    /// A WordPress comment of another type (a WooCommerce order note, a webhook log …): not a
    /// public comment, and often private.
    case otherType = "other_type"
    /// A Disqus comment whose thread is missing from the export, or has no link.
    case missingThread = "missing_thread"
    /// The post's key cannot be a Moderato post key (no link, not a path or number, too long).
    case invalidPostKey = "invalid_post_key"
    /// A deleted comment whose text is gone (Isso and Disqus keep such placeholders for replies).
    case deletedWithoutText = "deleted_without_text"
    /// A comment that is not deleted but has no text once its HTML is read (an image alone, say).
    case emptyText = "empty_text"

    public var description: String {
        switch self {
        case .pingback: return "pingback"
        case .trackback: return "trackback"
        case .otherType: return "other comment type"
        case .missingThread: return "thread missing or without a link"
        case .invalidPostKey: return "post without a usable key"
        case .deletedWithoutText: return "deleted, text gone"
        case .emptyText: return "no text"
        }
    }
}

/// How many source comments were skipped, by reason.
public struct ImportSkips: Sendable, Hashable, CustomStringConvertible {
    public private(set) var counts: [SkipReason: Int] = [:]

    public init() {}

    public subscript(reason: SkipReason) -> Int { counts[reason, default: 0] }

    public var total: Int { counts.values.reduce(0, +) }

    mutating func count(_ reason: SkipReason) {
        counts[reason, default: 0] += 1
    }

    /// `"pingback: 2, trackback: 1"`, in the order of `SkipReason`, or `"none"`.
    public var description: String {
        let parts = SkipReason.allCases.compactMap { reason in
            self[reason] > 0 ? "\(reason): \(self[reason])" : nil
        }
        return parts.isEmpty ? "none" : parts.joined(separator: ", ")
    }
}
