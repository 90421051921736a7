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
        let name = String(scalars).trimmingWhitespace()
        return name.isEmpty ? anonymous : name
    }

    /// An absolute `http(s)` address, as Moderato accepts from a form; a bare host (`example.org`)
    /// gets `http://` as WordPress and Isso do when they show it; anything else is dropped.
    static func website(_ raw: String?) -> String? {
        let text = (raw ?? "").trimmingWhitespace()
        guard !text.isEmpty else { return nil }
        if WebAddress(text) != nil { return text }
        let lower = text.lowercased()
        guard !lower.hasPrefix("http:"), !lower.hasPrefix("https:"), !text.contains(":") || text.contains("."),
              !text.hasPrefix("/") else { return nil }
        let guessed = "http://" + text
        return WebAddress(guessed) != nil ? guessed : nil
    }
}
