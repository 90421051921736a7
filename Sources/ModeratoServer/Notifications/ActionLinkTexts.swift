import ModeratoCore

/// Every word the one-click link pages say, worded in the reader's language (the catalogues'
/// `link.*` keys).
struct ActionLinkTexts {
    let localizer: Localizer

    init(_ localizer: Localizer) {
        self.localizer = localizer
    }

    func question(_ action: ModerationAction) -> String {
        switch action {
        case .approve: localizer(Message("link.question.approve"))
        case .hold: localizer(Message("link.question.hold"))
        case .spam: localizer(Message("link.question.spam"))
        case .trash: localizer(Message("link.question.trash"))
        }
    }

    func button(_ action: ModerationAction) -> String {
        switch action {
        case .approve: localizer(Message("link.button.approve"))
        case .hold: localizer(Message("link.button.hold"))
        case .spam: localizer(Message("link.button.spam"))
        case .trash: localizer(Message("link.button.trash"))
        }
    }

    func done(_ action: ModerationAction) -> String {
        switch action {
        case .approve: localizer(Message("link.done.approve"))
        case .hold: localizer(Message("link.done.hold"))
        case .spam: localizer(Message("link.done.spam"))
        case .trash: localizer(Message("link.done.trash"))
        }
    }

    func doneDetail(_ action: ModerationAction) -> String {
        switch action {
        case .approve: localizer(Message("link.done_detail.approve"))
        case .hold: localizer(Message("link.done_detail.hold"))
        case .spam: localizer(Message("link.done_detail.spam"))
        case .trash: localizer(Message("link.done_detail.trash"))
        }
    }

    /// "On /post/ by Hanako (website), 2 Dec 2026 10:00. It is now pending." as HTML, the post and
    /// author linked or emphasised.
    func meta(post: String, postURL: String, author: String, website: String?, createdAt: String, status: CommentStatus) -> String {
        let escape = CommentRenderer.escape
        // noreferrer: the page's address holds the token, and the blog need not see it.
        let postLink = "<a href=\"\(escape(postURL))\" rel=\"noreferrer\">\(escape(post))</a>"
        let websiteLink =
            website.map {
                " (<a href=\"\(escape($0))\" rel=\"nofollow ugc noreferrer\">\(localizer.html(Message("link.website")))</a>)"
            } ?? ""
        return localizer.html(
            Message("link.meta", ["date": createdAt]),
            markup: [
                "post": postLink, "author": "<strong>\(escape(author))</strong>", "website": websiteLink,
                "status": "<strong>\(localizer.html(CommentStatusWords.message(status)))</strong>",
            ])
    }

    var nothingChangesUntil: String { localizer(Message("link.nothing_changes")) }
    var malformedTitle: String { localizer(Message("link.malformed.title")) }
    var malformed: String { localizer(Message("link.malformed.detail")) }
    var forgedTitle: String { localizer(Message("link.forged.title")) }
    var forged: String { localizer(Message("link.forged.detail")) }
    var expiredTitle: String { localizer(Message("link.expired.title")) }
    func expired(on date: String) -> String { localizer(Message("link.expired.detail", ["date": date])) }
    var usedTitle: String { localizer(Message("link.used.title")) }
    var used: String { localizer(Message("link.used.detail")) }
    var goneTitle: String { localizer(Message("link.gone.title")) }
    var gone: String { localizer(Message("link.gone.detail")) }
    var changedTitle: String { localizer(Message("link.changed.title")) }
    func changed(now: CommentStatus, then: CommentStatus) -> String {
        localizer(
            Message(
                "link.changed.detail",
                ["now": localizer(CommentStatusWords.message(now)), "then": localizer(CommentStatusWords.message(then))]))
    }
}

/// A comment's status as people read it (`pending` → "awaiting moderation", 「承認待ち」).
enum CommentStatusWords {
    static func message(_ status: CommentStatus) -> Message {
        switch status {
        case .pending: Message("comment_status.pending")
        case .approved: Message("comment_status.approved")
        case .spam: Message("comment_status.spam")
        case .trash: Message("comment_status.trash")
        }
    }
}
