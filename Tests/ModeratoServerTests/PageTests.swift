import Foundation
import HTTPTypes
import HummingbirdTesting
import ModeratoStore
import Testing

@testable import ModeratoServer

/// SPEC §3.5: the demo page and the embed script, as the server serves them. The behaviour in a
/// real browser (JavaScript on and off) is tested by Tests/Browser/run.sh.
@Suite("The page: /demo/, /embed.js, /moderato.css")
struct PageTests {
    @Test func theDemoPageRendersApprovedCommentsAndAPlainForm() async throws {
        let env = TestEnvironment()
        try await env.seed([.approved, .pending], post: "/demo/", body: { "デモのコメント \($0) <b>x</b>" })
        try await env.run { client async throws in
            let page = try await client.execute(uri: "/demo/", method: .get)
            #expect(page.status == .ok)
            #expect(page.headers[.contentType] == "text/html; charset=utf-8")
            let html = page.text
            #expect(html.contains("<html lang=\"ja\">"))
            #expect(html.contains("トランプ政権下の停戦・和平交渉の経緯"))
            #expect(html.contains("デモのコメント 0 &lt;b&gt;x&lt;/b&gt;"), "approved, escaped")
            #expect(!html.contains("デモのコメント 1"), "pending comments are not shown")
            for fragment in [
                "name=\"comment\"", "name=\"author\"", "name=\"email\"", "name=\"url\"", "name=\"comment_post_ID\" value=\"/demo/\"",
                "name=\"comment_parent\" value=\"0\"", "name=\"wp-comment-cookies-consent\"", "メールアドレスが公開されることはありません。",
                "<label for=\"author\">名前 <span class=\"required\">※</span></label>",
                "<script src=\"/embed.js\" data-moderato-post=\"/demo/\" defer></script>",
            ] {
                #expect(html.contains(fragment), "\(fragment)")
            }
            #expect(
                html.contains("<div class=\"moderato-hp\" aria-hidden=\"true\">") && html.contains("tabindex=\"-1\""),
                "the honeypot is hidden from people and screen readers")
            #expect(!html.contains("<script>") && !html.contains("style=\""), "no inline script or style (CSP)")
            #expect(page.headers[.contentSecurityPolicy]?.contains("script-src 'self'") == true)
            #expect(!html.contains("承認待ち</p>") && !html.contains("承認されるとここに表示されます。</p>"))

            let pending = try await client.execute(uri: "/demo/?moderato=pending", method: .get)
            #expect(pending.text.contains("<p>コメントは承認待ちです。承認されるとここに表示されます。</p>"))
        }
    }

    @Test func aPlainFormPostFromTheDemoLandsBackOnItsPendingNotice() async throws {
        let env = TestEnvironment()
        try await env.run { client async throws in
            let response = try await client.postForm(
                commentForm(body: "はじめまして", author: "太郎", post: "/demo/", extra: [("redirect_to", "http://127.0.0.1:8080/demo/")]),
                path: "/wp-comments-post.php"
            )
            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == "http://127.0.0.1:8080/demo/?moderato=pending#comments")
        }
    }

    @Test func aClosedDemoPostShowsNoFormAtOnce() async throws {
        let env = TestEnvironment()
        try await env.run { client async throws in
            #expect(try await client.execute(uri: "/demo/", method: .get).text.contains("id=\"commentform\""))
            try await env.store().setPostClosed("/demo/", closed: true)
            var page = try await client.execute(uri: "/demo/", method: .get).text
            let deadline = ContinuousClock.now + .seconds(5)  // generous: freshness is checked per request
            while page.contains("id=\"commentform\""), ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
                page = try await client.execute(uri: "/demo/", method: .get).text
            }
            #expect(page.contains("この記事へのコメントは受け付けていません。"))
            #expect(!page.contains("id=\"commentform\""))
        }
    }

    @Test func theDemoCanBeTurnedOff() async throws {
        let env = TestEnvironment { $0.site.demo = false }
        try await env.run { client async throws in
            #expect(try await client.execute(uri: "/demo/", method: .get).status == .notFound)
            #expect(try await client.execute(uri: "/embed.js", method: .get).status == .ok, "the embed script stays")
        }
    }

    @Test func theEmbedScriptIsSmallCachedLongAndRevalidatable() async throws {
        let env = TestEnvironment()
        try await env.run { client async throws in
            let script = try await client.execute(uri: "/embed.js", method: .get)
            #expect(script.status == .ok)
            #expect(script.headers[.contentType] == "text/javascript; charset=utf-8")
            #expect(script.body.readableBytes <= 10 * 1024)
            #expect(script.headers[.cacheControl] == "public, max-age=86400")
            let etag = try #require(script.headers[.eTag])
            #expect(try await client.execute(uri: "/embed.js", method: .get, headers: [.ifNoneMatch: etag]).status == .notModified)
            #expect(script.text.contains("data-moderato-post") || script.text.contains("moderato-comments"))
            let css = try await client.execute(uri: "/moderato.css", method: .get)
            #expect(css.status == .ok)
            #expect(css.headers[.contentType] == "text/css; charset=utf-8")
            #expect(css.text.contains(".moderato-hp"))
        }
    }
}
