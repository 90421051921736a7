import Foundation
import ModeratoCore
import ModeratoStore

/// What one notification tells the moderator, whichever channel carries it: the comment as it
/// is now, what happened to it, where it is, and the one-click links.
struct NotificationContent: Sendable {
    /// `comment.pending`, `comment.approved`, `comment.spam`, or `moderato.test`.
    var type: String
    var comment: Comment
    /// The author's identicon seed (`Keyring.avatar`), as the moderation object shows it.
    var avatar: String
    /// The status the notification reports (the comment's when the event was written).
    var status: CommentStatus
    var eventCreatedAt: Date
    /// The post's page on the blog (`site.url` + post).
    var postURL: String
    /// Approve, spam and trash, in that order, each a `{server.public_url}/moderation/act/{token}`.
    var actions: [(action: ModerationAction, url: String)]
    var linksExpireAt: Date
    var isTest: Bool { type == Self.testType }

    static let testType = "moderato.test"
    /// The actions every notification offers.
    static let offered: [ModerationAction] = [.approve, .spam, .trash]
}

/// Turns outbox deliveries into `NotificationContent`: the one place links are made.
struct NotificationComposer: Sendable {
    let keyring: Keyring
    /// `server.public_url`, without a trailing slash.
    let publicURL: String
    let siteURL: String
    let linkTTL: Int
    let texts: NotificationTexts

    init(configuration: ModeratoConfiguration, keyring: Keyring) {
        self.keyring = keyring
        publicURL = configuration.server.publicURL
        siteURL = configuration.site.url
        linkTTL = configuration.notify.linkTTL
        texts = NotificationTexts(configuration: configuration)
    }

    /// The content of an event, its links valid for `notify.link_ttl` from the event (so every
    /// retry carries the same links).
    func content(eventID: Int64, status: CommentStatus, createdAt: Date, comment: Comment) -> NotificationContent {
        let expiry = createdAt.addingTimeInterval(TimeInterval(linkTTL))
        return NotificationContent(
            type: "comment.\(status.rawValue)", comment: comment, avatar: keyring.avatar(emailHash: comment.emailHash), status: status,
            eventCreatedAt: createdAt,
            postURL: PostPage.url(of: PostKey(stored: comment.post), siteURL: siteURL),
            actions: NotificationContent.offered.map { action in
                let link = ActionLink(commentID: comment.id, action: action, status: status, expiresAt: expiry, eventID: eventID)
                return (action, url(of: link))
            },
            // Tokens carry whole seconds.
            linksExpireAt: Date(timeIntervalSince1970: expiry.timeIntervalSince1970.rounded(.down))
        )
    }

    func content(of delivery: OutboxDelivery, comment: Comment) -> NotificationContent {
        content(eventID: delivery.eventID, status: delivery.status, createdAt: delivery.eventCreatedAt, comment: comment)
    }

    /// What `moderato notify test` sends: a made-up comment (id 0), whose links lead nowhere.
    func testContent(now: Date) -> NotificationContent {
        let comment = Comment(
            id: 0, post: "/moderato-test/", parent: nil, status: .pending, author: "Moderato", url: nil, emailHash: "", ipHash: nil,
            body: texts.testCommentBody, createdAt: now, updatedAt: now, moderatedAt: nil
        )
        var content = self.content(eventID: 0, status: .pending, createdAt: now, comment: comment)
        content.type = NotificationContent.testType
        return content
    }

    func url(of link: ActionLink) -> String {
        "\(publicURL)/moderation/act/\(link.token(keyring: keyring))"
    }
}
