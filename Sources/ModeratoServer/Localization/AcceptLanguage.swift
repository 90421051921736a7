import ModeratoCore

/// The language ranges of an `Accept-Language` header (RFC 9110 §12.5.4), most wanted first.
///
/// `ja-JP, ja;q=0.9, en;q=0.8` asks for Japanese before English; a range Moderato has no catalogue
/// for is passed over, and `q=0` refuses a language outright.
struct AcceptLanguage {
    struct Range {
        /// Lower-cased: `en-gb`, or `*` for any language.
        var tag: String
        var quality: Double
    }

    /// The ranges with a quality above 0, by quality, in header order between equals.
    let ranges: [Range]
    /// Languages the client refused (`q=0`).
    let refused: Set<String>

    /// More ranges than any browser sends; the rest of a longer header is ignored.
    static let maxRanges = 32

    init(_ header: String?) {
        var ranges: [Range] = []
        var refused: Set<String> = []
        for (count, item) in (header ?? "").split(separator: ",").enumerated() {
            guard count < Self.maxRanges else { break }
            let parts = item.split(separator: ";").map { String($0).trimmingWhitespace() }
            guard let tag = parts.first?.lowercased(), Self.isRange(tag) else { continue }
            var quality = 1.0
            if let q = parts.dropFirst().first(where: { $0.lowercased().hasPrefix("q=") }) {
                // An unreadable weight makes the whole range unreadable.
                guard let value = Double(q.dropFirst(2)), (0...1).contains(value) else { continue }
                quality = value
            }
            if quality == 0 {
                refused.insert(tag)
            } else {
                ranges.append(Range(tag: tag, quality: quality))
            }
        }
        // Stable: equal weights keep the order the client wrote them in.
        self.ranges = ranges.enumerated().sorted { ($0.element.quality, -$0.offset) > ($1.element.quality, -$1.offset) }.map(\.element)
        self.refused = refused
    }

    /// `*`, or letters and digits in subtags of 1–8 separated by `-`.
    static func isRange(_ tag: String) -> Bool {
        if tag == "*" { return true }
        let subtags = tag.split(separator: "-", omittingEmptySubsequences: false)
        return !subtags.isEmpty && subtags.count <= 8
            && subtags.allSatisfy { $0.count >= 1 && $0.count <= 8 && $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) } }
    }

    /// The first of `available` (language tags) the client asks for, or `nil` when it asks for
    /// none of them. Each range is looked up as RFC 4647 §3.4 does — `en-GB` finds `en`, dropping
    /// subtags from the end — and failing that matches a longer tag (`pt` finds `pt-BR`). `*`
    /// takes `preferred` (the site's language) unless the client refused it.
    func best(of available: [String], preferred: String) -> String? {
        let allowed = available.filter { !refused.contains($0.lowercased()) }
        for range in ranges {
            if range.tag == "*" {
                return allowed.first { $0.lowercased() == preferred.lowercased() } ?? allowed.first
            }
            var subtags = range.tag.split(separator: "-")
            while !subtags.isEmpty {
                let candidate = subtags.joined(separator: "-")
                if let match = allowed.first(where: { $0.lowercased() == candidate }) { return match }
                subtags.removeLast()
                // A single-letter subtag (an extension's singleton) never ends a tag.
                if subtags.last?.count == 1 { subtags.removeLast() }
            }
            if let match = allowed.first(where: { $0.lowercased().hasPrefix(range.tag + "-") }) { return match }
        }
        return nil
    }
}
