import Foundation
import ModeratoCore

/// Every word a notification says to the moderator, in mail and in chat (`format: slack`), in one
/// place: English for now, ready to move into a per-language message catalogue.
enum NotificationTexts {
    static let testCommentBody =
        "This is a test notification from Moderato. If you can read it, notifications reach you.\nIts links do not point at a real comment."

    // MARK: Mail

    /// The subject of a mail about one comment.
    static func subject(_ content: NotificationContent, siteName: String) -> String {
        if content.isTest { return "[\(siteName)] Test notification" }
        let what =
            switch content.status {
            case .pending: "Comment awaiting moderation"
            case .approved: "New comment published"
            case .spam: "Comment stored as spam"
            case .trash: "Comment moved to the trash"
            }
        return "[\(siteName)] \(what): \(content.comment.author) on \(content.comment.post)"
    }

    /// The subject of a digest.
    static func digestSubject(count: Int, siteName: String) -> String {
        "[\(siteName)] \(count) new comment\(count == 1 ? "" : "s") to look at"
    }

    /// The body of a mail about one comment.
    static func body(_ content: NotificationContent, publicURL: String) -> String {
        headline(content) + "\n\n" + block(content) + "\n" + footer(publicURL: publicURL)
    }

    /// The body of a digest: every comment, one block each.
    static func digestBody(_ contents: [NotificationContent], publicURL: String) -> String {
        var text = "\(contents.count) new comment\(contents.count == 1 ? "" : "s") since the last mail:\n"
        for content in contents {
            text += "\n" + String(repeating: "-", count: 60) + "\n" + headline(content) + "\n\n" + block(content)
        }
        return text + "\n" + footer(publicURL: publicURL)
    }

    private static func headline(_ content: NotificationContent) -> String {
        if content.isTest { return "This is a test of Moderato's notifications." }
        return switch content.status {
        case .pending: "A new comment is awaiting your moderation."
        case .approved: "A new comment was published."
        case .spam: "A new comment was stored as spam."
        case .trash: "A new comment was moved to the trash."
        }
    }

    /// Post, author, website, time, the text as written, and the three links.
    private static func block(_ content: NotificationContent) -> String {
        let comment = content.comment
        var lines = [
            "Post:     \(content.postURL)",
            "Author:   \(comment.author)",
            "Website:  \(comment.url ?? "(none)")",
            "Posted:   \(readable(comment.createdAt))",
            "Comment \(comment.id):",
            "",
        ]
        lines += comment.body.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }
        lines.append("")
        for (action, url) in content.actions {
            let name = label(action)
            lines.append(name + String(repeating: " ", count: max(1, 10 - name.count)) + url)
        }
        lines.append("")
        lines.append(
            "Each link shows the comment and asks you to confirm. It works once, while the comment is still \(content.status.rawValue), until \(readable(content.linksExpireAt))."
        )
        return lines.joined(separator: "\n") + "\n"
    }

    private static func footer(publicURL: String) -> String {
        "-- \nModerato at \(publicURL)\n"
    }

    private static func label(_ action: ModerationAction) -> String {
        switch action {
        case .approve: "Approve:"
        case .hold: "Hold:"
        case .spam: "Spam:"
        case .trash: "Trash:"
        }
    }

    /// `2026-12-02 10:00 UTC`.
    static func readable(_ date: Date) -> String {
        let time = UTCTimestamp(date)
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(time.year)-\(two(time.month))-\(two(time.day)) \(two(time.hour)):\(two(time.minute)) UTC"
    }

    // MARK: Chat (Slack, Mattermost)

    /// The `text` of a chat message: plain URLs on their own lines, which every chat links.
    static func chat(_ content: NotificationContent, siteName: String) -> String {
        let comment = content.comment
        let excerpt = comment.body.count > 500 ? String(comment.body.prefix(500)) + "…" : comment.body
        var lines = [
            "*\(escapeChat(subject(content, siteName: siteName)))*",
            "\(escapeChat(comment.author))\(comment.url.map { " (\(escapeChat($0)))" } ?? "") on \(content.postURL)",
        ]
        lines += excerpt.split(separator: "\n", omittingEmptySubsequences: false).map { "> " + escapeChat(String($0)) }
        for (action, url) in content.actions {
            lines.append("\(label(action)) \(url)")
        }
        lines.append("(Each link asks you to confirm, works once, and expires \(readable(content.linksExpireAt)).)")
        return lines.joined(separator: "\n")
    }

    /// Slack's three control characters, escaped as it asks; everything else is shown as written.
    private static func escapeChat(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }
}
