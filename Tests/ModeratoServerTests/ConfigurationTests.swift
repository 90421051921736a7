import Configuration
import Foundation
import Testing

@testable import ModeratoServer

@Suite("Configuration in layers (SPEC §1)")
struct ConfigurationTests {
    let folder = NSTemporaryDirectory() + "moderato-config-tests-" + UUID().uuidString

    init() throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    func write(_ yaml: String, name: String = "moderato.yaml") throws -> String {
        let path = folder + "/" + name
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func loadError(
        file: String?, environment: [String: String] = [:], overrides: [String: ConfigContent] = [:]
    ) async -> ConfigurationError? {
        do {
            _ = try await ConfigurationLoader.load(filePath: file, environment: environment, overrides: overrides)
            return nil
        } catch {
            return error
        }
    }

    @Test func defaultsMatchTheSpec() {
        let defaults = ModeratoConfiguration.defaults
        #expect(defaults.server.host == "127.0.0.1")
        #expect(defaults.server.port == 8080)
        #expect(defaults.server.trustedProxies.isEmpty)
        #expect(defaults.server.publicURL == "http://127.0.0.1:8080")
        #expect(defaults.site.name == "Moderato")
        #expect(defaults.site.url == "http://127.0.0.1:8080")
        #expect(defaults.site.origins == ["http://127.0.0.1:8080", "http://localhost:8080"])
        #expect(defaults.site.demo)
        #expect(defaults.databasePath == "data/moderato.sqlite")
        #expect(defaults.secretKeyFile == "data/secret.key")
        #expect(defaults.moderation.mode == .firstTime)
        #expect(defaults.moderation.maxLinks == 2)
        #expect(defaults.limits.submission == .init(author: 245, email: 100, url: 200, body: 65525))
        #expect(defaults.limits.requestBody == 203_842, "derived: a form %-encodes each byte of text to up to three")
        #expect(defaults.limits.ipv6Prefix == 64)
        #expect(defaults.limits.ratePerMinute == 5)
        #expect(defaults.limits.floodSeconds == 15)
        #expect(defaults.maxDepth == 5)
        #expect(defaults.feedLimit == 50)
        #expect(defaults.logLevel == .info)
        #expect(defaults.site.language == "en")
        #expect(defaults.site.timeZone.secondsFromGMT() == 0, "UTC (Foundation on Linux calls it GMT)")
    }

    @Test func languageAndTimeZoneAreCheckedAndNamedWhenWrong() async throws {
        let tokyo = try await ConfigurationLoader.load(
            filePath: try write("site:\n  language: ja\n  timezone: Asia/Tokyo\n", name: "ja.yaml"), environment: [:])
        #expect(tokyo.site.language == "ja")
        #expect(tokyo.site.timeZone.identifier == "Asia/Tokyo")
        let upper = try await ConfigurationLoader.load(filePath: nil, environment: ["MODERATO_SITE_LANGUAGE": "JA"])
        #expect(upper.site.language == "ja", "spelled as the catalogue is")

        let language = await loadError(file: try write("site:\n  language: tlh\n", name: "tlh.yaml"))
        #expect(language?.key == "site.language")
        #expect(language?.problem == "must be one of \(Localization.languages.joined(separator: ", ")), not \"tlh\"")
        for wrong in ["Asia/Tokio", "JST", "GMT+9", "", "Europe/"] {
            let error = await loadError(file: nil, environment: ["MODERATO_SITE_TIMEZONE": wrong])
            #expect(error?.key == "MODERATO_SITE_TIMEZONE", "\(wrong)")
            #expect(error?.problem.contains("IANA time zone") == true, "\(wrong)")
        }
        let fromFile = await loadError(file: try write("site:\n  timezone: Mars/Olympus\n", name: "tz.yaml"))
        #expect(
            fromFile?.description.hasSuffix(
                "tz.yaml: site.timezone must be an IANA time zone name such as UTC, Europe/London or Asia/Tokyo, not \"Mars/Olympus\"")
                == true)
    }

