import Testing

@testable import ModeratoCore

/// The byte-level renderer against the scalar-by-scalar one it replaced (kept in
/// `Support/ReferenceCommentRenderer.swift`): the same HTML for every body, on generated bodies
/// made of the pieces each rule turns on.
@Suite("CommentRenderer renders what the scalar version rendered")
struct CommentRendererEquivalenceTests {
    static let pieces = [
        "http://", "https://", "HTTP://", "hTtPs://", "http:/", "h", "x", "example.org", "/path", "?q=1&r=2", "(", ")", ".", ",", ";",
        ":", "!", "?", "<", ">", "&", "\"", "'", "`", " ", "  ", "\t", "\u{0B}", "\u{0C}", "\n", "\r", "\r\n", "\n\n", "\n \n",
        "\u{00A0}", "\u{3000}", "\u{0085}", "\u{2028}", "\u{200B}", "e\u{301}", "\"\u{301}", "<\u{338}", "😀", "日本語", "ß", "é",
        "javascript:", "www.", "a1", "_", "-", "~", "%20", "#frag", "\u{0}", "\u{7F}", "\u{FEFF}",
    ]

    @Test func generatedBodiesRenderAlike() {
        var random = SeededGenerator(state: 2025)
        for _ in 0..<20_000 {
            let count = Int(random.next() % 24)
            let body = (0..<count).map { _ in Self.pieces[Int(random.next() % UInt64(Self.pieces.count))] }.joined()
            #expect(CommentRenderer.html(body) == ReferenceCommentRenderer.html(body), "\(body.debugDescription)")
            #expect(CommentRenderer.escape(body) == ReferenceCommentRenderer.escape(body), "\(body.debugDescription)")
        }
    }

    @Test func handPickedBodiesRenderAlike() {
        for body in [
            "", "\n", "\r\n", " ", "a", "a\n", "\na", "a\r\rb", "a\n\r\nb", "http://", "https://x", "xhttp://a", "1http://a", "é http://a",
            "(http://a)", "http://a(b)", "http://a).", "http://a,.;:!?", "\u{3000}\n\u{00A0}\nx", "\u{2029}",
            String(repeating: "https://a.b/ ", count: 50),
        ] {
            #expect(CommentRenderer.html(body) == ReferenceCommentRenderer.html(body), "\(body.debugDescription)")
        }
    }

    /// SplitMix64, so a failure replays.
    struct SeededGenerator {
        var state: UInt64

        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }
}
