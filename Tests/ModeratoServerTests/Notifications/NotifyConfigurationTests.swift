import Configuration
import Foundation
import Testing

@testable import ModeratoServer

/// `notify.*` (issue 15): keys two sections deep, their defaults and checks, and the webhook secret.
@Suite("Notifications: configuration and the webhook secret")
struct NotifyConfigurationTests {
    let folder = NSTemporaryDirectory() + "moderato-notify-config-" + UUID().uuidString

    init() throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    func write(_ yaml: String, name: String = "moderato.yaml") throws -> String {
        let path = folder + "/" + name
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func loadError(_ yaml: String, environment: [String: String] = [:]) async throws -> ConfigurationError? {
        let file = try write(yaml, name: UUID().uuidString + ".yaml")
        do {
            _ = try await ConfigurationLoader.load(filePath: file, environment: environment)
            return nil
        } catch {
            return error
        }
    }

    @Test func defaultsNotifyNobody() {
        let notify = ModeratoConfiguration.defaults.notify
        #expect(notify.events == [.pending])
        #expect(notify.linkTTL == 604_800)
        #expect(notify.webhookURL == "" && notify.webhookSecretFile == "data/webhook.secret")
        #expect(notify.webhookFormat == .standard && notify.maxAttempts == 12)
        #expect(notify.emailTo.isEmpty && notify.emailFrom == "" && notify.sendmail == "/usr/sbin/sendmail")
        #expect(notify.digestMinutes == 0)
        #expect(notify.channels.isEmpty)
        #expect(notify.plan == .none, "nothing is written to the outbox while no channel is configured")
    }

    @Test func nestedKeysComeFromTheFileAndTheEnvironment() async throws {
        let file = try write(
            """
            notify:
              events: [pending, spam]
              link_ttl: 3600
              webhook:
                url: https://hooks.example.org/moderato
                format: slack
                max_attempts: 3
              email:
                to: [ana@example.org, Ben@Example.org]
                from: moderato@example.org
                digest_minutes: 15
            """)
        let loaded = try await ConfigurationLoader.load(filePath: file, environment: ["MODERATO_NOTIFY_EMAIL_SENDMAIL": "/usr/bin/msmtp"])
        let notify = loaded.notify
        #expect(notify.events == [.pending, .spam])
        #expect(notify.linkTTL == 3600)
        #expect(notify.webhookURL == "https://hooks.example.org/moderato")
        #expect(notify.webhookFormat == .slack && notify.maxAttempts == 3)
        #expect(notify.emailTo == ["ana@example.org", "Ben@Example.org"] && notify.emailFrom == "moderato@example.org")
        #expect(notify.sendmail == "/usr/bin/msmtp", "MODERATO_NOTIFY_EMAIL_SENDMAIL")
        #expect(notify.digestMinutes == 15)
        #expect(notify.channels == [.webhook, .email])
        #expect(notify.plan.channels(for: .spam) == [.webhook, .email] && notify.plan.channels(for: .approved).isEmpty)
        let environment = ["MODERATO_NOTIFY_WEBHOOK_URL": "http://127.0.0.1:9/hook", "MODERATO_NOTIFY_LINK_TTL": "60"]
        let fromEnvironment = try await ConfigurationLoader.load(filePath: nil, environment: environment)
        #expect(fromEnvironment.notify.webhookURL == "http://127.0.0.1:9/hook" && fromEnvironment.notify.linkTTL == 60)
    }

    @Test func unknownOrMisplacedNestedKeysAreNamed() async throws {
        let typo = try await loadError("notify:\n  webhook:\n    ulr: https://x.example.org/\n")
        #expect(typo?.key == "notify.webhook.ulr")
        #expect(typo?.problem.contains("is not a known key; notify.webhook has notify.webhook.url, notify.webhook.secret_file") == true)
        let section = try await loadError("notify:\n  webhooks:\n    url: x\n")
        #expect(section?.key == "notify.webhooks")
        #expect(section?.problem.contains("notify has notify.events, notify.link_ttl, notify.webhook, notify.email") == true)
        #expect(try await loadError("notify:\n  webhook: https://x.example.org/\n")?.problem == "must be a mapping of keys")
        #expect(try await loadError("notify:\n  events:\n    pending: true\n")?.problem == "must be a list of strings")
        #expect(try await loadError("notify:\n  webhook:\n    max_attempts: many\n")?.key == "notify.webhook.max_attempts")
        #expect(try await loadError("notify:\n  webhook:\n") == nil, "an empty section keeps the defaults")
    }

    @Test func valuesAreChecked() async throws {
        #expect(try await loadError("notify:\n  events: [pending, trash]\n")?.key == "notify.events")
        #expect(try await loadError("notify:\n  link_ttl: 0\n")?.key == "notify.link_ttl")
        #expect(try await loadError("notify:\n  webhook:\n    url: hooks.example.org\n")?.key == "notify.webhook.url")
        #expect(try await loadError("notify:\n  webhook:\n    format: discord\n")?.key == "notify.webhook.format")
        #expect(try await loadError("notify:\n  webhook:\n    max_attempts: 0\n")?.key == "notify.webhook.max_attempts")
        #expect(try await loadError("notify:\n  email:\n    to: [not-an-address]\n    from: a@example.org\n")?.key == "notify.email.to")
        let noSender = try await loadError("notify:\n  email:\n    to: [a@example.org]\n")
        #expect(noSender?.key == "notify.email.from")
        #expect(noSender?.problem.contains("must be set") == true)
        #expect(try await loadError("notify:\n  email:\n    digest_minutes: -1\n")?.key == "notify.email.digest_minutes")
        let environment = try await loadError("", environment: ["MODERATO_NOTIFY_WEBHOOK_FORMAT": "xml"])
        #expect(environment?.file == "environment" && environment?.key == "MODERATO_NOTIFY_WEBHOOK_FORMAT")
    }

    @Test func theWebhookSecretIsCreatedPrivatelyAndRefusedWhenOthersCanReadIt() async throws {
        // The default path is relative to the working directory; the test gives it a folder of its own.
        let isolated = TestEnvironment {
            $0.notify.webhookURL = "http://127.0.0.1:9/hook"
            $0.notify.webhookSecretFile = NSTemporaryDirectory() + "moderato-whsec-" + UUID().uuidString + "/webhook.secret"
        }
        let file = isolated.configuration.notify.webhookSecretFile
        try await isolated.run { _ in }
        var info = stat()
        #expect(stat(file, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o600)
        let text = try String(contentsOfFile: file, encoding: .utf8)
        #expect(text.hasPrefix("whsec_"))
        #expect(WebhookSecret(text: text)?.key.count == 32)
        try await isolated.run { _ in }
        #expect(try String(contentsOfFile: file, encoding: .utf8) == text, "reused, never replaced")

        chmod(file, 0o644)
        await #expect(throws: WebhookSecretError.tooOpen(file, mode: 0o644)) {
            try await isolated.run { _ in }
        }
        try "whsec_short".write(toFile: file, atomically: false, encoding: .utf8)
        chmod(file, 0o600)
        await #expect(throws: WebhookSecretError.malformed(file)) {
            try await isolated.run { _ in }
        }
    }
}