    @Test func theShippedFileListsEveryKeyWithItsDefault() async throws {
        let shipped = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Config/moderato.yaml").standardized.path
        let text = try String(contentsOfFile: shipped, encoding: .utf8)
        // Each line's dotted key, from its indentation (two spaces a level): notify.webhook.url.
        var lines: [String: Substring] = [:]
        var path: [String] = []
        for line in text.split(separator: "\n") where !line.hasPrefix("#") && line.contains(":") {
            let depth = (line.prefix { $0 == " " }.count) / 2
            let name = String(line.drop { $0 == " " }.prefix { $0 != ":" })
            path = Array(path.prefix(depth)) + [name]
            lines[path.joined(separator: ".")] = line
        }
        for setting in Setting.all {
            let line = lines[setting.key]
            #expect(line != nil, "Config/moderato.yaml lacks \(setting.key)")
            #expect(line?.contains("#") == true, "\(setting.key) has a one-line comment")
        }
        let fromFile = try await ConfigurationLoader.load(filePath: shipped, environment: [:])
        let defaults = ModeratoConfiguration.defaults
        #expect(fromFile.server.port == defaults.server.port)
        #expect(fromFile.site.origins == defaults.site.origins)
        #expect(fromFile.limits.submission == defaults.limits.submission)
        #expect(fromFile.limits.requestBody == defaults.limits.requestBody)
        #expect(fromFile.limits.ipv6Prefix == defaults.limits.ipv6Prefix)
        #expect(fromFile.moderation == defaults.moderation)
        #expect(fromFile.databasePath == defaults.databasePath)
        #expect(fromFile.notify.events == defaults.notify.events && fromFile.notify.linkTTL == defaults.notify.linkTTL)
        #expect(fromFile.notify.webhookURL == defaults.notify.webhookURL)
        #expect(fromFile.notify.webhookSecretFile == defaults.notify.webhookSecretFile)
        #expect(
            fromFile.notify.webhookFormat == defaults.notify.webhookFormat && fromFile.notify.maxAttempts == defaults.notify.maxAttempts)
        #expect(fromFile.notify.emailTo == defaults.notify.emailTo && fromFile.notify.emailFrom == defaults.notify.emailFrom)
        #expect(fromFile.notify.sendmail == defaults.notify.sendmail && fromFile.notify.digestMinutes == defaults.notify.digestMinutes)
    }

    @Test func layersOverrideInOrder() async throws {
        let file = try write(
            """
            server:
              port: 9000
              host: 0.0.0.0
            moderation:
              mode: all
              hold_words: [casino, pills]
            site:
              url: https://blog.example.org/
            """)
        let fileOnly = try await ConfigurationLoader.load(filePath: file, environment: [:])
        #expect(fileOnly.server.port == 9000)
        #expect(fileOnly.server.host == "0.0.0.0")
        #expect(fileOnly.moderation.mode == .all)
        #expect(fileOnly.moderation.holdWords == ["casino", "pills"])
        #expect(fileOnly.site.url == "https://blog.example.org", "a trailing slash is dropped")

        let environment = [
            "MODERATO_SERVER_PORT": "9100", "MODERATO_DATABASE_PATH": "/tmp/x.sqlite",
            "MODERATO_SERVER_TRUSTED_PROXIES": "10.0.0.0/8,127.0.0.1", "HOME": "/root",
        ]
        let withEnvironment = try await ConfigurationLoader.load(filePath: file, environment: environment)
        #expect(withEnvironment.server.port == 9100)
        #expect(withEnvironment.databasePath == "/tmp/x.sqlite")
        #expect(withEnvironment.server.trustedProxies.map(\.description) == ["10.0.0.0/8", "127.0.0.1"])
        #expect(withEnvironment.server.host == "0.0.0.0", "untouched keys keep the file's value")

        let withFlags = try await ConfigurationLoader.load(filePath: file, environment: environment, overrides: ["server.port": .int(9200)])
        #expect(withFlags.server.port == 9200)
    }

    @Test func theConfigFileCanComeFromTheEnvironment() async throws {
        let file = try write("feed:\n  limit: 7\n")
        let configuration = try await ConfigurationLoader.load(filePath: nil, environment: ["MODERATO_CONFIG": file])
        #expect(configuration.feedLimit == 7)
    }

    @Test func anEmptyFileMeansDefaults() async throws {
        let configuration = try await ConfigurationLoader.load(filePath: try write(""), environment: [:])
        #expect(configuration.server.port == 8080)
    }

    @Test func unknownKeysNameTheFileAndTheKey() async throws {
        let file = try write("server:\n  prot: 8080\n")
        let error = await loadError(file: file)
        #expect(error?.file == file)
        #expect(error?.key == "server.prot")
        #expect(error?.description.contains("is not a known key") == true)
        #expect(await loadError(file: try write("servers:\n  port: 1\n", name: "b.yaml"))?.key == "servers")
    }

    @Test func wrongTypesNameWhereTheyCameFrom() async throws {
        let file = try write("server:\n  port: eighty\n")
        let error = await loadError(file: file)
        #expect(error?.file == file)
        #expect(error?.key == "server.port")
        #expect(error?.problem == "must be an integer")

        let fromEnvironment = await loadError(file: nil, environment: ["MODERATO_SERVER_PORT": "http"])
        #expect(fromEnvironment?.file == "environment")
        #expect(fromEnvironment?.key == "MODERATO_SERVER_PORT")

        #expect(await loadError(file: try write("site:\n  demo: maybe\n", name: "c.yaml"))?.problem == "must be true or false")
        #expect(await loadError(file: try write("moderation:\n  hold_words: {a: 1}\n", name: "d.yaml"))?.key == "moderation.hold_words")
    }

    @Test func valuesOutsideTheirRangeOrVocabularyAreRefused() async throws {
        #expect(await loadError(file: try write("moderation:\n  mode: sometimes\n"))?.key == "moderation.mode")
        #expect(
            await loadError(file: try write("server:\n  port: 70000\n", name: "b.yaml"))?.problem.contains("between 0 and 65535") == true)
        #expect(await loadError(file: try write("log:\n  level: loud\n", name: "c.yaml"))?.key == "log.level")
        #expect(await loadError(file: try write("site:\n  origins: [\"example.org\"]\n", name: "d.yaml"))?.key == "site.origins")
        #expect(
            await loadError(file: try write("server:\n  trusted_proxies: [\"proxy.local\"]\n", name: "e.yaml"))?.key
                == "server.trusted_proxies")
        #expect(await loadError(file: nil, overrides: ["server.port": .int(-1)])?.file == "command line")
        #expect(await loadError(file: try write("limits:\n  ipv6_prefix: 8\n", name: "f.yaml"))?.key == "limits.ipv6_prefix")
    }

    @Test func theRequestLimitAlwaysFitsTheLargestValidComment() async throws {
        let small = try await ConfigurationLoader.load(filePath: try write("limits:\n  body: 1000\n", name: "small.yaml"), environment: [:])
        #expect(small.limits.requestBody == 3 * (1000 + 245 + 100 + 200 + 512) + 4096, "0 derives it from the field limits")
        let roomy = try await ConfigurationLoader.load(
            filePath: try write("limits:\n  request_body: 500000\n", name: "roomy.yaml"), environment: [:])
        #expect(roomy.limits.requestBody == 500_000)
        let tight = await loadError(file: try write("limits:\n  request_body: 65536\n", name: "tight.yaml"))
        #expect(tight?.key == "limits.request_body")
        #expect(tight?.problem.contains("at least 203842") == true, "\(String(describing: tight))")
    }

    @Test func missingUnreadableAndMalformedFilesAreErrors() async throws {
        let missing = await loadError(file: folder + "/nope.yaml")
        #expect(missing?.description == "configuration error: \(folder)/nope.yaml does not exist")
        let unreadable = try write("server:\n  port: 1\n", name: "secret.yaml")
        chmod(unreadable, 0o000)
        if getuid() != 0 {  // root reads anything; the check is meaningful for ordinary users only
            #expect(await loadError(file: unreadable)?.problem.contains("cannot be read") == true)
        }
        #expect(await loadError(file: try write("server: [port: 1\n", name: "broken.yaml"))?.problem.contains("not valid YAML") == true)
        #expect(await loadError(file: try write("- just\n- a list\n", name: "list.yaml"))?.problem.contains("mapping") == true)
    }
}
