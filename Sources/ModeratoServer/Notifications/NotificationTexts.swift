import Foundation
import ModeratoCore

/// Every word a notification says to the moderator, in mail and in chat (`format: slack`), in the
/// site's language (the catalogues' `mail.*` keys; dates in `site.timezone`).
struct NotificationTexts: Sendable {
    let localizer: Localizer

    init(_ localizer: Localizer) {
        self.localizer = localizer
    }

    /// The site's language, for the notifications of this configuration.
    init(configuration: ModeratoConfiguration) {
        self.init(Localization(configuration: configuration).localizer())
    }

    var testCommentBody: String { localizer(Message("mail.test_comment")) }

    // MARK: Mail

    /// The subject of a mail about one comment.
    func subject(_ content: NotificationContent, siteName: String) -> String {
        if content.isTest { return localizer(Message("mail.subject.test", ["site": siteName])) }
        let values = ["site": siteName, "author": content.comment.author, "post": content.comment.post]
        return switch content.status {
        case .pending: localizer(Message("mail.subject.pending", values))
        case .approved: localizer(Message("mail.subject.approved", values))
        case .spam: localizer(Message("mail.subject.spam", values))
        case .trash: localizer(Message("mail.subject.trash", values))
        }
    }

    /// The subject of a digest.
    func digestSubject(count: Int, siteName: String) -> String {
        localizer(Message("mail.subject.digest", ["site": siteName, "count": String(count)]))
    }

    /// The body of a mail about one comment.
    func body(_ content: NotificationContent, publicURL: String) -> String {
        headline(content) + "\n\n" + block(content) + "\n" + footer(publicURL: publicURL)
    }

    /// The body of a digest: every comment, one block each.
    func digestBody(_ contents: [NotificationContent], publicURL: String) -> String {
        var text = localizer(Message("mail.digest_intro", ["count": String(contents.count)])) + "\n"
        for content in contents {
            text += "\n" + String(repeating: "-", count: 60) + "\n" + headline(content) + "\n\n" + block(content)
        }
        return text + "\n" + footer(publicURL: publicURL)
    }

    private func headline(_ content: NotificationContent) -> String {
        if content.isTest { return localizer(Message("mail.headline.test")) }
        return switch content.status {
        case .pending: localizer(Message("mail.headline.pending"))
        case .approved: localizer(Message("mail.headline.approved"))
        case .spam: localizer(Message("mail.headline.spam"))
        case .trash: localizer(Message("mail.headline.trash"))
        }
    }

    /// Post, author, website, time, the text as written, and the three links.
    private func block(_ content: NotificationContent) -> String {
        let comment = content.comment
        let labels = [
            localizer(Message("mail.label.post")), localizer(Message("mail.label.author")), localizer(Message("mail.label.website")),
            localizer(Message("mail.label.posted")),
        ]
        let width = labels.map { TerminalCells.width(of: $0) }.max() ?? 0
        func line(_ label: String, _ value: String) -> String { TerminalCells.pad(label, to: width + 2) + value }
        var lines = [
            line(labels[0], content.postURL),
            line(labels[1], comment.author),
            line(labels[2], comment.url ?? localizer(Message("mail.none"))),
            line(labels[3], localizer.dateTime(comment.createdAt)),
            localizer(Message("mail.label.comment", ["id": String(comment.id)])),
            "",
        ]
        lines += comment.body.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }
        lines.append("")
        let actions = content.actions.map { (label(for: $0.0), $0.1) }
        let actionWidth = actions.map { TerminalCells.width(of: $0.0) }.max() ?? 0
        for (name, url) in actions {
            lines.append(TerminalCells.pad(name, to: actionWidth + 2) + url)
        }
        lines.append("")
        lines.append(
            localizer(
                Message(
                    "mail.links_note",
                    [
                        "status": localizer(CommentStatusWords.message(content.status)),
                        "until": localizer.dateTime(content.linksExpireAt),
                    ])))
        return lines.joined(separator: "\n") + "\n"
    }

    private func footer(publicURL: String) -> String {
        "-- \n" + localizer(Message("mail.footer", ["url": publicURL])) + "\n"
    }

    private func label(for action: ModerationAction) -> String {
        switch action {
        case .approve: localizer(Message("mail.action.approve"))
        case .hold: localizer(Message("mail.action.hold"))
        case .spam: localizer(Message("mail.action.spam"))
        case .trash: localizer(Message("mail.action.trash"))
        }
    }

    // MARK: Chat (Slack, Mattermost)

    /// The `text` of a chat message: plain URLs on their own lines, which every chat links.
    func chat(_ content: NotificationContent, siteName: String) -> String {
        let comment = content.comment
        let excerpt = comment.body.count > 500 ? String(comment.body.prefix(500)) + "…" : comment.body
        var lines = [
            "*\(escapeChat(subject(content, siteName: siteName)))*",
            escapeChat(
                localizer(
                    Message(
                        "mail.chat_byline",
                        ["author": comment.author + (comment.url.map { " (\($0))" } ?? ""), "url": content.postURL]))),
        ]
        lines += excerpt.split(separator: "\n", omittingEmptySubsequences: false).map { "> " + escapeChat(String($0)) }
        for (action, url) in content.actions {
            lines.append("\(label(for: action)) \(url)")
        }
        lines.append(localizer(Message("mail.chat_note", ["until": localizer.dateTime(content.linksExpireAt)])))
        return lines.joined(separator: "\n")
    }

    /// Slack's three control characters, escaped as it asks; everything else is shown as written.
    private func escapeChat(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }
}
