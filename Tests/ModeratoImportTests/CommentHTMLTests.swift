import ModeratoCore
import ModeratoImport
import Testing

@Suite("HTML to text and back")
struct CommentHTMLTests {
    @Test(arguments: [
        // Paragraphs and line breaks, as wpautop shows stored newlines and as Disqus writes <p>/<br>.
        ("<p>a</p><p>b</p>", "a\n\nb"),
        ("a<br>b", "a\nb"),
        ("a<br />\nb", "a\nb"),
        ("a<br>\n\nb", "a\n\nb"),
        ("a<br><br>b", "a\n\nb"),
        ("line1\nline2\n\npara2", "line1\nline2\n\npara2"),
        ("a\r\nb\rc", "a\nb\nc"),
        ("<P>A</P>\n\n<P>B<BR>C</P>", "A\n\nB\nC"),
        ("<p>a</p><p>&nbsp;</p><p>b</p>", "a\n\nb"),
        ("<blockquote>quoted</blockquote>reply", "quoted\n\nreply"),
        ("<ul><li>one</li><li>two</li></ul>after", "one\ntwo\n\nafter"),
        ("  <p>  padded  </p>  ", "padded"),
        // Character references, decoded once.
        ("&amp;lt;", "&lt;"),
        ("&lt;3 &amp; &gt;", "<3 & >"),
        ("AT&T; a & b", "AT&T; a & b"),
        ("&unknown; &amp", "&unknown; &amp"),
        ("&#12354;&#x1F600;&#150;&#0;", "あ😀–\u{FFFD}"),
        ("&hellip;&rsquo;&nbsp;x", "…’\u{A0}x"),
        // A < that starts no tag is text.
        ("I <3 you & a < b > c", "I <3 you & a < b > c"),
        // Links keep an address the text does not show.
        ("<a href=\"https://example.org/ref\">こちら</a>", "こちら (https://example.org/ref)"),
        ("<a href=\"https://example.org/same\">https://example.org/same</a>", "https://example.org/same"),
        ("<a href='https://example.org/empty'></a>", "https://example.org/empty"),
        ("<a href=\"https://x.example/?a=1&amp;b=2\" title=\"a>b\">x</a>", "x (https://x.example/?a=1&b=2)"),
        ("<a href=\"mailto:someone@example.org\">mail me</a>", "mail me"),
        ("<a href=\"javascript:alert(1)\">click</a>", "click"),
        ("<a href=\"/relative/\">here</a>", "here"),
        ("<a href=https://unquoted.example/>bare</a>", "bare (https://unquoted.example/)"),
        ("<img src=\"https://example.org/i.png\" alt=\"写真\">", "写真 (https://example.org/i.png)"),
        // Everything else is dropped, content of scripts and styles included.
        ("<strong>bold</strong> <em>it</em> <code>x</code>", "bold it x"),
        ("<script>alert('<p>')</script>ok<style>p{}</style>", "ok"),
        ("a<!-- <p>hidden</p> -->b<!DOCTYPE x><?php echo 1; ?>", "ab"),
        ("text <b", "text"),
        ("\u{1}bell\u{7}", "bell"),
    ])
    func htmlBecomesWhatAReaderSaw(_ html: String, _ text: String) {
        #expect(CommentHTML.plainText(fromHTML: html) == text)
    }

    @Test func noTagSurvives() {
        let text = CommentHTML.plainText(
            fromHTML: "<div class=\"x\"><p><b onclick=\"x()\">a</b><iframe src=\"https://evil.example\"></iframe></p></div>")
        #expect(text == "a")
    }

    @Test(arguments: [
        ("  a  \n\n\n b \r\n c  ", "a\n\nb\nc"),
        ("a\n \t \nb", "a\n\nb"),
        ("a\n\u{3000}\nb", "a\n\nb"),  // a line of ideographic space is blank, as in CommentRenderer
        ("一行目\n\u{3000}字下げ", "一行目\n\u{3000}字下げ"),  // a Japanese indent inside the text stays
        ("tab\tinside", "tab\tinside"),
    ])
    func canonicalText(_ text: String, _ canonical: String) {
        #expect(CommentHTML.canonicalText(text) == canonical)
        #expect(CommentHTML.canonicalText(canonical) == canonical)
    }

    @Test func wordpressHTMLOfAText() {
        #expect(
            CommentHTML.html(fromText: "I <3 it & you\nsecond line\n\n]]> &amp;")
                == "<p>I &lt;3 it &amp; you<br>\nsecond line</p>\n\n<p>]]&gt; &amp;amp;</p>")
    }

    /// The property the export and a re-import rest on: for any text, HTML and back gives its
    /// canonical form, which renders the same in Moderato.
    @Test func textToHTMLAndBackIsTheCanonicalText() {
        var corpus = [
            "I <3 this", "AT&T & friends", "&amp; stays &amp;", "&lt;p&gt; is not a tag", "<p>typed tags</p>",
            "停戦交渉の経緯\n\n2月18日:米露のみの停戦協議\n2月28日:決裂", "See https://example.org/a?b=1&c=2.",
            "(https://example.org/in-parens)", "a\n\n\n\nb", "a\n \nb", "]]> and <![CDATA[", "\u{3000}字下げ\n次の行",
            "tab\tand\u{A0}nbsp", "&#38; &#x26; &nbsp;", "<script>alert(1)</script>", "<a href=\"https://x\">x</a>", "a<br>b",
            "emoji 😀👍🏽 and combining e\u{301}", "\"quotes\" and 'apostrophes'", "x", "1\n2\n3\n\n4",
        ]
        var generator = SeededGenerator(seed: 14)
        let pieces = [
            "<", ">", "&", ";", "#", "3", "a", "あ", " ", "\n", "\n\n", "\t", "\u{A0}", "\u{3000}", "http://", "https://x.example/p",
            "]]>", "&amp;", "&lt;", "<p>", "</p>", "<br>", "<a href=\"https://y.example\">", "</a>", "&#65;", "(", ")", ".", "\r\n",
        ]
        for _ in 0..<2000 {
            let count = Int.random(in: 1...24, using: &generator)
            corpus.append((0..<count).map { _ in pieces.randomElement(using: &generator)! }.joined())
        }
        for text in corpus {
            let canonical = CommentHTML.canonicalText(text)
            #expect(CommentHTML.plainText(fromHTML: CommentHTML.html(fromText: text)) == canonical, "\(text.debugDescription)")
            #expect(CommentHTML.canonicalText(canonical) == canonical)
        }
        // Typed texts are already canonical; runs of blank lines render as one paragraph break.
        for text in corpus.prefix(21) where !text.contains("\n\n\n") && !text.contains("\n \n") {
            #expect(CommentHTML.canonicalText(text) == text.trimmingWhitespace(), "\(text.debugDescription)")
        }
        #expect(CommentRenderer.html("a\n\n\n\nb") == CommentRenderer.html(CommentHTML.canonicalText("a\n\n\n\nb")))
        #expect(CommentRenderer.html("a\n \nb") == CommentRenderer.html(CommentHTML.canonicalText("a\n \nb")))
    }
}

/// A small deterministic generator (SplitMix64), so the random corpus is the same on every run.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
