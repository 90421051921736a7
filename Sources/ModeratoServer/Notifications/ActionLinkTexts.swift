import ModeratoCore

/// Every word the one-click link pages say, in one place: English for now, ready to move into a
/// per-language message catalogue.
enum ActionLinkTexts {
    static func question(_ action: ModerationAction) -> String {
        switch action {
        case .approve: "Approve this comment?"
        case .hold: "Put this comment back in the queue?"
        case .spam: "Mark this comment as spam?"
        case .trash: "Move this comment to the trash?"
        }
    }

    static func button(_ action: ModerationAction) -> String {
        switch action {
        case .approve: "Approve"
        case .hold: "Hold"
        case .spam: "Mark as spam"
        case .trash: "Move to the trash"
        }
    }

    static func done(_ action: ModerationAction) -> String {
        switch action {
        case .approve: "Comment approved"
        case .hold: "Comment put back in the queue"
        case .spam: "Comment marked as spam"
        case .trash: "Comment moved to the trash"
        }
    }

    static func doneDetail(_ action: ModerationAction) -> String {
        switch action {
        case .approve: "It is published now."
        case .hold: "It waits for moderation again."
        case .spam: "It stays hidden, and counts as spam."
        case .trash: "It stays hidden; moderato comments approve brings it back."
        }
    }

    static let onPost = "On"
    static let by = "by"
    static let website = "website"
    static let itIsNow = "It is now"
    static let nothingChangesUntil = "Nothing changes until you press the button. The link works once."
    static let viewPost = "View the post"

    static let malformedTitle = "No such link"
    static let malformed = "This address is not a moderation link. Open the whole link from the notification."
    static let forgedTitle = "This link is not valid"
    static let forged = "It was not made by this Moderato, or it has been changed. Nothing was done."
    static let expiredTitle = "This link has expired"
    static func expired(on date: String) -> String {
        "It stopped working on \(date). Nothing was done; moderate the comment with moderato comments instead."
    }
    static let usedTitle = "This link has been used"
    static let used = "Each link works once, and this one already has. Nothing more was done."
    static let goneTitle = "The comment no longer exists"
    static let gone = "It was deleted after the notification was sent. Nothing was done."
    static let changedTitle = "The comment was moderated since"
    static func changed(now: CommentStatus, then: CommentStatus) -> String {
        "It is \(now.rawValue) now, and this link was made while it was \(then.rawValue). Nothing was done."
    }
}
