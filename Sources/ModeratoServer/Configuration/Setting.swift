import Configuration

/// One configuration key: its dotted name, type and built-in default. `Setting.all` is the one list
/// of keys; the loader, the unknown-key check and the test of `Config/moderato.yaml` all read it.
struct Setting: Sendable {
    enum Kind: Sendable {
        case string, int, bool, stringArray

        var configType: ConfigType {
            switch self {
            case .string: .string
            case .int: .int
            case .bool: .bool
            case .stringArray: .stringArray
            }
        }

        var noun: String {
            switch self {
            case .string: "a string"
            case .int: "an integer"
            case .bool: "true or false"
            case .stringArray: "a list of strings"
            }
        }
    }

    var key: String
    var kind: Kind
    var defaultValue: ConfigContent

    init(_ key: String, _ kind: Kind, _ defaultValue: ConfigContent) {
        self.key = key
        self.kind = kind
        self.defaultValue = defaultValue
    }

    /// The environment variable for this key: `database.path` → `MODERATO_DATABASE_PATH`.
    var environmentName: String {
        "MODERATO_" + key.uppercased().replacingOccurrences(of: ".", with: "_")
    }

    static let all: [Setting] = [
        Setting("server.host", .string, .string("127.0.0.1")),
        Setting("server.port", .int, .int(8080)),
        Setting("server.trusted_proxies", .stringArray, .stringArray([])),
        Setting("server.public_url", .string, .string("http://127.0.0.1:8080")),
        Setting("server.idle_timeout", .int, .int(30)),
        Setting("server.request_timeout", .int, .int(10)),
        Setting("site.name", .string, .string("Moderato")),
        Setting("site.url", .string, .string("http://127.0.0.1:8080")),
        Setting("site.origins", .stringArray, .stringArray(["http://127.0.0.1:8080", "http://localhost:8080"])),
        Setting("site.demo", .bool, .bool(true)),
        Setting("site.language", .string, .string("en")),
        Setting("site.timezone", .string, .string("UTC")),
        Setting("database.path", .string, .string("data/moderato.sqlite")),
        // Empty: the SQLite file at database.path. A postgres:// URL wins over the path.
        Setting("database.url", .string, .string("")),
        Setting("database.pool_size", .int, .int(10)),
        Setting("secret.key_file", .string, .string("data/secret.key")),
        Setting("moderation.mode", .string, .string("first-time")),
        Setting("moderation.max_links", .int, .int(2)),
        Setting("moderation.hold_words", .stringArray, .stringArray([])),
        Setting("moderation.block_words", .stringArray, .stringArray([])),
        Setting("limits.author", .int, .int(245)),
        Setting("limits.email", .int, .int(100)),
        Setting("limits.url", .int, .int(200)),
        Setting("limits.body", .int, .int(65525)),
        // 0: derived from the field limits (`SubmissionLimits.largestRequestBody`).
        Setting("limits.request_body", .int, .int(0)),
        Setting("limits.rate_per_minute", .int, .int(5)),
        Setting("limits.flood_seconds", .int, .int(15)),
        Setting("limits.ipv6_prefix", .int, .int(64)),
        Setting("threading.max_depth", .int, .int(5)),
        Setting("feed.limit", .int, .int(50)),
        Setting("cache.max_age", .int, .int(5)),
        Setting("log.level", .string, .string("info")),
        Setting("notify.events", .stringArray, .stringArray(["pending"])),
        Setting("notify.link_ttl", .int, .int(604_800)),
        Setting("notify.webhook.url", .string, .string("")),
        Setting("notify.webhook.secret_file", .string, .string("data/webhook.secret")),
        Setting("notify.webhook.format", .string, .string("standard")),
        Setting("notify.webhook.max_attempts", .int, .int(12)),
        Setting("notify.email.to", .stringArray, .stringArray([])),
        Setting("notify.email.from", .string, .string("")),
        Setting("notify.email.sendmail", .string, .string("/usr/sbin/sendmail")),
        Setting("notify.email.digest_minutes", .int, .int(0)),
    ]

    static let byKey: [String: Setting] = Dictionary(uniqueKeysWithValues: all.map { ($0.key, $0) })

    /// `server`, `site`, `notify`, `notify.webhook`, … : every dotted name that holds keys (or
    /// further sections) in YAML, at any depth.
    static let sections: Set<String> = Set(
        all.flatMap { setting in
            let parts = setting.key.split(separator: ".")
            return (1..<parts.count).map { parts.prefix($0).joined(separator: ".") }
        })

    /// The keys and sections directly inside `section` (`""` for the top level), in `all`'s order.
    static func children(of section: String) -> [String] {
        let prefix = section.isEmpty ? "" : section + "."
        var names: [String] = []
        for key in all.map(\.key) where key.hasPrefix(prefix) {
            let child = String(key.dropFirst(prefix.count).prefix { $0 != "." })
            if !names.contains(child) { names.append(child) }
        }
        return names
    }
}
