import ArgumentParser
import Foundation
import ModeratoCore
import ModeratoServer
import ModeratoStore

/// `moderato notify status | test`: how the moderator's notifications are doing.
struct Notify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check the moderator's notifications (webhook and mail).",
        subcommands: [Status.self, Test.self]
    )

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show pending, delivered and failed deliveries per channel, and those not delivered yet."
        )

        @OptionGroup var options: ConfigOptions
        @OptionGroup var output: TableOrJSON
        @Option(help: "Show at most this many undelivered notifications (1–1000).") var limit: Int = 20

        func validate() throws {
            guard (1...1000).contains(limit) else { throw ValidationError("--limit must be from 1 to 1000.") }
        }

        func run() async throws {
            let context = try await CommandContext.open(options)
            let summary = try await context.store.deliverySummary()
            let open = try await context.store.undeliveredDeliveries(limit: limit)
            let configured = Set(context.configuration.notify.channels)
            if output.isJSON {
                try printJSON(
                    StatusJSON(
                        channels: Dictionary(
                            uniqueKeysWithValues: NotificationChannel.allCases.map {
                                ($0.rawValue, ChannelJSON(configured: configured.contains($0), summary: summary[$0] ?? DeliverySummary()))
                            }),
                        undelivered: open.map(DeliveryJSON.init)
                    ))
                return
            }
            var table = Table("CHANNEL", "CONFIGURED", "PENDING", "DELIVERED", "FAILED", "LAST DELIVERED")
            for channel in NotificationChannel.allCases {
                let counts = summary[channel] ?? DeliverySummary()
                table.add(
                    channel.rawValue, configured.contains(channel) ? "yes" : "no", String(counts.pending), String(counts.delivered),
                    String(counts.failed), counts.lastDeliveredAt.map { "\(age(of: $0)) ago" } ?? "never"
                )
            }
            print(table.render())
            guard !open.isEmpty else { return }
            print("\nNot delivered (newest first):")
            var details = Table("EVENT", "COMMENT", "CHANNEL", "STATE", "ATTEMPTS", "NEXT ATTEMPT", "LAST ERROR")
            for delivery in open {
                details.add(
                    String(delivery.eventID), String(delivery.commentID), delivery.channel.rawValue, delivery.state.rawValue,
                    String(delivery.attempts), delivery.nextAttemptAt.map(Self.when) ?? "-", delivery.lastError ?? "-"
                )
            }
            print(details.render())
        }

        /// "now", "in 8s", "in 3m".
        static func when(_ date: Date) -> String {
            let seconds = Int(date.timeIntervalSinceNow.rounded(.up))
            return seconds <= 0 ? "now" : "in \(age(of: Date(), now: date))"
        }

        struct StatusJSON: Encodable {
            var channels: [String: ChannelJSON]
            var undelivered: [DeliveryJSON]
        }

        struct ChannelJSON: Encodable {
            var configured: Bool
            var pending: Int
            var delivered: Int
            var failed: Int
            var lastDeliveredAt: Date?

            init(configured: Bool, summary: DeliverySummary) {
                self.configured = configured
                pending = summary.pending
                delivered = summary.delivered
                failed = summary.failed
                lastDeliveredAt = summary.lastDeliveredAt
            }

            enum CodingKeys: String, CodingKey {
                case configured, pending, delivered, failed
                case lastDeliveredAt = "last_delivered_at"
            }

            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(configured, forKey: .configured)
                try container.encode(pending, forKey: .pending)
                try container.encode(delivered, forKey: .delivered)
                try container.encode(failed, forKey: .failed)
                try container.encode(lastDeliveredAt, forKey: .lastDeliveredAt)
            }
        }

        struct DeliveryJSON: Encodable {
            var event: Int64
            var comment: Int64
            var channel: String
            var state: String
            var attempts: Int
            var nextAttemptAt: Date?
            var lastError: String?
            var createdAt: Date

            init(_ record: DeliveryRecord) {
                event = record.eventID
                comment = record.commentID
                channel = record.channel.rawValue
                state = record.state.rawValue
                attempts = record.attempts
                nextAttemptAt = record.nextAttemptAt
                lastError = record.lastError
                createdAt = record.createdAt
            }

            enum CodingKeys: String, CodingKey {
                case event, comment, channel, state, attempts
                case nextAttemptAt = "next_attempt_at"
                case lastError = "last_error"
                case createdAt = "created_at"
            }

            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(event, forKey: .event)
                try container.encode(comment, forKey: .comment)
                try container.encode(channel, forKey: .channel)
                try container.encode(state, forKey: .state)
                try container.encode(attempts, forKey: .attempts)
                try container.encode(nextAttemptAt, forKey: .nextAttemptAt)
                try container.encode(lastError, forKey: .lastError)
                try container.encode(createdAt, forKey: .createdAt)
            }
        }
    }

    struct Test: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send a test notification through each configured channel; exit 0 only when each was delivered.",
            discussion: "The test's links point at no real comment. The webhook's type is moderato.test."
        )

        @OptionGroup var options: ConfigOptions

        func run() async throws {
            let configuration = try await options.load()
            guard !configuration.notify.channels.isEmpty else {
                fail("no notification channel is configured: set notify.webhook.url or notify.email.to")
            }
            let keyring: Keyring
            do {
                keyring = try Keyring(secret: SecretKeyFile.load(path: configuration.secretKeyFile))
            } catch {
                fail("\(error)")
            }
            let outcomes: [NotificationCheck.Outcome]
            do {
                outcomes = try await NotificationCheck.sendTestNotifications(configuration: configuration, keyring: keyring)
            } catch {
                fail("\(error)")
            }
            var failed = false
            for outcome in outcomes {
                let target =
                    outcome.channel == .webhook
                    ? configuration.notify.webhookURL
                    : "\(configuration.notify.sendmail) for \(configuration.notify.emailTo.count) recipient\(configuration.notify.emailTo.count == 1 ? "" : "s")"
                if outcome.delivered {
                    print("\(outcome.channel.rawValue): delivered to \(target) (\(outcome.detail))")
                } else {
                    printError("\(outcome.channel.rawValue): not delivered to \(target): \(outcome.detail)")
                    failed = true
                }
            }
            if failed { throw ExitCode.failure }
        }
    }
}
