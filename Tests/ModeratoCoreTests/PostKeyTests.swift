import ModeratoCore
import Testing

@Suite("Post keys: one spelling per post")
struct PostKeyTests {
    /// Through a variable on purpose: `PostKey("literal")` is a string-literal conversion, which
    /// traps on an invalid key instead of throwing.
    func key(_ text: String) throws(PostKeyError) -> PostKey {
        try PostKey(text)
    }

    @Test func canonicallyEquivalentSpellingsBecomeTheSameBytes() throws {
        let pairs: [(String, String)] = [
            ("/caf\u{E9}/", "/cafe\u{301}/"),
            ("/Kyoto/", "/\u{212A}yoto/"),  // Kelvin sign
            ("/\u{C5}ngstr\u{F6}m/", "/\u{212B}ngstro\u{308}m/"),  // Ångström sign
            ("/\u{1E0D}\u{307}/", "/d\u{307}\u{323}/"),  // marks in another order
        ]
        for (composed, other) in pairs {
            let a = try key(composed)
            let b = try key(other)
            #expect(Array(a.text.utf8) == Array(b.text.utf8))
            #expect(a == b)
            #expect(a.hashValue == b.hashValue)
        }
        let ligature = try key("/\u{FB01}le/")
        let plain = try key("/file/")
        #expect(ligature != plain, "compatibility look-alikes stay different posts")
    }

    @Test func theRule() throws {
        let trimmed = try key("  /p/ \n")
        let number = try key("42")
        let path = try key("/42")
        #expect(trimmed.text == "/p/")
        #expect(number.isNumeric)
        #expect(!path.isNumeric)
        #expect(throws: PostKeyError.empty) { try key("   ") }
        #expect(throws: PostKeyError.notAPathOrNumber) { try key("p/") }
        #expect(throws: PostKeyError.notAPathOrNumber) { try key("４２") }
        #expect(throws: PostKeyError.notAPathOrNumber) { try key("/a\u{7}b/") }
        let longest = try key("/" + String(repeating: "a", count: 511))
        #expect(longest.text.utf8.count == 512)
        #expect(throws: PostKeyError.tooLong) { try key("/" + String(repeating: "a", count: 512)) }
        // The limit counts the normalised bytes: 170 × "e" + U+0301 is 510 bytes composed.
        let composed = try key("/" + String(repeating: "e\u{301}", count: 170))
        #expect(composed.text.utf8.count == 341)
    }

    @Test func orderIsByBytesAsTheDatabaseOrders() throws {
        let upper: PostKey = "/B/"
        let lower: PostKey = "/a/"
        let accented: PostKey = "/\u{E9}/"
        #expect(upper < lower)
        #expect(lower < accented)
    }
}

@Suite("Word folding for hold and block words")
struct WordFoldingTests {
    let policy = ModerationPolicy(mode: .none, maxLinks: 0, holdWords: ["は"], blockWords: ["viagra", "CASINO"])

    func status(_ body: String) -> CommentStatus {
        policy.decide(
            CommentDraft(post: "/p/", parent: nil, author: "A", url: nil, body: body, emailHash: "e", ipHash: nil),
            standing: AuthorStanding(hasApprovedComment: false, isBlocked: false))
    }

    @Test func lookAlikeSpellingsOfAWordStillMatch() {
        for dodge in [
            "via\u{200B}gra", "viagr\u{E1}", "viagra\u{301}", "VIAGRA", "ｖｉａｇｒａ", "v\u{AD}iagra", "vi\u{2060}agra",
            "cas\u{131}no".replacingOccurrences(of: "\u{131}", with: "i"), "Casino",
        ] {
            #expect(status("buy \(dodge) now") == .spam, "\(dodge.unicodeScalars.map { String($0.value, radix: 16) })")
        }
        #expect(status("a fine comment") == .approved)
    }

    @Test func kanaVoicingMarksAreKept() {
        #expect(status("ばかり") == .approved, "ば is not は")
        #expect(status("は\u{3099}かり") == .approved, "nor is は + U+3099")
        #expect(status("はい") == .pending)
        #expect(WordFolding.fold("は\u{3099}") == "ば")
    }

    @Test func foldingIsOneFunction() {
        #expect(WordFolding.fold("Straße") == "strasse")
        #expect(WordFolding.fold("Ｃａｆé\u{200B}") == "cafe")
        #expect(WordFolding.fold("naïve") == "naive")
    }
}
