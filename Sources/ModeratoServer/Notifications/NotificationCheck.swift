import Foundation
import ModeratoCore

/// `moderato notify test`: one made-up notification through each configured channel, right now,
/// without the outbox, and whether each was delivered.
public enum NotificationCheck {
    public struct Outcome: Sendable {
        public var channel: NotificationChannel
        public var delivered: Bool
        /// `HTTP 204`, `sendmail exit 0`, or what went wrong.
        public var detail: String
    }

    /// Sends to every configured channel (none configured: an empty list). The webhook secret is
    /// created if it does not exist yet, as the server would on its first start.
    public static func sendTestNotifications(configuration: ModeratoConfiguration, keyring: Keyring) async throws -> [Outcome] {
        let notify = configuration.notify
        let content = NotificationComposer(configuration: configuration, keyring: keyring).testContent(now: Date())
        var outcomes: [Outcome] = []
        if !notify.webhookURL.isEmpty {
            let secret = try WebhookSecretFile.loadOrCreate(path: notify.webhookSecretFile)
            let client = WebhookSender.makeClient()
            let sender = WebhookSender(
                url: notify.webhookURL, secret: secret, format: notify.webhookFormat, siteName: configuration.site.name,
                texts: NotificationTexts(configuration: configuration), client: client)
            let messageID = "msg_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
            outcomes.append(Outcome(.webhook, await sender.send(content, messageID: messageID, now: Date())))
            try? await client.shutdown()
        }
        if !notify.emailTo.isEmpty {
            // The operator is at the terminal: the MTA's own complaints help, so they are shown.
            let mail = MailChannel(configuration: configuration, showsErrorOutput: true)
            let messageID = "test.\(UUID().uuidString.lowercased())"
            outcomes.append(Outcome(.email, await mail.sender.send(mail.message(for: content, messageID: messageID, now: Date()))))
        }
        return outcomes
    }
}

extension NotificationCheck.Outcome {
    init(_ channel: NotificationChannel, _ attempt: DeliveryAttempt) {
        self.channel = channel
        switch attempt {
        case .delivered(let detail):
            delivered = true
            self.detail = detail
        case .failed(let reason):
            delivered = false
            detail = reason
        }
    }
}
