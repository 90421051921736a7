import ModeratoCore

/// The clean-ups every reader applies to the fields of a comment, so each format's values end up
/// as a live submission's would.
enum ImportedFields {
    /// WordPress and Isso show a comment without a name as "Anonymous"; so does Moderato.
    static let anonymous = "Anonymous"

    /// A display name on one line: control characters and line breaks become spaces, trimmed.
    static func author(_ raw: String?) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in (raw ?? "").unicodeScalars {
            scalars.append(scalar.value < 0x20 || (0x7F..<0xA0).contains(scalar.value) ? " " : scalar)
        }
        let name = String(scalars).trimmed()
        return name.isEmpty ? anonymous : name
    }

    /// An absolute `http(s)` address, as Moderato accepts from a form; a bare host (`example.org`)
    /// gets `http://` as WordPress and Isso do when they show it; anything else is dropped.
    static func website(_ raw: String?) -> String? {
        let text = (raw ?? "").trimmed()
        guard !text.isEmpty else { return nil }
        if WebAddress(text) != nil { return text }
        let lower = text.lowercased()
        guard !lower.hasPrefix("http:"), !lower.hasPrefix("https:"), !text.contains(":") || text.contains("."),
            !text.hasPrefix("/")
        else { return nil }
        let guessed = "http://" + text
        return WebAddress(guessed) != nil ? guessed : nil
    }
}

/// `ImportedFields.website` with a memory: commenters come back with the same website, and
/// checking an address costs more than the rest of a comment's fields. Websites are public
/// data; the memory is bounded.
struct WebsiteCache {
    private var known: [String: String?] = [:]

    mutating func website(_ raw: String?) -> String? {
        guard let raw, !raw.isEmpty else { return nil }
        if let cleaned = known[raw] { return cleaned }
        if known.count >= 8192 { known.removeAll(keepingCapacity: true) }
        let cleaned = ImportedFields.website(raw)
        known[raw] = .some(cleaned)
        return cleaned
    }
}

extension String {
    /// `trimmingWhitespace()`, without its per-character Unicode look-ups when both ends are
    /// plainly not whitespace (nearly always, for the fields of an export).
    func trimmed() -> String {
        guard let first = utf8.first, let last = utf8.last else { return self }
        if first > 0x20, first < 0x7F, last > 0x20, last < 0x7F { return self }
        return trimmingWhitespace()
    }
}
