import Foundation
import ModeratoCore
import Testing

@testable import ModeratoServer

/// The message catalogues (`Sources/ModeratoServer/Resources/Localization/*.json`) against the code
/// that uses them: every language has every message, and every message is used.
///
/// Swift code names a message as `Message("key"…)` (or, for the date format, the key as a string
/// literal); `embed.js` as `t('name')` for the catalogue's `embed.name` (or `t('format.…')`).
@Suite("Message catalogues")
struct CatalogueTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized
    static let sources = root.appendingPathComponent("Sources")
    static let folder = sources.appendingPathComponent("ModeratoServer/Resources/Localization")

    /// Every Swift file under Sources/, as text.
    static func swiftSources() throws -> [(path: String, text: String)] {
        let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL } ?? []
        return try files.filter { $0.pathExtension == "swift" }.map {
            ($0.path.replacingOccurrences(of: root.path + "/", with: ""), try String(contentsOf: $0, encoding: .utf8))
        }
    }

    static func matches(_ pattern: String, in text: String) -> [String] {
        let regex = try! NSRegularExpression(pattern: pattern)
        return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap {
            Range($0.range(at: 1), in: text).map { String(text[$0]) }
        }
    }

    /// Keys the code asks for: `Message("…"` in Swift, `t('…')` in embed.js.
    static func keysAskedFor() throws -> [String: String] {
        var asked: [String: String] = [:]
        for (path, text) in try swiftSources() {
            for key in matches(#"Message\("([^"\\]+)""#, in: text) { asked[key] = path }
        }
        let script = try String(contentsOf: sources.appendingPathComponent("ModeratoServer/Resources/embed.js"), encoding: .utf8)
        for name in matches(#"\bt\('([^']+)'\)"#, in: script) {
            asked[name.hasPrefix("format.") ? name : "embed." + name] = "Sources/ModeratoServer/Resources/embed.js"
        }
        return asked
    }

    @Test func everyCatalogueFileIsEmbeddedAndParses() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path).filter { $0.hasSuffix(".json") }.sorted()
        #expect(files.map { String($0.dropLast(5)) } == Localization.languages, "the build embeds every file of the folder")
        #expect(Localization.languages.contains("en") && Localization.languages.contains("ja"))
        for file in files {
            let data = try Data(contentsOf: Self.folder.appendingPathComponent(file))
            #expect(throws: Never.self, "\(file)") { try Catalogue(language: String(file.dropLast(5)), json: data) }
        }
    }

    @Test func everyLanguageHasEveryMessage() {
        let all = Set(Catalogue.embedded.flatMap(\.texts.keys))
        for catalogue in Catalogue.embedded {
            let missing = all.subtracting(catalogue.texts.keys).sorted()
            #expect(missing.isEmpty, "\(catalogue.language).json lacks \(missing.joined(separator: ", "))")
            for (key, text) in catalogue.texts where key != "format.sentence_separator" {
                #expect(!text.trimmingCharacters(in: .whitespaces).isEmpty, "\(catalogue.language).json: \(key) is empty")
            }
        }
    }

    @Test func everyMessageTheCodeAsksForIsInTheCatalogues() throws {
        let known = Set(Catalogue.embedded.flatMap(\.texts.keys))
        for (key, path) in try Self.keysAskedFor().sorted(by: { $0.key < $1.key }) {
            #expect(known.contains(key), "\(path) asks for \(key), which no catalogue has")
        }
    }

    @Test func everyMessageIsUsed() throws {
        let asked = Set(try Self.keysAskedFor().keys)
        let literals = try Self.swiftSources().map(\.text).joined(separator: "\n")
        for key in Set(Catalogue.embedded.flatMap(\.texts.keys)).sorted() {
            let used = asked.contains(key) || literals.contains("\"\(key)\"")
            #expect(used, "\(key) is in the catalogues but nothing uses it: remove it from every language")
        }
    }

    /// Messages given more values than English shows, so that each language picks what it says:
    /// the date pattern, and the generic status texts (the English reason phrase, or the code).
    static let choices: [String: Set<String>] = [
        "format.date_time": ["year", "month", "month_name", "day", "hour", "minute"],
        "problem.status.detail": ["code", "reason"],
        "status.other": ["code", "reason"],
    ]

    @Test func translationsUseTheSamePlaceholdersAsEnglish() throws {
        let english = try #require(Catalogue.embedded.first { $0.language == "en" })
        for catalogue in Catalogue.embedded {
            for (key, text) in english.texts {
                guard let translated = catalogue[key] else { continue }
                let used = Catalogue.placeholders(in: translated)
                if let choices = Self.choices[key] {
                    #expect(used.isSubset(of: choices), "\(catalogue.language).json: \(key) may mention only \(choices.sorted())")
                } else {
                    #expect(
                        used == Catalogue.placeholders(in: text),
                        "\(catalogue.language).json: \(key) must mention \(Catalogue.placeholders(in: text).sorted())")
                }
            }
            if let pattern = catalogue["format.date_time"] {
                let used = Catalogue.placeholders(in: pattern)
                #expect(
                    ["year", "day", "hour", "minute"].allSatisfy(used.contains) && !used.isDisjoint(with: ["month", "month_name"]),
                    "\(catalogue.language).json: format.date_time shows the year, month, day, hour and minute")
            }
            let months = catalogue["format.months"]?.split(separator: "|") ?? []
            #expect(months.count == 12, "\(catalogue.language).json: format.months names 12 months, separated by |")
        }
    }

    @Test func placeholdersAreFilledAndHTMLIsEscaped() {
        #expect(Catalogue.fill("at most {limit} bytes, {missing}", ["limit": "245"]) == "at most 245 bytes, {missing}")
        #expect(
            Catalogue.fill("such as {\"post\": \"/a/\"}", ["post": "x"]) == "such as {\"post\": \"/a/\"}", "braces around text are text")
        let localizer = Localization(siteLanguage: "ja", timeZone: TimeZone(identifier: "UTC")!).localizer()
        #expect(localizer.html(Message("field.not_text", ["field": "<b>"])) == "&lt;b&gt; は文字列で指定してください。")
        #expect(
            localizer.html(Message("form.notes"), markup: ["mark": "<span class=\"required\">※</span>"])
                == "メールアドレスが公開されることはありません。 <span class=\"required\">※</span> が付いている欄は必須項目です")
    }
}
