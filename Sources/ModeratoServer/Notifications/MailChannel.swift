import Foundation
import ModeratoCore

/// Notifications by mail: one message per comment, or one digest for several, to `notify.email.to`
/// through the sendmail program.
struct MailChannel: Sendable {
    let sender: SendmailSender
    let from: String
    let to: [String]
    let siteName: String
    let publicURL: String
    /// 0: a mail per comment; N: at most one mail per N minutes.
    let digestMinutes: Int
    /// In the site's language.
    let texts: NotificationTexts

    init(configuration: ModeratoConfiguration, showsErrorOutput: Bool = false) {
        sender = SendmailSender(program: configuration.notify.sendmail, showsErrorOutput: showsErrorOutput)
        from = configuration.notify.emailFrom
        to = configuration.notify.emailTo
        siteName = configuration.site.name
        publicURL = configuration.server.publicURL
        digestMinutes = configuration.notify.digestMinutes
        texts = NotificationTexts(configuration: configuration)
    }

    /// The mail about one comment; `messageID` is the event's, so a retried mail has the same Message-ID.
    func message(for content: NotificationContent, messageID: String, now: Date) -> EmailMessage {
        EmailMessage(
            fromName: siteName, fromAddress: from, to: to, subject: texts.subject(content, siteName: siteName), date: now,
            messageID: "\(messageID)@\(host)", body: texts.body(content, publicURL: publicURL)
        )
    }

    /// One mail listing several comments.
    func digest(of contents: [NotificationContent], messageIDs: [String], now: Date) -> EmailMessage {
        EmailMessage(
            fromName: siteName, fromAddress: from, to: to,
            subject: texts.digestSubject(count: contents.count, siteName: siteName),
            date: now, messageID: "digest.\(messageIDs.first ?? "none").\(messageIDs.count)@\(host)",
            body: texts.digestBody(contents, publicURL: publicURL)
        )
    }

    /// The host of `server.public_url`: the right-hand side of Message-IDs.
    private var host: String {
        WebAddress(publicURL)?.host ?? "moderato.invalid"
    }
}
