import Foundation
import Hummingbird
import ModeratoCore

/// The languages Moderato speaks, and how an answer picks one.
///
/// People read pages and error messages: each request's `Accept-Language` picks among the
/// catalogues (q-values honoured), else `site.language`. What is the same for every reader —
/// feeds, the demo article, the CLI — is written in one language chosen by the caller. Dates
/// people read are shown in `site.timezone`.
public struct Localization: Sendable {
    /// `site.language`: the answer when a request asks for nothing Moderato speaks.
    public let siteLanguage: String
    /// `site.timezone`.
    public let timeZone: TimeZone
    private let catalogues: [String: Catalogue]

    /// The language tags of every embedded catalogue (`en`, `ja`, …), sorted.
    public static let languages: [String] = Catalogue.embedded.map(\.language).sorted()

    public init(configuration: ModeratoConfiguration) {
        self.init(siteLanguage: configuration.site.language, timeZone: configuration.site.timeZone)
    }

    init(siteLanguage: String, timeZone: TimeZone) {
        self.siteLanguage = Self.supported(siteLanguage) ?? Self.languages.first ?? "en"
        self.timeZone = timeZone
        catalogues = Dictionary(uniqueKeysWithValues: Catalogue.embedded.map { ($0.language, $0) })
    }

    /// The language of `text` as Moderato spells it (`JA` → `ja`), when there is a catalogue for it.
    public static func supported(_ text: String) -> String? {
        languages.first { $0.lowercased() == text.lowercased() }
    }

    /// The language the request's `Accept-Language` asks for, else `site.language`. The answer
    /// then varies with that header, and says so.
    func localizer(for request: Request) -> Localizer {
        let language =
            AcceptLanguage(request.headers[.acceptLanguage]).best(of: Self.languages, preferred: siteLanguage) ?? siteLanguage
        return localizer(language: language, negotiated: true)
    }

    /// A fixed language (`site.language` when `nil` or not spoken), for what every reader sees alike.
    public func localizer(language: String? = nil) -> Localizer {
        localizer(language: language.flatMap(Self.supported) ?? siteLanguage, negotiated: false)
    }

    private func localizer(language: String, negotiated: Bool) -> Localizer {
        let fallback = catalogues["en"] ?? catalogues[siteLanguage]
        let catalogue = catalogues[language] ?? fallback
        return Localizer(
            language: catalogue?.language ?? language, catalogue: catalogue, fallback: fallback, timeZone: timeZone,
            negotiated: negotiated)
    }

    /// For answers that escape every handler (an error thrown outside `ProblemMiddleware`), where
    /// the configuration is out of reach: English, UTC.
    static let standard = Localization(siteLanguage: "en", timeZone: TimeZone(identifier: "UTC")!)
}

/// Words messages in one language and writes dates people read.
public struct Localizer: Sendable {
    /// The language tag, for `Content-Language` and `<html lang>`.
    public let language: String
    let catalogue: Catalogue?
    /// English: what a message missing from `catalogue` is shown in (a test keeps none missing).
    let fallback: Catalogue?
    let timeZone: TimeZone
    /// Chosen by the request's `Accept-Language`, so the answer carries `Vary: Accept-Language`.
    let negotiated: Bool

    /// The message in this language, its placeholders filled.
    func callAsFunction(_ message: Message) -> String {
        Catalogue.fill(template(message.key), message.arguments)
    }

    /// Several messages as one paragraph, separated as the language does (a space in English,
    /// nothing after Japanese 。).
    func sentences(_ messages: [Message]) -> String {
        messages.map { self($0) }.joined(separator: template("format.sentence_separator"))
    }

    /// The message as HTML: its text and arguments escaped, and each placeholder named in
    /// `markup` replaced by that markup as is (`{mark}` → `<span class="required">※</span>`).
    func html(_ message: Message, markup: [String: String] = [:]) -> String {
        let escaped = message.arguments.mapValues(CommentRenderer.escape)
        return Catalogue.fill(
            template(message.key), escaped.merging(markup) { $1 }, write: { $0 }, literal: { CommentRenderer.escape(String($0)) })
    }

    private func template(_ key: String) -> String {
        catalogue?[key] ?? fallback?[key] ?? key
    }

    /// A moment as people read it in this language, in `site.timezone`: `format.date_time` of the
    /// catalogue (`27 Nov 2025 14:03`, `2025年11月27日 14:03`). Machines get RFC 3339 UTC instead.
    public func dateTime(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        let month = parts.month ?? 1
        let names = template("format.months").split(separator: "|")
        func twoDigits(_ number: Int?) -> String {
            let text = String(number ?? 0)
            return text.count < 2 ? "0" + text : text
        }
        return Catalogue.fill(
            template("format.date_time"),
            [
                "year": String(parts.year ?? 0), "month": String(month), "day": String(parts.day ?? 0),
                "month_name": names.indices.contains(month - 1) ? String(names[month - 1]) : String(month),
                "hour": twoDigits(parts.hour), "minute": twoDigits(parts.minute),
            ])
    }

    /// `Content-Language`, and `Vary: Accept-Language` when the request chose the language.
    func label(_ headers: inout HTTPFields) {
        headers[.contentLanguage] = language
        if negotiated { headers.addVary("Accept-Language") }
    }
}

extension HTTPFields {
    /// Adds a name to `Vary`, keeping the names already there.
    mutating func addVary(_ name: String) {
        // The common case, nothing there yet, without taking a list apart.
        guard let existing = self[.vary], !existing.isEmpty else {
            self[.vary] = name
            return
        }
        let present = existing.split(separator: ",").map { String($0).trimmingWhitespace() }.filter { !$0.isEmpty }
        guard !present.contains(where: { $0.lowercased() == name.lowercased() }) else { return }
        self[.vary] = (present + [name]).joined(separator: ", ")
    }
}
