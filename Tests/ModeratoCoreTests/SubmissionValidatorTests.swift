import ModeratoCore
import Testing

@Suite("Submission rules (SPEC §3.1)")
struct SubmissionValidatorTests {
    let validator = SubmissionValidator(limits: SubmissionLimits())

    func valid(
        body: String? = "Thanks for the timeline.", author: String? = "Taro", email: String? = "taro@example.org",
        url: String? = nil, post: String? = "/2025/11/peace-talks/", parent: String? = nil
    ) -> Submission {
        Submission(body: body, author: author, email: email, url: url, post: post, parent: parent)
    }

    func fields(_ submission: Submission) -> [String] {
        switch validator.validate(submission) {
        case .success: []
        case .failure(let errors): errors.fields.map(\.field)
        }
    }

    @Test func acceptsAnOrdinaryComment() throws {
        let result = try validator.validate(valid(url: "https://taro.example.jp/")).get()
        #expect(result.author == "Taro")
        #expect(result.normalizedEmail == "taro@example.org")
        #expect(result.url == "https://taro.example.jp/")
        #expect(result.parent == nil)
        #expect(!result.isHoneypotFilled)
    }

    @Test func reportsEveryMissingRequiredFieldAtOnce() {
        #expect(fields(Submission()) == ["body", "author", "email", "post"])
        #expect(fields(valid(body: "  \n ", author: "\t", email: " ")) == ["body", "author", "email"])
    }

    @Test func trimsAndNormalises() throws {
        let result = try validator.validate(valid(body: "\n Hello\r\nworld \n", author: "  Taro ", email: " Taro@Example.ORG ")).get()
        #expect(result.body == "Hello\nworld")
        #expect(result.author == "Taro")
        #expect(result.normalizedEmail == "taro@example.org")
    }

    @Test func authorLimitIsInBytesAtTheExactBoundary() {
        #expect(fields(valid(author: String(repeating: "a", count: 245))) == [])
        #expect(fields(valid(author: String(repeating: "a", count: 246))) == ["author"])
        // "名" is 3 bytes in UTF-8: 81 of them are 243 bytes, 82 are 246.
        #expect(fields(valid(author: String(repeating: "名", count: 81) + "ab")) == [])
        #expect(fields(valid(author: String(repeating: "名", count: 82))) == ["author"])
    }

    @Test func bodyEmailAndURLLimitsAtTheirBoundaries() {
        #expect(fields(valid(body: String(repeating: "x", count: 65525))) == [])
        #expect(fields(valid(body: String(repeating: "x", count: 65526))) == ["body"])
        let local = String(repeating: "a", count: 64)
        let email100 = local + "@" + String(repeating: "b", count: 31) + ".org"  // 64 + 1 + 35 = 100
        #expect(email100.utf8.count == 100)
        #expect(fields(valid(email: email100)) == [])
        #expect(fields(valid(email: local + "@" + String(repeating: "b", count: 32) + ".org")) == ["email"])
        let url200 = "https://example.org/" + String(repeating: "p", count: 180)
        #expect(url200.utf8.count == 200)
        #expect(fields(valid(url: url200)) == [])
        #expect(fields(valid(url: url200 + "p")) == ["url"])
    }

    @Test(arguments: [
        "taro", "taro@", "@example.org", "taro@example", "ta ro@example.org", "taro@@example.org",
        "taro@exa_mple.org", ".taro@example.org", "ta..ro@example.org", "taro@-example.org", "たろう@example.jp",
    ])
    func refusesMalformedEmail(_ email: String) {
        #expect(fields(valid(email: email)) == ["email"])
    }

    @Test(arguments: ["taro@example.org", "t.a+r-o@mail.example.co.jp", "TARO@EXAMPLE.ORG", "o'neil@example.ie"])
    func acceptsWellFormedEmail(_ email: String) {
        #expect(fields(valid(email: email)) == [])
    }

    @Test(arguments: [
        "javascript:alert(1)", "ftp://example.org/", "example.org", "//example.org/", "http://",
        "https://exa mple.org/", "http://user@example.org/", "data:text/html,hi", "https://example.org:99999/",
    ])
    func refusesURLsThatAreNotAbsoluteHTTP(_ url: String) {
        #expect(fields(valid(url: url)) == ["url"])
    }

    @Test(arguments: [
        "https://example.org/\"onmouseover=x", "https://example.org/<b>", "https://example.org/it's", "https://example.org/a`b",
        "https://example.org/?q=>",
    ])
    func refusesURLsWithCharactersThatBreakAnAttribute(_ url: String) {
        #expect(fields(valid(url: url)) == ["url"])
    }

    @Test func normalisesThePostKeyToNFC() throws {
        #expect(try Array(validator.validate(valid(post: " /cafe\u{301}/ ")).get().post.text.utf8) == Array("/caf\u{E9}/".utf8))
    }

    @Test func acceptsHTTPAndHTTPSAndIgnoresAnEmptyWebsite() throws {
        #expect(fields(valid(url: "http://example.org")) == [])
        #expect(fields(valid(url: "HTTPS://Example.org:8443/a?b=c#d")) == [])
        #expect(try validator.validate(valid(url: "   ")).get().url == nil)
    }

    @Test func refusesControlCharactersInNamesAndBodies() {
        #expect(fields(valid(author: "Ta\u{0}ro")) == ["author"])
        #expect(fields(valid(author: "Ta\nro")) == ["author"])
        #expect(fields(valid(author: "Ta\u{1B}[31mro")) == ["author"])
        #expect(fields(valid(body: "bell\u{7}")) == ["body"])
        #expect(fields(valid(body: "line one\nline two\ttabbed")) == [])
    }

    @Test func postKeyIsAPathOrANumber() {
        #expect(fields(valid(post: "/")) == [])
        #expect(fields(valid(post: "42")) == [])
        #expect(fields(valid(post: "p/1")) == ["post"])
        #expect(fields(valid(post: "/" + String(repeating: "a", count: 511))) == [])
        #expect(fields(valid(post: "/" + String(repeating: "a", count: 512))) == ["post"])
        #expect(fields(valid(post: "/a\u{0}b")) == ["post"])
    }

    @Test func parentZeroOrAbsentIsTopLevel() throws {
        #expect(try validator.validate(valid(parent: "0")).get().parent == nil)
        #expect(try validator.validate(valid(parent: "")).get().parent == nil)
        #expect(try validator.validate(valid(parent: "12")).get().parent == 12)
    }

    @Test(arguments: ["-1", "abc", "1.5", "99999999999999999999999", "0x10", "1e3"])
    func absurdParentsAreFieldErrors(_ parent: String) {
        #expect(fields(valid(parent: parent)) == ["parent"])
    }

    @Test func honeypotIsCarriedThrough() throws {
        var submission = valid()
        submission.honeypot = "http://spam.example/"
        #expect(try validator.validate(submission).get().isHoneypotFilled)
    }

    @Test func messagesNameTheirCatalogueKeyAndTheNumbersTheyMention() {
        // Core says what to tell and with which values; the server's catalogues word it (ServerTests).
        guard case .failure(let errors) = validator.validate(valid(author: String(repeating: "a", count: 246))) else {
            Issue.record("expected a failure")
            return
        }
        #expect(errors.fields.first?.message == Message("field.author.too_long", ["limit": "245", "count": "246"]))
    }
}
