import Foundation
import Logging
import ModeratoCore
import ModeratoStore

/// Everything `moderato` can be configured with (SPEC §1), resolved from every layer and checked.
public struct ModeratoConfiguration: Sendable {
    public struct Server: Sendable {
        public var host: String
        public var port: Int
        /// Proxies whose `X-Forwarded-For` is believed for the client address.
        public var trustedProxies: [IPNetwork]
        /// Absolute base for links in feeds, without a trailing slash.
        public var publicURL: String
        /// Connections that send nothing for this many seconds (idle keep-alive, or a request head
        /// trickled in) are closed.
        public var idleTimeout: Int
        /// Seconds a client may take to send a request body; slower is 408.
        public var requestTimeout: Int
    }

    public struct Site: Sendable {
        public var name: String
        /// The blog's base URL, without a trailing slash: a post's page is `url + post`.
        public var url: String
        /// Origins (`scheme://host[:port]`) allowed for CORS and as redirect targets.
        public var origins: [String]
        public var demo: Bool
        /// The language of pages and messages when a request asks for none Moderato speaks, and
        /// of feeds (a catalogue's tag: `en`, `ja`).
        public var language: String
        /// Where dates people read are shown (`site.timezone`, an IANA name).
        public var timeZone: TimeZone
    }

    public struct Limits: Sendable {
        public var submission: SubmissionLimits
        public var requestBody: Int
        public var ratePerMinute: Int
        public var floodSeconds: Int
        /// IPv6 clients are counted per network of this many bits (see `ClientAddress.identity`).
        public var ipv6Prefix: Int
    }

    /// `notify.*`: how the moderator hears of new comments (issue 15).
    public struct Notify: Sendable {
        public enum WebhookFormat: String, Sendable, CaseIterable {
            /// Standard Webhooks: signed JSON with the comment and the action links.
            case standard
            /// `{"text": …}` for Slack, Mattermost and the like.
            case slack
        }

        /// The submission outcomes that notify: `pending`, `approved`, `spam`.
        public var events: Set<CommentStatus>
        /// Seconds a one-click link works.
        public var linkTTL: Int
        /// Empty: no webhook.
        public var webhookURL: String
        public var webhookSecretFile: String
        public var webhookFormat: WebhookFormat
        /// Attempts per delivery, on every channel, before it is given up.
        public var maxAttempts: Int
        /// Empty: no mail.
        public var emailTo: [String]
        public var emailFrom: String
        public var sendmail: String
        /// 0: one mail per comment; N: at most one mail per N minutes, listing them all.
        public var digestMinutes: Int

        /// The channels that are configured, in a fixed order.
        public var channels: [NotificationChannel] {
            (webhookURL.isEmpty ? [] : [.webhook]) + (emailTo.isEmpty ? [] : [.email])
        }

        /// What the store writes with each new comment: nothing when no channel is configured.
        public var plan: NotificationPlan {
            channels.isEmpty ? .none : NotificationPlan(outcomes: events, channels: channels)
        }
    }

    public var server: Server
    public var site: Site
    /// The SQLite file, when no `databaseURL` is given.
    public var databasePath: String
    /// A database server (`database.url`); when given, it wins over `databasePath`.
    public var databaseURL: DatabaseURL?
    /// Connections each server keeps to a database server at most.
    public var databasePoolSize: Int
    /// Where the store lives: the database server when a URL is given, else the SQLite file.
    public var storeLocation: StoreLocation {
        StoreLocation(url: databaseURL, path: databasePath, poolSize: databasePoolSize)
    }
    public var secretKeyFile: String
    public var moderation: ModerationPolicy
    public var limits: Limits
    public var maxDepth: Int
    public var feedLimit: Int
    /// `Cache-Control: public, max-age=` of public GETs, in seconds.
    public var cacheMaxAge: Int
    public var logLevel: Logger.Level
    public var notify: Notify

    /// The built-in defaults, as if no file, environment or flag said anything.
    public static var defaults: ModeratoConfiguration {
        // The defaults are valid by construction; a failure here is a programming error caught by tests.
        try! ConfigurationLoader.resolve(layers: [])
    }
}
