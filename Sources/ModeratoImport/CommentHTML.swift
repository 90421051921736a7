/// Comment bodies between HTML (what WordPress and Disqus store) and Moderato's plain text.
///
/// WordPress keeps what the commenter typed — newlines and a little HTML — and shows it through
/// `wpautop`: a blank line is a paragraph, a newline a line break. Disqus keeps `<p>` and `<br>`.
/// Either way the reader saw paragraphs, lines and link texts; that is what Moderato keeps, as
/// plain text its renderer escapes. No tag survives, so no imported body can be shown as raw HTML.
public enum CommentHTML {
    /// The plain text a reader saw: tags dropped, character references decoded once, `<p>`, block
    /// elements and blank lines become paragraphs, `<br>` and newlines line breaks (a newline right
    /// after a `<br>` or a block tag is the same break, as in `wpautop`), and a link whose text is
    /// not an address keeps its address after it: `こちら (https://example.org/ref)`.
    public static func plainText(fromHTML html: String) -> String {
        var reader = HTMLTextReader(Array(html.utf8))
        return reader.read()
    }

    /// A Moderato text as WordPress comment HTML (WXR `comment_content`): escaped, paragraphs in
    /// `<p>`, lines joined by `<br>` and a newline. `plainText(fromHTML:)` gives `canonicalText`
    /// of the text back, so `<3`, `&` and `&amp;` survive the trip.
    public static func html(fromText text: String) -> String {
        let paragraphs = canonicalText(text).split(separator: "\n\n", omittingEmptySubsequences: true)
        return paragraphs.map { paragraph in
            "<p>" + paragraph.split(separator: "\n").map { escape($0) }.joined(separator: "<br>\n") + "</p>"
        }.joined(separator: "\n\n")
    }

    /// The form in which a text shows the same in Moderato and survives HTML unchanged: LF line
    /// endings, lines without spaces or tabs at their ends, exactly one blank line between
    /// paragraphs, no control characters but tabs, trimmed. Texts typed into a form are usually
    /// already in it; it renders the same through `CommentRenderer` as the text it came from.
    public static func canonicalText(_ text: String) -> String {
        var builder = PlainTextBuilder()
        var previousWasCR = false
        for scalar in text.unicodeScalars {
            if scalar == "\n", previousWasCR {
                previousWasCR = false
                continue
            }
            previousWasCR = scalar == "\r"
            if scalar == "\n" || scalar == "\r" {
                builder.lineBreak()
            } else {
                builder.append(scalar)
            }
        }
        return builder.finish()
    }

    private static func escape(_ text: Substring) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out.append(contentsOf: "&amp;".unicodeScalars)
            case "<": out.append(contentsOf: "&lt;".unicodeScalars)
            case ">": out.append(contentsOf: "&gt;".unicodeScalars)
            default: out.append(scalar)
            }
        }
        return String(out)
    }
}
