/// Why an export cannot be imported. Each message is one line naming the file, where (line or
/// element) and the problem; none ever quotes an email or IP address from the file.
public enum ImportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file cannot be opened or read.
    case unreadable(file: String, reason: String)
    /// The file has no bytes at all.
    case empty(file: String)
    /// The content is none of the formats Moderato reads; `found` says what it starts with.
    case unknownFormat(file: String, found: String)
    /// `--from` named a format the content is not.
    case notFormat(file: String, expected: ImportFormat, found: String)
    /// The XML itself is broken: truncated, mismatched tags, a bad entity …
    case malformedXML(file: String, line: Int, problem: String)
    /// A required element is absent, e.g. a `<wp:comment>` without `<wp:comment_id>`.
    case missingElement(file: String, line: Int, element: String, within: String)
    /// An element's text is not what the format allows, e.g. a date that is not a date.
    case invalidValue(file: String, line: Int, element: String, value: String, expected: String)
    /// The same comment id twice in the same post.
    case duplicateComment(file: String, line: Int, post: String, comment: String)
    /// An Isso database that cannot be queried as Isso writes it.
    case database(file: String, problem: String)
    /// A row of an Isso database with a value Isso never writes.
    case invalidRow(file: String, table: String, id: Int64, column: String, problem: String)

    public static let expectedFormats =
        "expected a WordPress WXR export (<rss> with the http://wordpress.org/export/1.0/–1.2/ namespace), "
        + "a Disqus export (<disqus>) or an Isso database (SQLite with Isso's comments and threads tables)"

    public var description: String {
        switch self {
        case .unreadable(let file, let reason):
            return "\(file): cannot read the file: \(Self.oneLine(reason))"
        case .empty(let file):
            return "\(file): the file is empty; \(Self.expectedFormats)"
        case .unknownFormat(let file, let found):
            return "\(file): \(Self.expectedFormats), found \(Self.oneLine(found))"
        case .notFormat(let file, let expected, let found):
            return "\(file): expected \(expected), found \(Self.oneLine(found))"
        case .malformedXML(let file, let line, let problem):
            return "\(file):\(line): malformed XML: \(Self.oneLine(problem))"
        case .missingElement(let file, let line, let element, let within):
            return "\(file):\(line): <\(within)> has no <\(element)>"
        case .invalidValue(let file, let line, let element, let value, let expected):
            return "\(file):\(line): <\(element)> is \"\(Self.oneLine(value))\", expected \(expected)"
        case .duplicateComment(let file, let line, let post, let comment):
            return "\(file):\(line): comment \(Self.oneLine(comment)) appears twice in post \(Self.oneLine(post))"
        case .database(let file, let problem):
            return "\(file): cannot read the Isso database: \(Self.oneLine(problem))"
        case .invalidRow(let file, let table, let id, let column, let problem):
            return "\(file): \(table) row \(id): \(column) \(Self.oneLine(problem))"
        }
    }

    /// Keeps a message on one line and short: control characters become spaces, long text is cut.
    static func oneLine(_ text: String, limit: Int = 80) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalars.count >= limit {
                scalars.append("…")
                break
            }
            scalars.append(scalar.value < 0x20 || (0x7F..<0xA0).contains(scalar.value) ? " " : scalar)
        }
        return String(scalars)
    }
}
