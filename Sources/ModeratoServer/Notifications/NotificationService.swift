import AsyncHTTPClient
import Foundation
import Logging
import ModeratoCore
import ModeratoStore
import ServiceLifecycle

/// Delivers the notification outbox (issue 15), next to the server's other services: one loop per
/// configured channel, so a dead webhook never holds up mail. Each loop takes what is due, tries
/// it, and records the outcome; a failed attempt is tried again after about 2 seconds, doubling,
/// at most an hour apart, until `notify.webhook.max_attempts`. Everything it knows is in the
/// database, so a restart resumes where the last run stopped (a delivery that was in flight when
/// the process died is due again once its lease ends). Submissions never wait for any of it.
final class NotificationService: Service {
    struct Timing: Sendable {
        /// How often the outbox is looked at when nothing is due (it also finds what the CLI or
        /// another server wrote).
        var poll: Duration = .seconds(1)
        var retry: RetrySchedule
        /// How long a taken delivery is kept from others, beyond the longest its batch may take.
        var leaseMargin: TimeInterval = 30
        /// Finished deliveries are kept this long for `moderato notify status`.
        var keepFinished: TimeInterval = 30 * 86400
    }

    private let store: any NotificationOutbox
    private let composer: NotificationComposer
    private let webhook: (url: String, secret: WebhookSecret, format: ModeratoConfiguration.Notify.WebhookFormat)?
    private let mail: MailChannel?
    private let siteName: String
    private let texts: NotificationTexts
    private let metrics: ServerMetrics
    private let logger: Logger
    private let clock: @Sendable () -> Date
    private let timing: Timing

    init(
        configuration: ModeratoConfiguration, webhookSecret: WebhookSecret?, keyring: Keyring, store: any NotificationOutbox,
        metrics: ServerMetrics, logger: Logger, clock: @escaping @Sendable () -> Date, timing: Timing? = nil
    ) {
        let notify = configuration.notify
        self.store = store
        composer = NotificationComposer(configuration: configuration, keyring: keyring)
        if let webhookSecret, !notify.webhookURL.isEmpty {
            webhook = (notify.webhookURL, webhookSecret, notify.webhookFormat)
        } else {
            webhook = nil
        }
        mail = notify.emailTo.isEmpty ? nil : MailChannel(configuration: configuration)
        siteName = configuration.site.name
        texts = NotificationTexts(configuration: configuration)
        self.metrics = metrics
        self.logger = logger
        self.clock = clock
        self.timing = timing ?? Timing(retry: RetrySchedule(maxAttempts: notify.maxAttempts))
    }

