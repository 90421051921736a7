import Foundation

/// The messages of one language: `Resources/Localization/<language>.json`, a flat JSON object of
/// key → text, where `{name}` stands for a value the message mentions. Embedded in the binary at
/// build time (the EmbedCatalogues plugin), so the server reads no file to speak a language.
struct Catalogue: Sendable {
    /// The language tag, from the file name: `en`, `ja`, `pt-BR`.
    let language: String
    let texts: [String: String]

    init(language: String, json: Data) throws(CatalogueError) {
        self.language = language
        guard let object = try? JSONSerialization.jsonObject(with: json) as? [String: Any] else {
            throw CatalogueError(language: language, problem: "is not a JSON object of key → text")
        }
        var texts: [String: String] = [:]
        for (key, value) in object {
            guard let text = value as? String else {
                throw CatalogueError(language: language, problem: "\(key) is not a text")
            }
            texts[key] = text
        }
        self.texts = texts
    }

    subscript(key: String) -> String? { texts[key] }

    /// Every catalogue in the binary, by file name. A catalogue that does not parse is a build
    /// mistake that `CatalogueTests` reports; here it stops the program at once.
    static let embedded: [Catalogue] = EmbeddedCatalogues.files.map { file in
        do {
            return try Catalogue(language: file.language, json: Data(base64Encoded: file.base64) ?? Data())
        } catch {
            preconditionFailure("\(error)")
        }
    }

    /// `text` with each `{name}` replaced by its argument, written by `write` (to escape it for
    /// HTML, say); the text around goes through `literal`. A placeholder without an argument stays
    /// as it is, visibly, and braces around anything but a name (`{"post": …}`) are just text.
    static func fill(
        _ text: String, _ arguments: [String: String], write: (String) -> String = { $0 },
        literal: (Substring) -> String = { String($0) }
    ) -> String {
        var out = ""
        var rest = text[...]
        while let found = nextPlaceholder(in: rest) {
            let (range, name) = found
            out += literal(rest[..<range.lowerBound])
            if let value = arguments[name] {
                out += write(value)
            } else {
                out += literal(rest[range])
            }
            rest = rest[range.upperBound...]
        }
        return out + literal(rest)
    }

    /// The `{name}`s a text uses.
    static func placeholders(in text: String) -> Set<String> {
        var names: Set<String> = []
        var rest = text[...]
        while let found = nextPlaceholder(in: rest) {
            let (range, name) = found
            names.insert(name)
            rest = rest[range.upperBound...]
        }
        return names
    }

    /// The first `{name}` (lower-case letters, digits, `_`) and where it is.
    private static func nextPlaceholder(in text: Substring) -> (Range<Substring.Index>, String)? {
        var search = text[...]
        while let open = search.firstIndex(of: "{") {
            let after = search.index(after: open)
            if let close = search[after...].firstIndex(of: "}") {
                let name = search[after..<close]
                if !name.isEmpty, name.allSatisfy({ $0 == "_" || ($0.isASCII && ($0.isLowercase || $0.isNumber)) }) {
                    return (open..<search.index(after: close), String(name))
                }
            }
            search = search[after...]
        }
        return nil
    }
}

struct CatalogueError: Error, CustomStringConvertible {
    var language: String
    var problem: String
    var description: String { "the message catalogue \(language).json \(problem)" }
}
