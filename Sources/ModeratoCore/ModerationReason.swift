/// Why a comment was held or marked as spam: decided with its status (by `ModerationPolicy`, or by a
/// moderator's hold or spam) and stored with it, so every place a moderator looks can say why.
/// `nil` on a comment means nothing held it, or it was stored before reasons were kept.
public struct ModerationReason: Sendable, Hashable {
    /// The kinds of reason, by their stored and JSON names.
    public enum Code: String, Sendable, CaseIterable, Hashable {
        /// `moderation.mode: first-time` and no approved comment from this email hash yet.
        case firstTime = "first_time"
        /// `moderation.mode: all`.
        case modeAll = "mode_all"
        /// `moderation.max_links` links or more; the detail is the count.
        case links
        /// A `moderation.hold_words` word, as configured, is the detail.
        case holdWord = "hold_word"
        /// A `moderation.block_words` word, as configured, is the detail.
        case blockWord = "block_word"
        /// The honeypot field was filled in.
        case honeypot
        /// The email hash is blocked (`moderato block email`).
        case blockedEmail = "blocked_email"
        /// Brought in by an import, with the status the other system gave it.
        case imported
        /// Set by a person: a moderator's hold or spam; the detail is the moderator (`cli:ana`).
        case moderator
    }

    public var code: Code
    /// What exactly: the number of links, the word, the moderator; `nil` when the code says it all.
    public var detail: String?

    public init(_ code: Code, detail: String? = nil) {
        self.code = code
        self.detail = detail
    }

    public static let firstTime = ModerationReason(.firstTime)
    public static let modeAll = ModerationReason(.modeAll)
    public static let honeypot = ModerationReason(.honeypot)
    public static let blockedEmail = ModerationReason(.blockedEmail)
    public static let imported = ModerationReason(.imported)

    public static func links(_ count: Int) -> ModerationReason { ModerationReason(.links, detail: String(count)) }
    public static func holdWord(_ word: String) -> ModerationReason { ModerationReason(.holdWord, detail: word) }
    public static func blockWord(_ word: String) -> ModerationReason { ModerationReason(.blockWord, detail: word) }
    public static func moderator(_ actor: String) -> ModerationReason { ModerationReason(.moderator, detail: actor) }

    /// Code and detail in a few cells, for tables: `links (3)`, `hold_word (casino)`.
    public var label: String {
        detail.map { "\(code.rawValue) (\($0))" } ?? code.rawValue
    }

    /// One sentence for a person reading the comment.
    public var explanation: String {
        switch code {
        case .firstTime: "first comment from this address (moderation mode first-time)"
        case .modeAll: "every comment is held (moderation mode all)"
        case .links: detail == "1" ? "1 link in the comment" : "\(detail ?? "too many") links in the comment"
        case .holdWord: "contains the hold word “\(detail ?? "?")”"
        case .blockWord: "contains the block word “\(detail ?? "?")”"
        case .honeypot: "the hidden honeypot field was filled in (a bot)"
        case .blockedEmail: "the address is blocked"
        case .imported: "imported with this status"
        case .moderator: detail.map { "set by a moderator (\($0))" } ?? "set by a moderator"
        }
    }
}

/// What `ModerationPolicy` decides for a new comment: its status and, unless it is published, why.
public struct ModerationVerdict: Sendable, Hashable {
    public var status: CommentStatus
    public var reason: ModerationReason?

    public init(status: CommentStatus, reason: ModerationReason?) {
        self.status = status
        self.reason = reason
    }

    public static let approved = ModerationVerdict(status: .approved, reason: nil)
    public static func pending(_ reason: ModerationReason) -> ModerationVerdict { ModerationVerdict(status: .pending, reason: reason) }
    public static func spam(_ reason: ModerationReason) -> ModerationVerdict { ModerationVerdict(status: .spam, reason: reason) }
}
