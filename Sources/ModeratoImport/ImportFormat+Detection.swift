import Foundation
import GRDB

extension ImportFormat {
    /// The format of a file, from its content: an SQLite header with Isso's `comments` and
    /// `threads` tables, or the first element of an XML document — `<rss>` declaring a WXR
    /// namespace (1.0–1.2), or `<disqus>`. Reads at most the first 64 KiB (and the database
    /// schema); throws `ImportError` saying what was expected otherwise.
    public static func detect(file: String) throws(ImportError) -> ImportFormat {
        let head: [UInt8]
        do {
            var input = try FileBytes(path: file, progress: nil)
            head = try input.head(64 * 1024)
        } catch let error as ImportError {
            throw error
        } catch {
            throw .unreadable(file: file, reason: String(describing: error))
        }
        guard !head.isEmpty else { throw .empty(file: file) }
        if head.starts(with: Array("SQLite format 3\u{0}".utf8)) {
            do {
                let queue = try IssoReader.open(file)
                if try queue.read(IssoReader.hasIssoTables) { return .isso }
            } catch let error as ImportError {
                throw error
            } catch {
                throw .database(file: file, problem: String(describing: error))
            }
            throw .unknownFormat(file: file, found: "an SQLite database without Isso's comments and threads tables")
        }
        return try xmlFormat(head, file: file)
    }

    private static func xmlFormat(_ head: [UInt8], file: String) throws(ImportError) -> ImportFormat {
        guard let root = XMLRootElement(head) else {
            // Not quoted: a file given by mistake may be full of addresses.
            throw .unknownFormat(file: file, found: "neither XML nor an SQLite database")
        }
        switch root.name {
        case "rss":
            if root.namespaces.contains(where: WXRReader.namespaces.contains) { return .wordpress }
            throw .unknownFormat(file: file, found: "<rss> without the WordPress export namespace")
        case "disqus":
            return .disqus
        default:
            throw .unknownFormat(file: file, found: "<\(root.name)>")
        }
    }
}

/// The first start tag of an XML document — its name without prefix and the namespaces it
/// declares — read from the first bytes after the declaration, comments and doctype.
struct XMLRootElement {
    var name: String
    var namespaces: [String]

    init?(_ data: [UInt8]) {
        var text = Substring(String(decoding: data, as: UTF8.self))
        if text.hasPrefix("\u{FEFF}") { text = text.dropFirst() }
        while true {
            text = text.drop { $0.isWhitespace }
            if text.hasPrefix("<?") || (text.hasPrefix("<!") && !text.hasPrefix("<!--")) {
                guard let end = text.firstIndex(of: ">") else { return nil }
                text = text[text.index(after: end)...]
            } else if text.hasPrefix("<!--") {
                guard let end = text.range(of: "-->") else { return nil }
                text = text[end.upperBound...]
            } else {
                break
            }
        }
        guard text.hasPrefix("<"), let end = text.firstIndex(of: ">") else { return nil }
        let tag = text[text.index(after: text.startIndex)..<end]
        let qualified = tag.prefix { !$0.isWhitespace && $0 != "/" }
        guard !qualified.isEmpty else { return nil }
        name = String(qualified.split(separator: ":").last ?? qualified)
        // Namespace declarations: xmlns="…" or xmlns:prefix="…", either quote.
        var found: [String] = []
        var rest = tag[qualified.endIndex...]
        while let declaration = rest.range(of: "xmlns") {
            rest = rest[declaration.upperBound...]
            guard let equals = rest.firstIndex(of: "=") else { break }
            let afterEquals = rest[rest.index(after: equals)...].drop { $0.isWhitespace }
            guard let quote = afterEquals.first, quote == "\"" || quote == "'" else { continue }
            let value = afterEquals.dropFirst()
            guard let close = value.firstIndex(of: quote) else { break }
            found.append(String(value[..<close]))
            rest = value[value.index(after: close)...]
        }
        namespaces = found
    }
}