    func run() async throws {
        guard webhook != nil || mail != nil else {
            // Nothing configured: nothing is written to the outbox either.
            try? await gracefulShutdown()
            return
        }
        let client = WebhookSender.makeClient()
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                if let webhook = self.webhook {
                    let sender = WebhookSender(
                        url: webhook.url, secret: webhook.secret, format: webhook.format, siteName: self.siteName,
                        texts: self.texts, client: client)
                    group.addTask { await ReachabilityProbe.warnIfUnreachable(webhook.url, logger: self.logger) }
                    group.addTask { await self.deliverWebhooks(with: sender) }
                }
                if let mail = self.mail {
                    group.addTask { await self.deliverMail(with: mail) }
                }
                group.addTask { await self.prune() }
            }
        }
        try? await client.shutdown()
    }

    // MARK: The loops

    private func deliverWebhooks(with sender: WebhookSender) async {
        // Tried one after another, each within the sender's timeout.
        let limit = 10
        let lease = Double(limit) * Double(sender.timeout.components.seconds + 1) + timing.leaseMargin
        await loop(.webhook, limit: limit, lease: lease) { deliveries in
            for delivery in deliveries {
                guard !Task.isCancelled else {
                    await self.putBack(delivery)
                    continue
                }
                guard let comment = await self.present(delivery) else { continue }
                let content = self.composer.content(of: delivery, comment: comment)
                let attempt = await sender.send(content, messageID: delivery.messageID, now: self.clock())
                await self.settle([delivery], attempt)
            }
        }
    }

    private func deliverMail(with mail: MailChannel) async {
        var lastMail = mail.digestMinutes > 0 ? (try? await store.deliverySummary())?[.email]?.lastDeliveredAt : nil
        // A mail per delivery, or one digest for the whole batch, each within sendmail's timeout.
        let limit = mail.digestMinutes > 0 ? 500 : 5
        let mails = mail.digestMinutes > 0 ? 1 : limit
        let lease = Double(mails) * Double(mail.sender.timeout.components.seconds + 1) + timing.leaseMargin
        await loop(.email, limit: limit, lease: lease) { deliveries in
            if mail.digestMinutes == 0 {
                for delivery in deliveries {
                    guard !Task.isCancelled else {
                        await self.putBack(delivery)
                        continue
                    }
                    guard let comment = await self.present(delivery) else { continue }
                    let content = self.composer.content(of: delivery, comment: comment)
                    let now = self.clock()
                    await self.settle(
                        [delivery], await mail.sender.send(mail.message(for: content, messageID: delivery.messageID, now: now)))
                }
                return
            }
            var present: [(OutboxDelivery, NotificationContent)] = []
            for delivery in deliveries {
                if let comment = await self.present(delivery) {
                    present.append((delivery, self.composer.content(of: delivery, comment: comment)))
                }
            }
            guard !present.isEmpty else { return }
            let now = self.clock()
            let message = mail.digest(of: present.map(\.1), messageIDs: present.map(\.0.messageID), now: now)
            let attempt = await mail.sender.send(message)
            if case .delivered = attempt { lastMail = now }
            await self.settle(present.map(\.0), attempt)
        } holdUntil: {
            // A digest waits until N minutes after the last one.
            guard mail.digestMinutes > 0, let lastMail else { return nil }
            return lastMail.addingTimeInterval(TimeInterval(mail.digestMinutes * 60))
        }
    }

    /// Until shutdown: wait for something due on `channel` (and, for a digest, for its time),
    /// take it, and let `deliver` try it.
    private func loop(
        _ channel: NotificationChannel, limit: Int, lease: TimeInterval, deliver: ([OutboxDelivery]) async -> Void,
        holdUntil: () -> Date? = { nil }
    ) async {
        while !Task.isCancelled {
            do {
                let now = clock()
                if let hold = holdUntil(), hold > now {
                    try await Task.sleep(for: .seconds(min(hold.timeIntervalSince(now), 3600)))
                    continue
                }
                // A read first: the writer (which submissions queue for) is only taken when something is due.
                let next = try await store.nextDeliveryDue(channel: channel)
                guard let next, next <= now else {
                    // Until the next retry is due, if that comes before the next look.
                    let wait = next.map { min(.seconds($0.timeIntervalSince(now)), timing.poll) } ?? timing.poll
                    try await Task.sleep(for: wait)
                    continue
                }
                let due = try await store.claimDeliveries(channel: channel, now: now, lease: lease, limit: limit)
                if !due.isEmpty { await deliver(due) }
            } catch is CancellationError {
                return
            } catch {
                logger.warning(
                    "the notification outbox cannot be read; trying again shortly",
                    metadata: ["channel": "\(channel.rawValue)", "error": "\(String(describing: type(of: error)))"])
                try? await Task.sleep(for: timing.poll * 5)
            }
        }
    }

    private func prune() async {
        while !Task.isCancelled {
            let now = clock()
            do {
                let removed = try await store.pruneNotifications(
                    finishedBefore: now.addingTimeInterval(-timing.keepFinished), linksExpiredBefore: now)
                if removed > 0 { logger.debug("old notifications pruned", metadata: ["rows": "\(removed)"]) }
            } catch {
                logger.debug("could not prune old notifications", metadata: ["error": "\(String(describing: type(of: error)))"])
            }
            try? await Task.sleep(for: .seconds(3600))
        }
    }

    // MARK: Outcomes

    /// The delivery's comment, or `nil` (and the delivery given up) when it was deleted meanwhile.
    private func present(_ delivery: OutboxDelivery) async -> Comment? {
        if let comment = delivery.comment { return comment }
        await record(delivery, .failed(at: clock(), reason: "the comment was deleted before it could be sent"), outcome: "dropped")
        return nil
    }

    /// A delivery taken but not tried before shutdown: due again at once, for the next start.
    private func putBack(_ delivery: OutboxDelivery) async {
        await record(delivery, .retry(next: clock(), reason: "not tried before shutdown"), outcome: "interrupted")
    }

    /// Records one attempt for every delivery it carried, with a log line each (ids and reasons,
    /// never the comment or an address).
    private func settle(_ deliveries: [OutboxDelivery], _ attempt: DeliveryAttempt) async {
        let now = clock()
        for delivery in deliveries {
            let metadata: Logger.Metadata = [
                "channel": "\(delivery.channel.rawValue)", "event": "\(delivery.eventID)", "attempt": "\(delivery.attempt)",
            ]
            switch attempt {
            case .delivered(let detail):
                logger.info("notification delivered (\(detail))", metadata: metadata)
                await record(delivery, .delivered(at: now), outcome: "delivered")
            case .failed(let reason) where Task.isCancelled:
                // Shutting down: the next start takes it up at once.
                logger.info("notification attempt interrupted by shutdown; it stays in the outbox", metadata: metadata)
                await record(delivery, .retry(next: now, reason: reason), outcome: "interrupted")
            case .failed(let reason):
                if let delay = timing.retry.delay(afterAttempt: delivery.attempt) {
                    logger.warning(
                        "notification not delivered: \(reason); attempt \(delivery.attempt) of \(timing.retry.maxAttempts), next in \(Int(delay.rounded(.up))) s",
                        metadata: metadata)
                    await record(delivery, .retry(next: now.addingTimeInterval(delay), reason: reason), outcome: "retry")
                } else {
                    logger.error(
                        "notification given up after \(delivery.attempt) attempts: \(reason); see moderato notify status",
                        metadata: metadata)
                    await record(
                        delivery, .failed(at: now, reason: "\(reason) (gave up after \(delivery.attempt) attempts)"), outcome: "failed")
                }
            }
        }
    }

    private func record(_ delivery: OutboxDelivery, _ outcome: DeliveryOutcome, outcome label: String) async {
        metrics.notification(channel: delivery.channel.rawValue, outcome: label)
        let store = self.store
        // Not cancelled with the loop: an attempt interrupted at shutdown must still be written down.
        let written = await Task {
            try await store.settleDelivery(eventID: delivery.eventID, channel: delivery.channel, outcome: outcome)
        }.result
        if case .failure(let error) = written {
            // Its lease ends and it is tried again: delivered twice at worst, never lost.
            logger.warning(
                "could not record a notification's outcome", metadata: ["event": "\(delivery.eventID)", "error": "\(type(of: error))"])
        }
    }
}
