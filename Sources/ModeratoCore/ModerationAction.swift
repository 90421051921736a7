/// What a moderator does to a comment, as WP-CLI names it: the one mapping from a verb (CLI
/// command, API path, audit log entry) to the status it leads to.
public enum ModerationAction: String, Sendable, CaseIterable, Codable {
    case approve
    case hold
    case spam
    case trash

    /// The status the comment has afterwards.
    public var targetStatus: CommentStatus {
        switch self {
        case .approve: .approved
        case .hold: .pending
        case .spam: .spam
        case .trash: .trash
        }
    }

    /// The reason a comment carries once a person took this action: a hold or spam is the
    /// moderator's own judgement (`moderator`, with who); approve and trash keep the reason it had,
    /// so an approved comment still says why it had been held.
    public func reason(after current: ModerationReason?, actor: String) -> ModerationReason? {
        switch self {
        case .hold, .spam: .moderator(actor)
        case .approve, .trash: current
        }
    }

    /// The action that puts a comment back in `status` (an undo).
    public static func leading(to status: CommentStatus) -> ModerationAction {
        switch status {
        case .approved: .approve
        case .pending: .hold
        case .spam: .spam
        case .trash: .trash
        }
    }
}
