import Configuration
import Foundation
import Logging
import ModeratoCore
import SystemPackage
import Yams

/// Reads the configuration in layers — defaults → YAML file → `MODERATO_*` environment → flags —
/// with swift-configuration, and refuses anything it does not understand with a message that names
/// the file (or variable), the key and the problem.
public enum ConfigurationLoader {
    /// Where `serve` looks for a file when neither `--config` nor `MODERATO_CONFIG` names one.
    public static let defaultFilePath = "Config/moderato.yaml"

    /// Loads the configuration the way `moderato` does.
    ///
    /// - Parameters:
    ///   - filePath: `--config`, if given; otherwise `MODERATO_CONFIG`, otherwise `Config/moderato.yaml`
    ///     when it exists.
    ///   - environment: the process environment (only `MODERATO_*` variables are read).
    ///   - overrides: command-line flags, by dotted key (`server.port`).
    public static func load(
        filePath: String?,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        overrides: [String: ConfigContent] = [:]
    ) async throws(ConfigurationError) -> ModeratoConfiguration {
        var layers: [Layer] = []
        if !overrides.isEmpty {
            layers.append(
                Layer(
                    description: "command line",
                    provider: InMemoryProvider(
                        name: "command line",
                        values: Dictionary(
                            uniqueKeysWithValues: overrides.map {
                                (AbsoluteConfigKey(ConfigKey($0.key)), ConfigValue($0.value, isSecret: false))
                            })
                    )))
        }
        layers.append(environmentLayer(environment))
        if let path = filePath ?? environment["MODERATO_CONFIG"] {
            layers.append(try await fileLayer(path: path))
        } else if FileManager.default.fileExists(atPath: defaultFilePath) {
            layers.append(try await fileLayer(path: defaultFilePath))
        }
        return try resolve(layers: layers)
    }

    /// A source of values with the name used in error messages.
    struct Layer {
        var description: String
        var provider: any ConfigProvider
        /// How a key is named in this layer, for messages: `server.port` or `MODERATO_SERVER_PORT`.
        var nameOfKey: @Sendable (Setting) -> String = { $0.key }
    }

    static func environmentLayer(_ environment: [String: String]) -> Layer {
        let prefix = "MODERATO_"
        var values: [String: String] = [:]
        for (name, value) in environment where name.hasPrefix(prefix) && name != "MODERATO_CONFIG" {
            values[String(name.dropFirst(prefix.count))] = value
        }
        return Layer(
            description: "environment",
            provider: EnvironmentVariablesProvider(environmentVariables: values),
            nameOfKey: { $0.environmentName }
        )
    }

    static func fileLayer(path: String) async throws(ConfigurationError) -> Layer {
        let contents: Data
        do {
            contents = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            let exists = FileManager.default.fileExists(atPath: path)
            throw ConfigurationError(file: path, key: nil, problem: exists ? "cannot be read (check its permissions)" : "does not exist")
        }
        let isEmpty = try checkKeys(ofYAML: String(decoding: contents, as: UTF8.self), file: path)
        if isEmpty {
            // A file with only comments: every key keeps its default (the YAML provider wants a mapping).
            return Layer(description: path, provider: InMemoryProvider(name: path, values: [:]))
        }
        do {
            let provider = try await FileProvider<YAMLSnapshot>(filePath: FilePath(path))
            return Layer(description: path, provider: provider)
        } catch {
            throw ConfigurationError(file: path, key: nil, problem: "is not valid YAML: \(error)")
        }
    }

    /// Refuses keys that are not in `Setting.all` (a typo would otherwise be silently ignored),
    /// nested mappings where a value belongs and values where a section belongs, at every depth
    /// (`notify.webhook.url`). Returns whether the document is empty.
    @discardableResult
    static func checkKeys(ofYAML text: String, file: String) throws(ConfigurationError) -> Bool {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw ConfigurationError(file: file, key: nil, problem: "is not valid YAML: \(error)")
        }
        guard let root, root.null == nil else { return true }
        guard let mapping = root.mapping else {
            throw ConfigurationError(file: file, key: nil, problem: "must be a mapping of sections (server:, site:, …)")
        }
        try checkSection(mapping, named: "", file: file)
        return false
    }

    /// Checks one mapping of the file: each entry is a known key with a value, or a known section
    /// with a mapping of its own (checked in turn).
    private static func checkSection(_ mapping: Node.Mapping, named section: String, file: String) throws(ConfigurationError) {
        for (nameNode, value) in mapping {
            let name = nameNode.string ?? "\(nameNode)"
            let key = section.isEmpty ? name : "\(section).\(name)"
            if let setting = Setting.byKey[key] {
                if value.mapping != nil {
                    throw ConfigurationError(file: file, key: key, problem: "must be \(setting.kind.noun)")
                }
            } else if Setting.sections.contains(key) {
                guard let entries = value.mapping else {
                    if value.null != nil { continue }
                    throw ConfigurationError(file: file, key: key, problem: "must be a mapping of keys")
                }
                try checkSection(entries, named: key, file: file)
            } else if section.isEmpty {
                let known = Setting.children(of: "").sorted().joined(separator: ", ")
                throw ConfigurationError(file: file, key: key, problem: "is not a known section; known sections are \(known)")
            } else {
                let known = Setting.children(of: section).map { "\(section).\($0)" }.joined(separator: ", ")
                throw ConfigurationError(file: file, key: key, problem: "is not a known key; \(section) has \(known)")
            }
        }
    }

    /// Merges the layers (first wins) over the defaults and checks every value.
    static func resolve(layers: [Layer]) throws(ConfigurationError) -> ModeratoConfiguration {
        // Each layer is checked on its own first, so a wrong type is reported against the file or
        // variable that holds it rather than as a generic conversion failure.
        for layer in layers {
            for setting in Setting.all {
                do {
                    _ = try layer.provider.value(forKey: AbsoluteConfigKey(ConfigKey(setting.key)), type: setting.kind.configType)
                } catch {
                    throw ConfigurationError(
                        file: layer.description, key: layer.nameOfKey(setting),
                        problem: "must be \(setting.kind.noun)"
                    )
                }
            }
        }
        let defaults = InMemoryProvider(
            name: "defaults",
            values: Dictionary(
                uniqueKeysWithValues: Setting.all.map {
                    (AbsoluteConfigKey(ConfigKey($0.key)), ConfigValue($0.defaultValue, isSecret: false))
                })
        )
        let reader = ConfigReader(providers: layers.map(\.provider) + [defaults])
        let values = ResolvedValues(
            reader: reader,
            sourceOf: { key in
                for layer in layers {
                    if let setting = Setting.byKey[key],
                        (try? layer.provider.value(forKey: AbsoluteConfigKey(ConfigKey(key)), type: setting.kind.configType).value) != nil
                    {
                        return (layer.description, layer.nameOfKey(setting))
                    }
                }
                return ("defaults", key)
            })
        return try values.configuration()
    }
}

/// A startup error in the configuration, naming where it is, which key and what is wrong.
public struct ConfigurationError: Error, CustomStringConvertible, Equatable {
    /// The file path, `environment`, `command line` or `defaults`.
    public var file: String
    public var key: String?
    public var problem: String

    public var description: String {
        if let key {
            return "configuration error in \(file): \(key) \(problem)"
        }
        return "configuration error: \(file) \(problem)"
    }
}
