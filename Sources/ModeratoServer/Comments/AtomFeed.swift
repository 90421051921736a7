import Foundation
import ModeratoCore

/// An Atom 1.0 feed document (RFC 4287), written by hand: a few elements, every text escaped.
struct AtomFeed {
    static let contentType = "application/atom+xml"

    struct Entry {
        /// A `tag:` URI (RFC 4151) that stays the same for the comment forever.
        var id: String
        var title: String
        /// Comments are not edited, so `updated` and `published` are the time it was written.
        var date: Date
        var authorName: String
        var authorURI: String?
        /// The comment on its page (`…#comment-ID`).
        var link: String
        /// The comment's safe HTML (`CommentRenderer`), sent as `type="html"`: escaped once more.
        var contentHTML: String
    }

    var id: String
    var title: String
    var selfURL: String
    /// The blog, or the post's page for a per-post feed.
    var alternateURL: String
    var language: String
    var entries: [Entry]

    func xml() -> String {
        // RFC 4287 §4.2.15: the most recent change; with no entries, a fixed moment, so an empty
        // feed's bytes (and ETag) do not change from one request to the next.
        let updated = entries.map(\.date).max() ?? Date(timeIntervalSince1970: 0)
        var xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
        xml += "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"\(Self.escape(language))\">\n"
        xml += "  <id>\(Self.escape(id))</id>\n"
        xml += "  <title>\(Self.escape(title))</title>\n"
        xml += "  <updated>\(RFC3339.string(from: updated))</updated>\n"
        xml += "  <link rel=\"self\" type=\"\(Self.contentType)\" href=\"\(Self.escape(selfURL))\"/>\n"
        xml += "  <link rel=\"alternate\" type=\"text/html\" href=\"\(Self.escape(alternateURL))\"/>\n"
        xml += "  <generator>Moderato</generator>\n"
        for entry in entries {
            let date = RFC3339.string(from: entry.date)
            xml += "  <entry>\n"
            xml += "    <id>\(Self.escape(entry.id))</id>\n"
            xml += "    <title>\(Self.escape(entry.title))</title>\n"
            xml += "    <updated>\(date)</updated>\n"
            xml += "    <published>\(date)</published>\n"
            xml += "    <author><name>\(Self.escape(entry.authorName))</name>"
            if let uri = entry.authorURI { xml += "<uri>\(Self.escape(uri))</uri>" }
            xml += "</author>\n"
            xml += "    <link rel=\"alternate\" type=\"text/html\" href=\"\(Self.escape(entry.link))\"/>\n"
            xml += "    <content type=\"html\">\(Self.escape(entry.contentHTML))</content>\n"
            xml += "  </entry>\n"
        }
        xml += "</feed>\n"
        return xml
    }

    /// Text for XML content and attributes: the five special characters as entities, and the
    /// characters XML 1.0 cannot hold at all (U+FFFE, U+FFFF, controls a stored text should
    /// not have) as U+FFFD, so one odd comment cannot make the whole feed unreadable.
    static func escape(_ text: String) -> String {
        var out = ""
        out.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                let value = scalar.value
                let allowed = (0x20...0xD7FF).contains(value) || (0xE000...0xFFFD).contains(value) || value >= 0x10000
                out.unicodeScalars.append(allowed ? scalar : "\u{FFFD}")
            }
        }
        return out
    }

    /// The host of `site.url`: comments belong to the blog they were written on.
    static func tagAuthority(siteURL: String) -> String {
        let host = WebAddress(siteURL)?.host ?? "localhost"
        // A bracketed IPv6 literal is not a DNS name; tag: URIs want one (RFC 4151 §2.1).
        return host.hasPrefix("[") ? "localhost" : host
    }

    /// `tag:blog.example.org,2025-11-27:comment:42`, dated the day the comment was written (in
    /// UTC): the blog held its name then, and neither part ever changes.
    static func tagURI(authority: String, date: Date, specific: String) -> String {
        let day = String(RFC3339.string(from: date).prefix(10))
        return "tag:\(authority),\(day):\(specific)"
    }
}
