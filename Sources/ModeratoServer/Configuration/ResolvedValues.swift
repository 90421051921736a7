import Configuration
import Foundation
import Logging
import ModeratoCore
import ModeratoStore

/// Reads each setting from the merged layers and checks what types alone cannot: ranges, enums,
/// URLs and addresses. One place for every semantic rule of the configuration.
struct ResolvedValues {
    let reader: ConfigReader
    /// Which layer (and under which name) supplied a key, for error messages.
    let sourceOf: (String) -> (file: String, name: String)

    func fail(_ key: String, _ problem: String) -> ConfigurationError {
        let source = sourceOf(key)
        return ConfigurationError(file: source.file, key: source.name, problem: problem)
    }

    // Types were checked per layer and every key has a default, so these reads cannot miss.
    func string(_ key: String) -> String { reader.string(forKey: ConfigKey(key)) ?? "" }
    func strings(_ key: String) -> [String] { reader.stringArray(forKey: ConfigKey(key)) ?? [] }
    func bool(_ key: String) -> Bool { reader.bool(forKey: ConfigKey(key)) ?? false }

    func int(_ key: String, in range: ClosedRange<Int>) throws(ConfigurationError) -> Int {
        let value = reader.int(forKey: ConfigKey(key)) ?? 0
        guard range.contains(value) else {
            throw fail(key, "must be between \(range.lowerBound) and \(range.upperBound), not \(value)")
        }
        return value
    }

    func absoluteURL(_ key: String) throws(ConfigurationError) -> String {
        let value = string(key)
        guard WebAddress(value) != nil else {
            throw fail(key, "must be an absolute http:// or https:// URL, not \"\(value)\"")
        }
        return value.hasSuffix("/") ? String(value.dropLast()) : value
    }

    /// An IANA zone (`Asia/Tokyo`) or `UTC`; not an abbreviation (`JST`) or offset (`GMT+9`),
    /// which name no place's rules for summer time.
    static func timeZone(_ name: String) -> TimeZone? {
        guard name == "UTC" || TimeZone.knownTimeZoneIdentifiers.contains(name) else { return nil }
        return TimeZone(identifier: name)
    }

    func configuration() throws(ConfigurationError) -> ModeratoConfiguration {
        var proxies: [IPNetwork] = []
        for text in strings("server.trusted_proxies") {
            guard let network = IPNetwork(text) else {
                throw fail("server.trusted_proxies", "must list IP addresses or CIDR ranges; \"\(text)\" is neither")
            }
            proxies.append(network)
        }
        var origins: [String] = []
        for text in strings("site.origins") {
            guard let address = WebAddress(text), address.rest.isEmpty || address.rest == "/" else {
                throw fail("site.origins", "must list origins such as https://blog.example.org; \"\(text)\" is not one")
            }
            origins.append(address.origin)
        }
        let modeText = string("moderation.mode")
        guard let mode = ModerationMode(rawValue: modeText) else {
            throw fail("moderation.mode", "must be one of all, first-time, none, not \"\(modeText)\"")
        }
        let levelText = string("log.level")
        guard let level = Logger.Level(rawValue: levelText) else {
            throw fail("log.level", "must be one of trace, debug, info, notice, warning, error, critical, not \"\(levelText)\"")
        }
        let languageText = string("site.language")
        guard let language = Localization.supported(languageText) else {
            throw fail(
                "site.language", "must be one of \(Localization.languages.joined(separator: ", ")), not \"\(languageText)\"")
        }
        let zoneText = string("site.timezone")
        guard let timeZone = Self.timeZone(zoneText) else {
            throw fail("site.timezone", "must be an IANA time zone name such as UTC, Europe/London or Asia/Tokyo, not \"\(zoneText)\"")
        }
        let host = string("server.host")
        guard !host.isEmpty else { throw fail("server.host", "must not be empty") }
        let databasePath = string("database.path")
        guard !databasePath.isEmpty else { throw fail("database.path", "must not be empty") }
        var databaseURL: DatabaseURL?
        let urlText = string("database.url")
        if !urlText.isEmpty {
            do {
                databaseURL = try DatabaseURL(urlText)
            } catch {
                // The message names what is wrong, never the value: it may hold a password.
                throw fail("database.url", error.description)
            }
        }
        let keyFile = string("secret.key_file")
        guard !keyFile.isEmpty else { throw fail("secret.key_file", "must not be empty") }

        let bytes = 1...Int(Int32.max)
        let submission = SubmissionLimits(
            author: try int("limits.author", in: bytes),
            email: try int("limits.email", in: bytes),
            url: try int("limits.url", in: bytes),
            body: try int("limits.body", in: bytes)
        )
        // The request limit must never refuse a comment the field limits accept (a form
        // %-encodes Japanese text to three times its size), so it is derived from them.
        var requestBody = try int("limits.request_body", in: 0...Int(Int32.max))
        if requestBody == 0 {
            requestBody = submission.largestRequestBody
        } else if requestBody < submission.largestRequestBody {
            throw fail(
                "limits.request_body",
                "must be 0 (derived from the field limits) or at least \(submission.largestRequestBody), so that a comment of limits.body bytes fits in a form post, where each byte of text may take three; lower limits.body instead"
            )
        }
        let notify = try notifySettings()
        return ModeratoConfiguration(
            server: .init(
                host: host,
                port: try int("server.port", in: 0...65535),
                trustedProxies: proxies,
                publicURL: try absoluteURL("server.public_url"),
                idleTimeout: try int("server.idle_timeout", in: 1...86400),
                requestTimeout: try int("server.request_timeout", in: 1...3600)
            ),
            site: .init(
                name: string("site.name"),
                url: try absoluteURL("site.url"),
                origins: origins,
                demo: bool("site.demo"),
                language: language,
                timeZone: timeZone
            ),
            databasePath: databasePath,
            databaseURL: databaseURL,
            databasePoolSize: try int("database.pool_size", in: 1...1000),
            secretKeyFile: keyFile,
            moderation: ModerationPolicy(
                mode: mode,
                maxLinks: try int("moderation.max_links", in: 0...1000),
                holdWords: strings("moderation.hold_words"),
                blockWords: strings("moderation.block_words")
            ),
            limits: .init(
                submission: submission,
                requestBody: requestBody,
                ratePerMinute: try int("limits.rate_per_minute", in: 0...100_000),
                floodSeconds: try int("limits.flood_seconds", in: 0...86400),
                ipv6Prefix: try int("limits.ipv6_prefix", in: 16...128)
            ),
            maxDepth: try int("threading.max_depth", in: 1...100),
            feedLimit: try int("feed.limit", in: 1...1000),
            cacheMaxAge: try int("cache.max_age", in: 0...86400),
            logLevel: level,
            notify: notify
        )
    }

