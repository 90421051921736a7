/// How strictly new comments are held: `moderation.mode` in the configuration.
public enum ModerationMode: String, Sendable, CaseIterable {
    /// Hold everything for a moderator.
    case all
    /// Hold unless the email hash already has an approved comment (WordPress's "previously approved").
    case firstTime = "first-time"
    /// Publish unless a rule holds it.
    case none
}

/// What the store knows about a submission's author, gathered in the same transaction as the insert.
public struct AuthorStanding: Sendable, Equatable {
    public var hasApprovedComment: Bool
    public var isBlocked: Bool

    public init(hasApprovedComment: Bool, isBlocked: Bool) {
        self.hasApprovedComment = hasApprovedComment
        self.isBlocked = isBlocked
    }
}

/// Decides the status of a new comment. Pure: the same text and standing always give the same answer.
public struct ModerationPolicy: Sendable, Equatable {
    public var mode: ModerationMode
    /// A body with this many links or more is held; 0 turns the rule off.
    public var maxLinks: Int
    /// Substrings of name, url or body that hold a comment, folded (see `WordFolding`).
    public var holdWords: [String]
    /// Substrings of name, url or body that mark a comment as spam, folded (see `WordFolding`).
    public var blockWords: [String]

    /// Each folded word as the configuration spelled it, so a reason names the word the operator
    /// wrote (`Viagra`), not its folded form (`viagra`).
    private var configuredSpelling: [String: String]

    public init(mode: ModerationMode = .firstTime, maxLinks: Int = 2, holdWords: [String] = [], blockWords: [String] = []) {
        self.mode = mode
        self.maxLinks = maxLinks
        var spelling: [String: String] = [:]
        func folded(_ words: [String]) -> [String] {
            words.compactMap { word in
                let folded = WordFolding.fold(word)
                guard !folded.isEmpty else { return nil }
                if spelling[folded] == nil { spelling[folded] = word }
                return folded
            }
        }
        self.holdWords = folded(holdWords)
        self.blockWords = folded(blockWords)
        self.configuredSpelling = spelling
    }

    /// The status alone (see `verdict`).
    public func decide(_ draft: CommentDraft, standing: AuthorStanding) -> CommentStatus {
        verdict(draft, standing: standing).status
    }

    /// Spam rules first (honeypot, blocked author, block words), then hold rules, then the mode;
    /// the first rule that holds the comment back is its reason.
    public func verdict(_ draft: CommentDraft, standing: AuthorStanding) -> ModerationVerdict {
        if draft.isHoneypotFilled { return .spam(.honeypot) }
        if standing.isBlocked { return .spam(.blockedEmail) }
        if !blockWords.isEmpty || !holdWords.isEmpty {
            // Folded once, only when there are words to look for.
            let text = WordFolding.fold([draft.author, draft.url ?? "", draft.body].joined(separator: "\n"))
            if let word = blockWords.first(where: text.contains) { return .spam(.blockWord(configuredSpelling[word] ?? word)) }
            if let word = holdWords.first(where: text.contains) { return .pending(.holdWord(configuredSpelling[word] ?? word)) }
        }
        if maxLinks > 0 {
            let links = Self.linkCount(in: draft.body)
            if links >= maxLinks { return .pending(.links(links)) }
        }
        switch mode {
        case .all: return .pending(.modeAll)
        case .firstTime: return standing.hasApprovedComment ? .approved : .pending(.firstTime)
        case .none: return .approved
        }
    }

    /// Every `http://` or `https://` in the text, in any case — a little more than the renderer
    /// turns into links (it wants a word boundary and something after the scheme), which errs on
    /// the side of holding. Counted over the UTF-8 bytes: it runs on every submission.
    public static func linkCount(in body: String) -> Int {
        let bytes = Array(body.utf8)
        var count = 0
        var index = 0
        while index + 7 <= bytes.count {
            if bytes[index] | 0x20 == UInt8(ascii: "h"), bytes[index + 1] | 0x20 == UInt8(ascii: "t"),
                bytes[index + 2] | 0x20 == UInt8(ascii: "t"), bytes[index + 3] | 0x20 == UInt8(ascii: "p")
            {
                var next = index + 4
                if next < bytes.count, bytes[next] | 0x20 == UInt8(ascii: "s") { next += 1 }
                if next + 3 <= bytes.count, bytes[next] == UInt8(ascii: ":"), bytes[next + 1] == UInt8(ascii: "/"),
                    bytes[next + 2] == UInt8(ascii: "/")
                {
                    count += 1
                    index = next + 3
                    continue
                }
            }
            index += 1
        }
        return count
    }
}
