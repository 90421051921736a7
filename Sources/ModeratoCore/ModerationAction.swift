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
}
