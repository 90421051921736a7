import Foundation
import HTTPTypes
import HummingbirdTesting
import ModeratoCore
import ModeratoStore
import Testing

@testable import ModeratoServer

/// Every person is answered in the page's language (SPEC §5): `Accept-Language` picks among the
/// catalogues, else `site.language`; `Content-Language` and `<html lang>` say which.
@Suite("Languages: negotiation, localized pages and problems, dates")
struct LanguageTests {
    /// A browser's form post missing the name, in a language.
    func formWithoutName(_ client: some TestClientProtocol, language: String?) async throws -> TestResponse {
        var headers: HTTPFields = [.accept: "text/html,application/xhtml+xml,*/*;q=0.8"]
        if let language { headers[.acceptLanguage] = language }
        return try await client.postForm(commentForm(body: "名前を忘れました", author: ""), path: "/wp-comments-post.php", headers: headers)
    }

    func jsonWithoutNameAndEmail(_ client: some TestClientProtocol, language: String?) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if let language { headers[.acceptLanguage] = language }
        return try await client.postJSON(commentJSON(author: " ", email: "not-an-address"), headers: headers)
    }

    @Test func aJapaneseReaderGetsTheJapanese422PageFromAPlainForm() async throws {
        try await TestEnvironment().run { client async throws in
            let page = try await formWithoutName(client, language: "ja-JP,ja;q=0.9,en;q=0.8")
            #expect(page.status == .unprocessableContent)
            #expect(page.headers[.contentLanguage] == "ja")
            #expect(page.headers[.vary]?.contains("Accept-Language") == true)
            #expect(page.headers[.vary]?.contains("Origin") == true, "CORS keeps its own Vary")
            let html = page.text
            #expect(html.contains("<html lang=\"ja\">"))
            #expect(html.contains("<title>コメントを投稿できませんでした</title>"))
            #expect(html.contains("<li>名前を入力してください。</li>"))
            #expect(html.contains("<p class=\"moderato-error\" id=\"author-error\">名前を入力してください。</p>"))
            #expect(html.contains("<label for=\"author\">名前 <span class=\"required\">※</span></label>"))
            #expect(html.contains("<button type=\"submit\">コメントを送信</button>"))
            #expect(html.contains(">名前を忘れました</textarea>"), "what was typed is kept")
            #expect(!html.contains("Please enter your name"))
        }
    }

    @Test func aJapaneseScriptGetsJapaneseProblemsWithJSONFieldNames() async throws {
        try await TestEnvironment().run { client async throws in
            let response = try await jsonWithoutNameAndEmail(client, language: "ja")
            #expect(response.status == .unprocessableContent)
            #expect(response.headers[.contentType] == "application/problem+json")
            #expect(response.headers[.contentLanguage] == "ja")
            let json = try response.json()
            #expect(json["title"] as? String == "コメントを受け付けられませんでした")
            let errors = try #require(json["errors"] as? [[String: String]])
            #expect(errors.map { $0["field"] } == ["author", "email"])
            #expect(
                errors.map { $0["message"] } == ["名前を入力してください。", "有効なメールアドレスを入力してください（例：name@example.org）。"])
            #expect(json["detail"] as? String == "名前を入力してください。有効なメールアドレスを入力してください（例：name@example.org）。")
        }
    }

    @Test func britishEnglishGetsEnglishAndAnUnsupportedLanguageGetsTheSiteLanguage() async throws {
        try await TestEnvironment().run { client async throws in
            let british = try await jsonWithoutNameAndEmail(client, language: "en-GB")
            #expect(british.headers[.contentLanguage] == "en")
            #expect(
                try british.json()["detail"] as? String
                    == "Please enter your name. Please enter a valid email address, such as name@example.org.")
            let page = try await formWithoutName(client, language: "en-GB,en;q=0.9")
            #expect(page.text.contains("<html lang=\"en\">") && page.text.contains("<li>Please enter your name.</li>"))

            let french = try await jsonWithoutNameAndEmail(client, language: "fr-FR, fr;q=0.9, de;q=0.5")
            #expect(french.headers[.contentLanguage] == "en", "site.language by default")
            let none = try await jsonWithoutNameAndEmail(client, language: nil)
            #expect(none.headers[.contentLanguage] == "en")
        }
        let japaneseSite = TestEnvironment { $0.site.language = "ja" }
        try await japaneseSite.run { client async throws in
            let french = try await formWithoutName(client, language: "fr")
            #expect(french.headers[.contentLanguage] == "ja")
            #expect(french.text.contains("<html lang=\"ja\">") && french.text.contains("<li>名前を入力してください。</li>"))
            let english = try await jsonWithoutNameAndEmail(client, language: "en-US")
            #expect(english.headers[.contentLanguage] == "en", "a language Moderato speaks beats site.language")
        }
    }

    @Test func qualityValuesDecide() async throws {
        try await TestEnvironment().run { client async throws in
            for (header, expected) in [
                ("en;q=0.5, ja;q=0.8", "ja"), ("ja;q=0.5, en", "en"), ("fr, ja;q=0.1", "ja"), ("ja;q=0, *", "en"),
                ("*;q=0.5, ja;q=0.4", "en"), ("JA", "ja"), ("ja;q=abc, en;q=0.1", "en"), ("ja-Latn-JP-x-private", "ja"),
                ("en;q=0, ja;q=0", "en"), ("ja;q=1.5", "en"),
            ] {
                let response = try await jsonWithoutNameAndEmail(client, language: header)
                #expect(response.headers[.contentLanguage] == expected, "\(header)")
            }
        }
    }

    @Test func everyRefusalIsWordedInTheRequestsLanguage() async throws {
        let env = TestEnvironment()
        try await env.run { client async throws in
            let ja: HTTPFields = [.acceptLanguage: "ja"]
            let missing = try await client.execute(uri: "/nowhere", method: .get, headers: ja)
            #expect(missing.status == .notFound)
            #expect(missing.headers[.contentLanguage] == "ja")
            #expect(try missing.json()["title"] as? String == "見つかりません")
            #expect(try missing.json()["detail"] as? String == "このアドレスには何もありません。")

            let query = try await client.execute(uri: "/comments?post=/p/&limit=0", method: .get, headers: ja)
            #expect(query.status == .badRequest)
            let errors = try #require(try query.json()["errors"] as? [[String: String]])
            #expect(errors == [["field": "limit", "message": "limit パラメーターは 1〜200 の整数で指定してください。"]])

            let unsupported = try await client.postRaw(Data("x".utf8), contentType: "text/plain", headers: ja)
            #expect(unsupported.status == .unsupportedMediaType)
            #expect((try unsupported.json()["detail"] as? String)?.contains("text/plain には対応していません") == true)

            let token = try await client.execute(uri: "/moderation/comments", method: .get, headers: ja)
            #expect(token.status == .unauthorized)
            #expect(try token.json()["title"] as? String == "認証が必要です")

            // A closed post, refused to a browser: the refusal page in Japanese, with the text.
            try await env.store().setPostClosed("/closed/", closed: true)
            let closed = try await client.postForm(
                commentForm(body: "閉じた記事へ", post: "/closed/"), headers: [.accept: "text/html", .acceptLanguage: "ja"])
            #expect(closed.status == .forbidden)
            #expect(closed.headers[.contentLanguage] == "ja")
            #expect(closed.text.contains("<h1>コメントは受け付けていません</h1>"))
            #expect(closed.text.contains("この記事へのコメントは受け付けていません。"))
            #expect(closed.text.contains(">閉じた記事へ</textarea>"))

            // English stays as it was.
            let english = try await client.execute(uri: "/nowhere", method: .get)
            #expect(try english.json()["title"] as? String == "Not Found")
            #expect(try english.json()["detail"] as? String == "There is nothing at this address.")
        }
    }

    @Test func theDemoIsJapaneseWithItsFeedsAndDatesInTheSiteTimeZone() async throws {
        let env = TestEnvironment { $0.site.timeZone = TimeZone(identifier: "Asia/Tokyo")! }
        // 2025-11-27 05:03 UTC is 14:03 in Tokyo.
        let written = Date(timeIntervalSince1970: 1_764_219_780)
        let store = try await StoreFactory.open(env.configuration.storeLocation, create: true, clock: { written })
        let keyring = try Keyring(secret: SecretKeyFile.loadOrCreate(path: env.configuration.secretKeyFile))
        _ = try await store.submit(
            CommentDraft(
                post: "/demo/", parent: nil, author: "山田", url: nil, body: "日付の確認",
                emailHash: keyring.emailHash(normalizedEmail: "yamada@example.org"), ipHash: nil),
            rules: SubmissionRules(policy: ModerationPolicy(mode: .none, maxLinks: 0))
        ).get()
        try await env.run { client async throws in
            let page = try await client.execute(uri: "/demo/", method: .get, headers: [.acceptLanguage: "en"])
            #expect(page.headers[.contentLanguage] == "ja", "the demo article is Japanese, whoever reads it")
            let html = page.text
            #expect(html.contains("<html lang=\"ja\">"))
            #expect(html.contains("<time datetime=\"2025-11-27T05:03:00Z\">2025年11月27日 14:03</time>"))
            #expect(
                html.contains("<link rel=\"alternate\" type=\"application/atom+xml\" title=\"コメント（Atom）\" href=\"/feed.atom?post=/demo/\">")
            )
            #expect(
                html.contains(
                    "<link rel=\"alternate\" type=\"application/feed+json\" title=\"コメント（JSON Feed）\" href=\"/feed.json?post=/demo/\">"))
            #expect(html.contains("<h2>コメントを残す</h2>"))
            #expect(html.contains("data-pending-message=\"コメントは承認待ちです。承認されるとここに表示されます。\""))

            let api = try await client.execute(uri: "/comments?post=/demo/", method: .get)
            #expect(api.text.contains("\"created_at\":\"2025-11-27T05:03:00Z\""), "APIs keep RFC 3339 UTC")
            #expect(api.headers[.contentLanguage] == nil, "data, not words")
        }
    }

    @Test func datesPeopleReadTakeTheLanguagesUsualForm() {
        let moment = Date(timeIntervalSince1970: 1_764_219_780)  // 2025-11-27T05:03:00Z
        let utc = Localization(siteLanguage: "en", timeZone: TimeZone(identifier: "UTC")!)
        #expect(utc.localizer(language: "en").dateTime(moment) == "27 Nov 2025 05:03")
        #expect(utc.localizer(language: "ja").dateTime(moment) == "2025年11月27日 05:03")
        let tokyo = Localization(siteLanguage: "ja", timeZone: TimeZone(identifier: "Asia/Tokyo")!)
        #expect(tokyo.localizer().dateTime(moment) == "2025年11月27日 14:03")
        #expect(tokyo.localizer(language: "en").dateTime(moment) == "27 Nov 2025 14:03")
        let newYork = Localization(siteLanguage: "en", timeZone: TimeZone(identifier: "America/New_York")!)
        #expect(newYork.localizer().dateTime(moment) == "27 Nov 2025 00:03")
        #expect(newYork.localizer().dateTime(Date(timeIntervalSince1970: 1_751_418_000)) == "1 Jul 2025 21:00", "summer time: UTC−4")
    }

    @Test func acceptLanguageIsReadAsRFC9110Says() {
        let available = ["en", "ja", "pt-BR"]
        func best(_ header: String?) -> String? { AcceptLanguage(header).best(of: available, preferred: "en") }
        #expect(best("ja-JP") == "ja")
        #expect(best("en-GB, ja;q=0.9") == "en")
        #expect(best("pt") == "pt-BR", "a range finds a longer tag")
        #expect(best("pt-br") == "pt-BR")
        #expect(best("de, fr") == nil)
        #expect(best("") == nil)
        #expect(best(nil) == nil)
        #expect(best("*") == "en")
        #expect(best("en;q=0, *") == "ja")
        #expect(best("ja;q=0.3, en;q=0.3") == "ja", "equal weights keep the client's order")
        #expect(best("<script>, ja") == "ja", "a broken range is passed over")
        #expect(best(String(repeating: "xx, ", count: 100) + "ja") == nil, "a very long header is read only so far")
    }

    @Test func theEmbedScriptCarriesEveryLanguagesStringsAndTheSiteSettings() async throws {
        let env = TestEnvironment {
            $0.site.language = "ja"
            $0.site.timeZone = TimeZone(identifier: "Asia/Tokyo")!
        }
        try await env.run { client async throws in
            let script = try await client.execute(uri: "/embed.js", method: .get)
            let text = script.text
            #expect(!text.contains("MODERATO_I18N"), "the strings were written in")
            #expect(text.contains("\"language\":\"ja\"") && text.contains("\"timeZone\":\"Asia/Tokyo\""))
            #expect(text.contains("\"pending\":\"コメントは承認待ちです。\""))
            #expect(text.contains("\"pending\":\"Your comment is awaiting moderation.\""))
            #expect(text.contains("\"format.date_time\":\"{year}年{month}月{day}日 {hour}:{minute}\""))
            #expect(text.contains("'Accept-Language': lang"))
            #expect(script.body.readableBytes <= 10 * 1024)
        }
    }

    @Test func aCORSPreflightAllowsTheLanguageHeader() async throws {
        try await TestEnvironment().run { client async throws in
            let preflight = try await client.execute(
                uri: "/comments", method: .options,
                headers: [
                    .origin: "http://localhost:8080", .accessControlRequestMethod: "POST",
                    .accessControlRequestHeaders: "content-type, accept-language",
                ])
            #expect(preflight.headers[.accessControlAllowHeaders]?.contains("Accept-Language") == true)
        }
    }
}
