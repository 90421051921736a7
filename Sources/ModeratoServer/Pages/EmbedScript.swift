import Foundation

/// `embed.js` as served: `Resources/embed.js` with the strings it shows in every language the
/// server has (the `embed.*` and `format.*` texts of each catalogue), the site's language and
/// time zone written in, and without its comment lines and indentation.
///
/// So the script's strings live in the catalogues with every other message (a new language file
/// is all a new language needs), and the readable source stays within the 10 KB served.
enum EmbedScript {
    /// What `Resources/embed.js` holds where the strings go.
    static let placeholder = "/*MODERATO_I18N*/{ language: 'en', timeZone: 'UTC', languages: { en: {} } }"

    struct Strings: Encodable {
        var language: String
        var timeZone: String
        var languages: [String: [String: String]]
    }

    static func source(localization: Localization) -> String {
        var languages: [String: [String: String]] = [:]
        for catalogue in Catalogue.embedded {
            var strings: [String: String] = [:]
            for (key, text) in catalogue.texts {
                if key.hasPrefix("embed.") {
                    strings[String(key.dropFirst("embed.".count))] = text
                } else if key.hasPrefix("format.") {
                    strings[key] = text
                }
            }
            languages[catalogue.language] = strings
        }
        let encoder = JSONEncoder()
        // Sorted, so the bytes (and the ETag) change only when the strings do.
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let strings = Strings(language: localization.siteLanguage, timeZone: localization.timeZone.identifier, languages: languages)
        let json = String(decoding: (try? encoder.encode(strings)) ?? Data("{}".utf8), as: UTF8.self)
        let script = String(decoding: PackageResources.embed_js, as: UTF8.self)
        precondition(script.contains(placeholder), "Resources/embed.js has lost its \(placeholder)")
        return compact(script.replacingOccurrences(of: placeholder, with: json))
    }

    /// Drops whole-line `//` comments and leading indentation. The script has no multi-line
    /// string or template literal, where this would change the text.
    static func compact(_ script: String) -> String {
        script.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.drop { $0 == " " } }
            .filter { !$0.hasPrefix("//") && !$0.isEmpty }
            .joined(separator: "\n") + "\n"
    }
}
