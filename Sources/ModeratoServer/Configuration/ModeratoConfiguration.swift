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

    public var server: Server
    public var site: Site
    public var databasePath: String
    /// Where the store lives: today always the SQLite file at `databasePath`.
    public var storeLocation: StoreLocation { .sqlite(path: databasePath) }
    public var secretKeyFile: String
    public var moderation: ModerationPolicy
    public var limits: Limits
    public var maxDepth: Int
    public var feedLimit: Int
    /// `Cache-Control: public, max-age=` of public GETs, in seconds.
    public var cacheMaxAge: Int
    public var logLevel: Logger.Level

    /// The built-in defaults, as if no file, environment or flag said anything.
    public static var defaults: ModeratoConfiguration {
        // The defaults are valid by construction; a failure here is a programming error caught by tests.
        try! ConfigurationLoader.resolve(layers: [])
    }
}
