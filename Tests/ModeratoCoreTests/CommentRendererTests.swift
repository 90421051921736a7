import ModeratoCore
import Testing

@Suite("Rendering a comment body as safe HTML")
struct CommentRendererTests {
    @Test func paragraphsAndLineBreaks() {
        #expect(CommentRenderer.html("one") == "<p>one</p>")
        #expect(CommentRenderer.html("one\ntwo") == "<p>one<br>two</p>")
        #expect(CommentRenderer.html("one\n\ntwo\n \n\n three") == "<p>one</p><p>two</p><p> three</p>")
        #expect(CommentRenderer.html("a\r\nb\r\n\r\nc") == "<p>a<br>b</p><p>c</p>")
    }

    @Test func bareLinksBecomeNofollowLinks() {
        #expect(
            CommentRenderer.html("see https://example.org/a?b=1&c=2.")
                == "<p>see <a href=\"https://example.org/a?b=1&amp;c=2\" rel=\"nofollow ugc noopener\">https://example.org/a?b=1&amp;c=2</a>.</p>"
        )
        #expect(
            CommentRenderer.html("(http://example.org/x)")
                == "<p>(<a href=\"http://example.org/x\" rel=\"nofollow ugc noopener\">http://example.org/x</a>)</p>")
        #expect(
            CommentRenderer.html("https://en.wikipedia.org/wiki/Foo_(bar)")
                == "<p><a href=\"https://en.wikipedia.org/wiki/Foo_(bar)\" rel=\"nofollow ugc noopener\">https://en.wikipedia.org/wiki/Foo_(bar)</a></p>"
        )
        #expect(
            CommentRenderer.html("HTTPS://EXAMPLE.ORG")
                == "<p><a href=\"HTTPS://EXAMPLE.ORG\" rel=\"nofollow ugc noopener\">HTTPS://EXAMPLE.ORG</a></p>")
        #expect(CommentRenderer.html("just http:// alone") == "<p>just http:// alone</p>")
        #expect(CommentRenderer.html("xhttp://example.org") == "<p>xhttp://example.org</p>")
        #expect(CommentRenderer.html("ftp://example.org javascript:alert(1)") == "<p>ftp://example.org javascript:alert(1)</p>")
    }

    /// Payloads from the usual XSS cheat sheets: whatever goes in, the only tags out are ours.
    static let payloads = [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<svg/onload=alert(1)>",
        "\"><script>alert(1)</script>",
        "'><img src=x onerror=alert(1)>",
        "<a href=\"javascript:alert(1)\">x</a>",
        "javascript:alert(document.cookie)",
        "https://example.org/\"onmouseover=\"alert(1)",
        "https://example.org/'onmouseover='alert(1)",
        "https://example.org/<script>alert(1)</script>",
        "&lt;script&gt;alert(1)&lt;/script&gt;",
        "&#x3C;script&#x3E;",
        "&amp",
        "<iframe src=\"https://evil.example\"></iframe>",
        "<style>body{display:none}</style>",
        "<!-- comment --><b>bold</b>",
        "</p><p onclick=alert(1)>",
        "http://example.org/`onmouseover=alert(1)`",
        "https://x.org/\"\u{0352}/onmouseover=alert(1)//",
        "<\u{0301}img src=x onerror=alert(1)>",
        "https://x.org/'\u{20DD} onclick=alert(1)",
    ]

    @Test(arguments: payloads)
    func everyPayloadComesOutInert(_ payload: String) {
        let html = CommentRenderer.html(payload)
        Self.assertInert(html)
        #expect(!html.contains("<script"))
        #expect(!html.contains("<img"))
        #expect(!html.contains("href=\"javascript"))
    }

    /// Only `<p>`, `</p>`, `<br>`, `<a href="…" rel="nofollow ugc noopener">` and `</a>` may appear,
    /// and attribute values never contain a quote — checked on Unicode scalars, as a browser reads.
    static func assertInert(_ html: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let scalars = Array(html.unicodeScalars)
        var index = 0
        while let open = scalars[index...].firstIndex(of: "<") {
            guard let close = scalars[open...].firstIndex(of: ">") else {
                Issue.record("unclosed tag in \(html)", sourceLocation: sourceLocation)
                return
            }
            let tag = String(String.UnicodeScalarView(scalars[open...close]))
            let allowed =
                ["<p>", "</p>", "<br>", "</a>"].contains(tag)
                || (tag.lowercased().hasPrefix("<a href=\"http") && tag.hasSuffix("\" rel=\"nofollow ugc noopener\">")
                    && !tag.unicodeScalars.dropFirst(9).dropLast(30).contains { "\"'<>`".unicodeScalars.contains($0) })
            #expect(allowed, "unexpected markup \(tag) in \(html)", sourceLocation: sourceLocation)
            index = close + 1
        }
    }

    /// Found by the libFuzzer target: a combining mark after a quote forms one Swift `Character`
    /// that is not `"`, but the browser still sees the quote and leaves the attribute.
    @Test func combiningMarksCannotSmuggleQuotesOrTags() {
        let attack = "https://x.org/\"\u{0352}/onmouseover=alert(1)//"
        let html = CommentRenderer.html(attack)
        Self.assertInert(html)
        #expect(
            html
                == "<p><a href=\"https://x.org/\" rel=\"nofollow ugc noopener\">https://x.org/</a>&quot;\u{0352}/onmouseover=alert(1)//</p>"
        )
        #expect(CommentRenderer.html("<\u{0352}script>") == "<p>&lt;\u{0352}script&gt;</p>")
        #expect(CommentRenderer.escape("\"\u{0301}") == "&quot;\u{0301}")
        #expect(CommentRenderer.html("a\n\u{0352}b") == "<p>a<br>\u{0352}b</p>")
    }

    @Test func escapeCoversAttributeContexts() {
        #expect(CommentRenderer.escape("<a href='x' title=\"y\">&</a>") == "&lt;a href=&#39;x&#39; title=&quot;y&quot;&gt;&amp;&lt;/a&gt;")
    }
}
