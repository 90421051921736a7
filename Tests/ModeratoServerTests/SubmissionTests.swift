import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ModeratoCore
import ModeratoStore
import Testing

@testable import ModeratoServer

/// Every row and outcome of SPEC §3.1, through the real router.
@Suite("POST /comments")
struct SubmissionTests {
    // MARK: Accepted

    @Test func aFormPostIsHeldAndRedirectsToThePendingNotice() async throws {
        let env = TestEnvironment()
        try await env.run { client async throws in
            let response = try await client.postForm(commentForm())
            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == "http://127.0.0.1:8080/2025/11/peace-talks/?moderato=pending#comments")
        }
        let rows = try env.rows("SELECT post, status, author, parent FROM comments")
        #expect(rows.count == 1)
        #expect(rows.first?["post"] == "/2025/11/peace-talks/")
        #expect(rows.first?["status"] == "pending")
        #expect(rows.first?["author"] == "Taro")
        #expect(rows.first?["parent"] as Int64? == nil)
    }

    @Test func aPublishedFormPostRedirectsToTheComment() async throws {
        let env = TestEnvironment { $0.moderation.mode = .none }
        try await env.run { client async throws in
            let response = try await client.postForm(commentForm())
            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == "http://127.0.0.1:8080/2025/11/peace-talks/#comment-1")
        }
    }

    @Test func theWordPressAliasAndThePostFieldNameWork() async throws {
        let env = TestEnvironment()
        try await env.run { client async throws in
            let alias = try await client.postForm(commentForm(), path: "/wp-comments-post.php")
            #expect(alias.status == .seeOther)
            let fields = [("comment", "Numbered post"), ("author", "Hanako"), ("email", "hanako@example.org"), ("post", "42")]
            let numbered = try await client.postForm(fields)
            #expect(numbered.status == .seeOther)
            #expect(numbered.headers[.location] == "http://127.0.0.1:8080/?p=42&moderato=pending#comments")
        }
        #expect(try env.rows("SELECT post FROM comments ORDER BY id").map { $0["post"] as String } == ["/2025/11/peace-talks/", "42"])
    }

    @Test func redirectToAndRefererAreFollowedOnlyOnAllowedOrigins() async throws {
        let env = TestEnvironment { $0.moderation.mode = .none }
        try await env.run { client async throws in
            let allowed = try await client.postForm(
                commentForm(body: "a", extra: [("redirect_to", "http://localhost:8080/blog/post.html?x=1#old")]))
            #expect(allowed.headers[.location] == "http://localhost:8080/blog/post.html?x=1#comment-1")

            let relative = try await client.postForm(commentForm(body: "b", extra: [("redirect_to", "/elsewhere/")]))
            #expect(relative.headers[.location] == "http://127.0.0.1:8080/elsewhere/#comment-2")

            let page = "http://127.0.0.1:8080/2025/11/peace-talks/"
            for hostile in [
                "https://evil.example/", "//evil.example/", "/\\evil.example", "http://127.0.0.1:8080@evil.example/",
                "http://127.0.0.1:8080.evil.example/", "javascript:alert(1)", "http://127.0.0.1:8080/\r\nSet-Cookie: x=1",
            ] {
                let response = try await client.postForm(commentForm(body: "hostile \(hostile)", extra: [("redirect_to", hostile)]))
                #expect(response.status == .seeOther)
                #expect(response.headers[.location]?.hasPrefix(page + "#comment-") == true, "\(hostile) must not be followed")
            }

            let referred = try await client.postForm(commentForm(body: "c"), headers: [.referer: "http://127.0.0.1:8080/from/referer/"])
            #expect(referred.headers[.location]?.hasPrefix("http://127.0.0.1:8080/from/referer/#comment-") == true)
            let foreignReferer = try await client.postForm(commentForm(body: "d"), headers: [.referer: "https://evil.example/"])
            #expect(foreignReferer.headers[.location]?.hasPrefix(page + "#comment-") == true)
        }
    }

    @Test func aJSONPostAnswers201WithThePublicCommentAndItsStatus() async throws {
        let env = TestEnvironment()
        try await env.run { client async throws in
            var object = commentJSON(body: "Line one\n\n<b>bold?</b> https://example.org/x")
            object["url"] = "https://taro.example.jp/"
            let response = try await client.postJSON(object)
            #expect(response.status == .created)
            #expect(response.headers[.location] == "/comments/1")
            #expect(response.headers[.contentType] == "application/json")
            let json = try response.json()
            #expect(json["id"] as? Int == 1)
            #expect(json["status"] as? String == "pending")
            #expect(json["post"] as? String == "/2025/11/peace-talks/")
            #expect(json["parent"] is NSNull)
            let author = json["author"] as? [String: Any]
            #expect(author?["name"] as? String == "Taro")
            #expect(author?["url"] as? String == "https://taro.example.jp/")
            #expect((author?["avatar"] as? String)?.count == 16)
            #expect(
                json["body_html"] as? String
                    == "<p>Line one</p><p>&lt;b&gt;bold?&lt;/b&gt; <a href=\"https://example.org/x\" rel=\"nofollow ugc noopener\">https://example.org/x</a></p>"
            )
            #expect((json["created_at"] as? String)?.hasSuffix("Z") == true)
            #expect(Set(json.keys) == ["id", "post", "parent", "author", "body_html", "created_at", "status"])
            #expect(!response.text.contains("taro@example.org"))
        }
    }

    @Test func aFormClientThatAsksForJSONGetsJSON() async throws {
        let env = TestEnvironment { $0.moderation.mode = .none }
        try await env.run { client async throws in
            let response = try await client.postForm(commentForm(), headers: [.accept: "application/json"])
            #expect(response.status == .created)
            #expect(try response.json()["status"] as? String == "approved")
        }
    }

    @Test func unknownFieldsAreIgnored() async throws {
        let env = TestEnvironment()
        try await env.run { client async throws in
            let form = try await client.postForm(commentForm(extra: [("submit", "Post Comment"), ("wp_nonce", "x"), ("akismet", "1")]))
            #expect(form.status == .seeOther)
            var object = commentJSON(body: "other")
            object["extra"] = ["nested": [1, 2, 3]]
            #expect(try await client.postJSON(object).status == .created)
        }
    }

    // MARK: Invalid (422)

    @Test func anInvalidFormGetsAReadableHTMLPageListingEveryProblemAndKeepingTheText() async throws {
        let env = TestEnvironment()
        try await env.run { client async throws in
            let response = try await client.postForm([
                ("comment", "My <careful> words"), ("author", ""), ("email", "not-an-address"), ("url", "ftp://x"),
                ("comment_post_ID", "/p/"),
            ])
            #expect(response.status == .unprocessableContent)
            #expect(response.headers[.contentType] == "text/html; charset=utf-8")
            let html = response.text
            #expect(html.contains("Please enter your name."))
            #expect(html.contains("Please enter a valid email address"))
            #expect(html.contains("The website must be a full address"))
            #expect(html.contains("My &lt;careful&gt; words"), "what was typed comes back, escaped")
            #expect(html.contains("value=\"not-an-address\""))
            #expect(!html.contains("<careful>"))
        }
        #expect(try env.count() == 0)
    }

    @Test func anInvalidJSONPostGetsProblemDetailsWithEveryField() async throws {
        let env = TestEnvironment()
        try await env.run { client async throws in
            let response = try await client.postJSON([
                "body": " ", "email": "x@", "url": "javascript:alert(1)", "post": "no-slash", "parent": "-3",
            ])
            #expect(response.status == .unprocessableContent)
            #expect(response.headers[.contentType] == "application/problem+json")
            let json = try response.json()
            #expect(json["status"] as? Int == 422)
            #expect(json["type"] as? String == "about:blank")
            #expect((json["title"] as? String)?.isEmpty == false)
            #expect((json["detail"] as? String)?.isEmpty == false)
            #expect(try response.errorFields() == ["body", "author", "email", "url", "post", "parent"])
        }
        #expect(try env.count() == 0)
    }

    @Test func jsonValuesOfTheWrongTypeAreFieldErrors() async throws {
        let env = TestEnvironment()
        try await env.run { client async throws in
            let response = try await client.postJSON(["body": "ok", "author": 12, "email": ["a@b.org"], "post": 7, "parent": true])
            #expect(response.status == .unprocessableContent)
            #expect(try Set(response.errorFields()) == ["author", "email", "parent"])
        }
    }

    @Test func limitsHoldAtTheirExactBoundariesInBytes() async throws {
        let env = TestEnvironment()
        try await env.run { client async throws in
            #expect(try await client.postForm(commentForm(author: String(repeating: "a", count: 245))).status == .seeOther)
            let tooLong = try await client.postJSON(commentJSON(body: "x", author: String(repeating: "a", count: 246)))
            #expect(tooLong.status == .unprocessableContent)
            #expect(try tooLong.errorFields() == ["author"])
            // 81 × "名" (3 bytes) + "ab" = 245 bytes; 82 × "名" = 246 bytes.
            #expect(try await client.postJSON(commentJSON(body: "y", author: String(repeating: "名", count: 81) + "ab")).status == .created)
            #expect(
                try await client.postJSON(commentJSON(body: "z", author: String(repeating: "名", count: 82))).status == .unprocessableContent
            )
        }
        #expect(try env.count() == 2)
    }

    // MARK: Malformed, unsupported, too large

    @Test func malformedBodiesAre400AndStoreNothing() async throws {
        let env = TestEnvironment()
        try await env.run { client async throws in
            let form = "application/x-www-form-urlencoded"
            let cases: [(Data, String)] = [
                (Data("comment=100%&author=a&email=a@b.org&post=/p/".utf8), form),
                (Data("comment=%zz&author=a&email=a@b.org&post=/p/".utf8), form),
                (Data("comment=%FF%FE&author=a&email=a@b.org&post=/p/".utf8), form),
                (Data("comment=%C0%AF&author=a&email=a@b.org&post=/p/".utf8), form),  // overlong "/"
                (Data([0x7B, 0x22, 0x62, 0x6F, 0x64, 0x79, 0x22, 0x3A, 0x22, 0xFF, 0x22, 0x7D]), "application/json"),
                (Data("[1, 2, 3]".utf8), "application/json"),
                (Data("\"just a string\"".utf8), "application/json"),
                (Data("{\"body\": \"unterminated".utf8), "application/json"),
                (Data("".utf8), "application/json"),
            ]
            for (body, type) in cases {
                let response = try await client.postRaw(body, contentType: type)
                #expect(response.status == .badRequest, "\(String(decoding: body, as: UTF8.self))")
                #expect(response.headers[.contentType] == "application/problem+json")
                #expect((try response.json()["detail"] as? String)?.isEmpty == false)
            }
        }
        #expect(try env.count() == 0)
    }

    @Test func wrongContentTypesAre415() async throws {
        let env = TestEnvironment()
        try await env.run { client async throws in
            let body = Data("comment=hi&author=a&email=a@b.org&post=/p/".utf8)
            for type in [
                "text/plain", "multipart/form-data; boundary=x", "application/xml", nil,
                "application/x-www-form-urlencoded; charset=iso-8859-1",
            ] as [String?] {
                let response = try await client.postRaw(body, contentType: type)
                #expect(response.status == .unsupportedMediaType, "\(type ?? "no content type")")
            }
            let charsetOK = try await client.postRaw(body, contentType: "application/x-www-form-urlencoded; charset=UTF-8")
            #expect(charsetOK.status == .seeOther)
        }
    }

    @Test func bodiesOverTheLimitAre413() async throws {
        let env = TestEnvironment { $0.limits.requestBody = 2048 }
        try await env.run { client async throws in
            let big = try await client.postForm(commentForm(body: String(repeating: "x", count: 3000)))
            #expect(big.status == .contentTooLarge)
            #expect(big.headers[.contentType] == "application/problem+json")
            let fits = try await client.postForm(commentForm(body: String(repeating: "x", count: 1900)))
            #expect(fits.status == .seeOther)
        }
        #expect(try env.count() == 1)
    }

    // MARK: Refused by the store

    @Test func aClosedPostIs403() async throws {
        let env = TestEnvironment()
        try await env.store().setPostClosed("/closed/", closed: true)
        try await env.run { client async throws in
            let json = try await client.postJSON(commentJSON(post: "/closed/"))
            #expect(json.status == .forbidden)
            #expect(try json.json()["detail"] as? String == "Comments are closed for this article.")
            let browser = try await client.postForm(commentForm(post: "/closed/"), headers: [.accept: "text/html,*/*;q=0.8"])
            #expect(browser.status == .forbidden)
            #expect(browser.headers[.contentType] == "text/html; charset=utf-8")
            #expect(browser.text.contains("Comments are closed for this article."))
        }
        #expect(try env.count() == 0)
    }

    @Test func aParentThatIsMissingUnapprovedOrElsewhereIs422OnParent() async throws {
        let env = TestEnvironment { $0.moderation.mode = .none }
        let store = try await env.store()
        let held = try await store.submit(
            CommentDraft(post: "/p/", parent: nil, author: "A", url: nil, body: "held", emailHash: "h", ipHash: nil),
            rules: SubmissionRules(policy: ModerationPolicy(mode: .all))
        ).get()
        try await env.run { client async throws in
            let parent = try await client.postJSON(commentJSON(body: "parent", post: "/p/"))
            let parentID = try #require(try parent.json()["id"] as? Int)
            let other = try await client.postJSON(commentJSON(body: "other", post: "/other/"))
            let otherID = try #require(try other.json()["id"] as? Int)

            var reply = commentJSON(body: "reply", post: "/p/")
            reply["parent"] = parentID
            let ok = try await client.postJSON(reply)
            #expect(ok.status == .created)
            #expect(try ok.json()["parent"] as? Int == parentID)

            for bad in [99_999, Int(held.id), otherID] {
                reply["parent"] = bad
                reply["body"] = "reply to \(bad)"
                let response = try await client.postJSON(reply)
                #expect(response.status == .unprocessableContent)
                #expect(try response.errorFields() == ["parent"])
                if bad == 99_999 {
                    #expect(!response.text.contains("99999"), "never echo comment ids")
                }
            }
            let form = try await client.postForm(
                commentForm(post: "/p/", extra: []).map { $0.0 == "comment_parent" ? ($0.0, "99999") : $0 })
            #expect(form.status == .unprocessableContent)
            #expect(form.headers[.contentType] == "text/html; charset=utf-8")
        }
    }

    @Test func anExactDuplicateIs409() async throws {
        let env = TestEnvironment()
        try await env.run { client async throws in
            #expect(try await client.postJSON(commentJSON()).status == .created)
            let again = try await client.postJSON(commentJSON())
            #expect(again.status == .conflict)
            #expect(again.headers[.contentType] == "application/problem+json")
            #expect(try await client.postJSON(commentJSON(email: "TARO@example.org ")).status == .conflict, "same normalised email")
        }
        #expect(try env.count() == 1)
    }

    @Test func theHoneypotAnswersLikeAPendingCommentButStoresSpam() async throws {
        let env = TestEnvironment { $0.moderation.mode = .none }
        try await env.run { client async throws in
            let bot = try await client.postForm(commentForm(extra: [("moderato_hp", "http://spam.example/")]))
            #expect(bot.status == .seeOther)
            #expect(bot.headers[.location] == "http://127.0.0.1:8080/2025/11/peace-talks/?moderato=pending#comments")
            var object = commentJSON(body: "json bot")
            object["moderato_hp"] = "x"
            let jsonBot = try await client.postJSON(object)
            #expect(jsonBot.status == .created)
            #expect(try jsonBot.json()["status"] as? String == "pending")
        }
        #expect(try env.rows("SELECT status FROM comments").map { $0["status"] as String } == ["spam", "spam"])
    }
}