    /// `notify.*`: each channel is off while its address is empty, and checked once it is not.
    func notifySettings() throws(ConfigurationError) -> ModeratoConfiguration.Notify {
        var events: Set<CommentStatus> = []
        for text in strings("notify.events") {
            guard let status = CommentStatus(rawValue: text), status != .trash else {
                throw fail("notify.events", "must list outcomes among pending, approved, spam; \"\(text)\" is not one")
            }
            events.insert(status)
        }
        let webhookURL = string("notify.webhook.url")
        if !webhookURL.isEmpty, WebAddress(webhookURL) == nil {
            throw fail("notify.webhook.url", "must be empty (off) or an absolute http:// or https:// URL, not \"\(webhookURL)\"")
        }
        let secretFile = string("notify.webhook.secret_file")
        if !webhookURL.isEmpty, secretFile.isEmpty {
            throw fail("notify.webhook.secret_file", "must not be empty while notify.webhook.url is set")
        }
        let formatText = string("notify.webhook.format")
        guard let format = ModeratoConfiguration.Notify.WebhookFormat(rawValue: formatText) else {
            throw fail("notify.webhook.format", "must be standard or slack, not \"\(formatText)\"")
        }
        let recipients = strings("notify.email.to")
        for address in recipients where !EmailAddress.isValid(EmailAddress.normalize(address)) {
            throw fail("notify.email.to", "must list email addresses; \"\(address)\" is not one")
        }
        let from = string("notify.email.from")
        if !recipients.isEmpty, !EmailAddress.isValid(EmailAddress.normalize(from)) {
            throw fail(
                "notify.email.from",
                from.isEmpty
                    ? "must be set to the sender's address while notify.email.to lists recipients"
                    : "must be an email address, not \"\(from)\"")
        }
        let sendmail = string("notify.email.sendmail")
        if !recipients.isEmpty, sendmail.isEmpty {
            throw fail("notify.email.sendmail", "must name a sendmail-compatible program while notify.email.to lists recipients")
        }
        return ModeratoConfiguration.Notify(
            events: events,
            linkTTL: try int("notify.link_ttl", in: 1...Int(Int32.max)),
            webhookURL: webhookURL,
            webhookSecretFile: secretFile,
            webhookFormat: format,
            maxAttempts: try int("notify.webhook.max_attempts", in: 1...100),
            emailTo: recipients,
            emailFrom: from,
            sendmail: sendmail,
            digestMinutes: try int("notify.email.digest_minutes", in: 0...10080)
        )
    }
}
