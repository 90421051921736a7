import Foundation
import HTTPTypes
import HummingbirdTesting
import ModeratoCore
import Testing

@testable import ModeratoServer

/// SPEC §3.2: approved comments only; no email, email hash or IP; safe HTML; cached, fresh, CORS.
@Suite("Public read API")
struct PublicAPITests {
    @Test func onlyApprovedCommentsAppearAnywherePublic() async throws {
        let env = TestEnvironment()
        let ids = try await env.seed([.approved, .pending, .spam, .trash, .approved], body: { "comment number \($0)" })
        try await env.run { client async throws in
            let list = try await client.execute(uri: "/comments?post=/p/", method: .get)
            #expect(list.status == .ok)
            let json = try list.json()
            #expect(json["post"] as? String == "/p/")
            #expect(json["total"] as? Int == 2)
            #expect(json["next"] is NSNull)
            let comments = try #require(json["comments"] as? [[String: Any]])
            #expect(comments.compactMap { $0["id"] as? Int } == [Int(ids[0]), Int(ids[4])])

            let feed = try await client.execute(uri: "/feed.json", method: .get)
            let items = try #require(try feed.json()["items"] as? [[String: Any]])
            #expect(items.compactMap { $0["id"] as? String } == [String(ids[4]), String(ids[0])], "newest first")

            let count = try await client.execute(uri: "/comments/count?post=/p/", method: .get)
            #expect(try count.json()["/p/"] as? Int == 2)

            for hidden in ids[1...3] {
                #expect(try await client.execute(uri: "/comments/\(hidden)", method: .get).status == .notFound)
            }
            #expect(try await client.execute(uri: "/comments/\(ids[0])", method: .get).status == .ok)
            for response in [list, feed, count] {
                for index in 1...3 {
                    #expect(!response.text.contains("comment number \(index)"))
                }
            }
        }
    }

    @Test func noPersonalDataKeyAnywhereInPublicJSON() async throws {
        let env = TestEnvironment()
        try await env.seed([.approved, .approved])
        try await env.run { client async throws in
            for uri in ["/comments?post=/p/", "/feed.json", "/feed.json?post=/p/", "/comments/1", "/comments/count?post=/p/"] {
                let response = try await client.execute(uri: uri, method: .get)
                #expect(response.status == .ok, "\(uri)")
                let object = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))
                let keys = Self.allKeys(object)
                for forbidden in ["email", "email_hash", "ip", "ip_hash", "status"] {
                    #expect(!keys.contains(forbidden), "\(forbidden) in \(uri)")
                }
                #expect(!response.text.contains("seed@example.org"))
            }
        }
    }

    static func allKeys(_ value: Any) -> Set<String> {
        if let object = value as? [String: Any] {
            return object.reduce(into: Set(object.keys)) { $0.formUnion(allKeys($1.value)) }
        }
        if let array = value as? [Any] {
            return array.reduce(into: Set()) { $0.formUnion(allKeys($1)) }
        }
        return []
    }

    @Test func hostileBodiesAreInertInListingsAndTheFeed() async throws {
        let env = TestEnvironment()
        let payloads = CommentRendererPayloads.all
        try await env.seed(Array(repeating: .approved, count: payloads.count), body: { payloads[$0] })
        try await env.run { client async throws in
            let list = try await client.execute(uri: "/comments?post=/p/&limit=200", method: .get)
            let comments = try #require(try list.json()["comments"] as? [[String: Any]])
            #expect(comments.count == payloads.count)
            let feed = try await client.execute(uri: "/feed.json?post=/p/", method: .get)
            let items = try #require(try feed.json()["items"] as? [[String: Any]])
            let htmls = comments.compactMap { $0["body_html"] as? String } + items.compactMap { $0["content_html"] as? String }
            #expect(htmls.count == 2 * payloads.count)
            for html in htmls {
                // Remove the only markup the renderer writes; no tag may be left.
                let markup = #/<a href="[^"'<>`]*" rel="nofollow ugc noopener">|</?p>|<br>|</a>/#.matchingSemantics(.unicodeScalar)
                let rest = html.replacing(markup, with: "")
                #expect(!rest.unicodeScalars.contains("<") && !rest.unicodeScalars.contains(">"), "\(html)")
                #expect(!html.contains("href=\"javascript"))
            }
        }
    }

    @Test func paginationReturnsEveryIdOnceInOrder() async throws {
        let env = TestEnvironment()
        let ids = try await env.seed(Array(repeating: .approved, count: 120))
        try await env.seed([.approved], post: "/other/")
        try await env.run { client async throws in
            var seen: [Int] = []
            var next: String? = nil
            var pages = 0
            repeat {
                let uri = "/comments?post=/p/&limit=50" + (next.map { "&after=\($0)" } ?? "")
                let json = try await client.execute(uri: uri, method: .get).json()
                #expect(json["total"] as? Int == 120)
                seen += (json["comments"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? Int }
                next = json["next"] as? String
                pages += 1
            } while next != nil && pages < 10
            #expect(pages == 3)
            #expect(seen == ids.map(Int.init))
        }
    }

    @Test func cursorsFromOtherPostsOrForgedAre400() async throws {
        let env = TestEnvironment()
        try await env.seed(Array(repeating: .approved, count: 3), post: "/a/")
        try await env.run { client async throws in
            let first = try await client.execute(uri: "/comments?post=/a/&limit=1", method: .get).json()
            let cursor = try #require(first["next"] as? String)
            #expect(try await client.execute(uri: "/comments?post=/a/&after=\(cursor)", method: .get).status == .ok)
            for bad in [
                "/comments?post=/b/&after=\(cursor)", "/comments?post=/a/&after=MTIz", "/comments?post=/a/&after=%FF",
                "/comments?post=/a/&after=" + String(repeating: "x", count: 300),
            ] {
                let response = try await client.execute(uri: bad, method: .get)
                #expect(response.status == .badRequest, "\(bad)")
                #expect(response.headers[.contentType] == "application/problem+json")
            }
            let response = try await client.execute(uri: "/comments?post=/b/&after=\(cursor)", method: .get)
            #expect(try response.errorFields() == ["after"])
        }
    }

    @Test func missingOrInvalidParametersAre400NamingTheParameter() async throws {
        let env = TestEnvironment()
        try await env.run { client async throws in
            let cases: [(String, String)] = [
                ("/comments", "post"), ("/comments?post=", "post"), ("/comments?post=relative", "post"),
                ("/comments?post=/p/&limit=0", "limit"), ("/comments?post=/p/&limit=201", "limit"),
                ("/comments?post=/p/&limit=ten", "limit"), ("/comments?post=/p/&limit=99999999999999999999", "limit"),
                ("/comments/count", "post"), ("/feed.json?post=nope", "post"),
            ]
            for (uri, field) in cases {
                let response = try await client.execute(uri: uri, method: .get)
                #expect(response.status == .badRequest, "\(uri)")
                #expect(try response.errorFields() == [field], "\(uri)")
            }
            let tooMany = (0...100).map { "post=/p\($0)/" }.joined(separator: "&")
            #expect(try await client.execute(uri: "/comments/count?" + tooMany, method: .get).status == .badRequest)
            #expect(try await client.execute(uri: "/comments?post=%zz", method: .get).status == .badRequest)
            #expect(try await client.execute(uri: "/comments/abc", method: .get).status == .notFound)
            #expect(try await client.execute(uri: "/comments/99999999999999999999999", method: .get).status == .notFound)
        }
    }

    @Test func anUnknownPostIsAnEmptyList() async throws {
        let env = TestEnvironment()
        try await env.run { client async throws in
            let response = try await client.execute(uri: "/comments?post=/never/commented/", method: .get)
            #expect(response.status == .ok)
            let json = try response.json()
            #expect(json["total"] as? Int == 0)
            #expect((json["comments"] as? [Any])?.isEmpty == true)
            let counts = try await client.execute(uri: "/comments/count?post=/x/&post=/y/&post=/x/", method: .get).json()
            #expect(counts as NSDictionary == ["/x/": 0, "/y/": 0] as NSDictionary)
        }
    }

    @Test func etagsAnswer304AndChangeWhenACommentIsApproved() async throws {
        let env = TestEnvironment()
        let ids = try await env.seed([.approved, .pending])
        try await env.run { client async throws in
            let first = try await client.execute(uri: "/comments?post=/p/", method: .get)
            let etag = try #require(first.headers[.eTag])
            #expect(etag.hasPrefix("\"") && etag.hasSuffix("\"") && !etag.hasPrefix("W/"))
            #expect(first.headers[.cacheControl] == "public, max-age=5")
            let again = try await client.execute(uri: "/comments?post=/p/", method: .get, headers: [.ifNoneMatch: etag])
            #expect(again.status == .notModified)
            #expect(again.body.readableBytes == 0)
            #expect(again.headers[.eTag] == etag)
            #expect(
                try await client.execute(uri: "/comments?post=/p/", method: .get, headers: [.ifNoneMatch: "\"other\", W/\(etag)"]).status
                    == .notModified)
            #expect(try await client.execute(uri: "/comments?post=/p/", method: .get, headers: [.ifNoneMatch: "\"other\""]).status == .ok)

            try await env.setStatus(.approved, ids: [ids[1]])
            let fresh = try await Self.eventually {
                try await client.execute(uri: "/comments?post=/p/", method: .get, headers: [.ifNoneMatch: etag])
            }
            #expect(fresh.status == .ok)
            #expect(fresh.headers[.eTag] != etag)
            #expect(try fresh.json()["total"] as? Int == 2)

            for uri in ["/feed.json", "/comments/count?post=/p/", "/comments/\(ids[0])"] {
                let response = try await client.execute(uri: uri, method: .get)
                let tag = try #require(response.headers[.eTag], "\(uri)")
                #expect(response.headers[.cacheControl]?.hasPrefix("public, max-age=") == true)
                #expect(try await client.execute(uri: uri, method: .get, headers: [.ifNoneMatch: tag]).status == .notModified, "\(uri)")
            }
        }
    }

    /// Polls for up to one second — the freshness SPEC promises — until the answer is a 200.
    static func eventually(_ request: () async throws -> TestResponse) async throws -> TestResponse {
        let deadline = ContinuousClock.now + .seconds(1)
        var response = try await request()
        while response.status != .ok, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
            response = try await request()
        }
        return response
    }

    /// The promise is one second (SQLite's 200 ms poll, PostgreSQL's NOTIFY); the test allows
    /// ten, so a slow machine cannot fail it, and prints what it measured.
    @Test func anApprovalByAnotherProcessShows() async throws {
        let env = TestEnvironment()
        let ids = try await env.seed([.pending])
        try await env.run { client async throws in
            let before = try await client.execute(uri: "/comments?post=/p/", method: .get).json()
            #expect(before["total"] as? Int == 0)
            // The second store's opening (a pool, and on PostgreSQL a connection) is not part of
            // the promise: the second counts from the other process's commit.
            try await env.setStatus(.approved, ids: ids)
            let started = ContinuousClock.now
            var total = 0
            while total == 0, ContinuousClock.now - started < .seconds(10) {
                total = try await client.execute(uri: "/comments?post=/p/", method: .get).json()["total"] as? Int ?? 0
                if total == 0 { try await Task.sleep(for: .milliseconds(20)) }
            }
            #expect(total == 1, "visible after the other process's commit")
            print("another process's approval showed after \(ContinuousClock.now - started)")
        }
    }

    @Test func anAutoApprovedCommentIsOnThePageTheAuthorIsSentTo() async throws {
        let env = TestEnvironment { $0.moderation.mode = .none }
        try await env.run { client async throws in
            #expect(try await client.execute(uri: "/comments?post=/p/", method: .get).json()["total"] as? Int == 0)
            #expect(try await client.postJSON(commentJSON(post: "/p/")).status == .created)
            #expect(
                try await client.execute(uri: "/comments?post=/p/", method: .get).json()["total"] as? Int == 1,
                "no polling delay for our own writes")
        }
    }

    @Test func corsEchoesOnlyAllowedOrigins() async throws {
        let env = TestEnvironment { $0.site.origins = ["https://blog.example.org"] }
        try await env.run { client async throws in
            let allowed = try await client.execute(uri: "/comments?post=/p/", method: .get, headers: [.origin: "https://blog.example.org"])
            #expect(allowed.headers[.accessControlAllowOrigin] == "https://blog.example.org")
            #expect(allowed.headers[.vary] == "Origin")
            let foreign = try await client.execute(uri: "/comments?post=/p/", method: .get, headers: [.origin: "https://evil.example"])
            #expect(foreign.status == .ok)
            #expect(foreign.headers[.accessControlAllowOrigin] == nil)
            let none = try await client.execute(uri: "/feed.json", method: .get)
            #expect(none.headers[.accessControlAllowOrigin] == nil)

            let preflight = try await client.execute(
                uri: "/comments", method: .options,
                headers: [
                    .origin: "https://blog.example.org", .accessControlRequestMethod: "POST", .accessControlRequestHeaders: "content-type",
                ])
            #expect(preflight.status == .noContent)
            #expect(preflight.headers[.accessControlAllowOrigin] == "https://blog.example.org")
            #expect(preflight.headers[.accessControlAllowMethods]?.contains("POST") == true)
            #expect(preflight.headers[.accessControlAllowHeaders]?.lowercased().contains("content-type") == true)
            let foreignPreflight = try await client.execute(
                uri: "/comments", method: .options,
                headers: [
                    .origin: "https://evil.example", .accessControlRequestMethod: "POST",
                ])
            #expect(foreignPreflight.headers[.accessControlAllowOrigin] == nil)
            let post = try await client.postJSON(commentJSON(), headers: [.origin: "https://blog.example.org"])
            #expect(post.headers[.accessControlAllowOrigin] == "https://blog.example.org")
        }
    }

    @Test func theJSONFeedHasEveryRequiredField() async throws {
        let env = TestEnvironment {
            $0.server.publicURL = "https://comments.example.org"
            $0.site.url = "https://blog.example.org"
            $0.site.name = "My Blog"
            $0.feedLimit = 3
        }
        let ids = try await env.seed(Array(repeating: .approved, count: 5), post: "/2025/11/peace/")
        try await env.run { client async throws in
            let response = try await client.execute(uri: "/feed.json?post=/2025/11/peace/", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/feed+json")
            let feed = try response.json()
            #expect(feed["version"] as? String == "https://jsonfeed.org/version/1.1")
            #expect((feed["title"] as? String)?.contains("My Blog") == true)
            #expect(feed["feed_url"] as? String == "https://comments.example.org/feed.json?post=/2025/11/peace/")
            #expect(feed["home_page_url"] as? String == "https://blog.example.org/2025/11/peace/")
            let items = try #require(feed["items"] as? [[String: Any]])
            #expect(items.count == 3, "feed.limit")
            let item = items[0]
            #expect(item["id"] as? String == String(ids[4]))
            #expect(item["url"] as? String == "https://blog.example.org/2025/11/peace/#comment-\(ids[4])")
            #expect((item["content_html"] as? String)?.hasPrefix("<p>") == true)
            let date = try #require(item["date_published"] as? String)
            #expect(ISO8601DateFormatter().date(from: date) != nil, "RFC 3339: \(date)")
            let authors = try #require(item["authors"] as? [[String: Any]])
            #expect(authors.first?["name"] as? String == "Seeder 4")
            #expect((authors.first?["avatar"] as? String)?.count == 16)
            let placement = try #require(item["_moderato"] as? [String: Any])
            #expect(placement["post"] as? String == "/2025/11/peace/")
            #expect(placement["parent"] is NSNull)

            let site = try await client.execute(uri: "/feed.json", method: .get).json()
            #expect(site["feed_url"] as? String == "https://comments.example.org/feed.json")
            #expect(site["home_page_url"] as? String == "https://blog.example.org/")
        }
    }

    @Test func responseCacheIsBoundedByBytes() {
        let cache = ResponseCache(budgetBytes: 10_000)
        for index in 0..<200 {
            cache.store(
                RenderedResponse(bytes: Array(repeating: UInt8(65), count: 500), contentType: "x", maxAge: 60), for: "k\(index)",
                versions: [1])
        }
        #expect(cache.bytes <= 10_000)
        #expect(cache.count < 200)
        #expect(cache.lookup("k199", versions: [1]) != nil, "the newest entry survives")
        #expect(cache.lookup("k199", versions: [2]) == nil, "a new version is a miss")
    }
}

/// The renderer's hostile corpus, for the HTTP-level checks.
enum CommentRendererPayloads {
    static let all = [
        "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<svg/onload=alert(1)>",
        "\"><script>alert(1)</script>", "<a href=\"javascript:alert(1)\">x</a>", "javascript:alert(document.cookie)",
        "https://example.org/\"onmouseover=\"alert(1)", "https://example.org/<script>alert(1)</script>",
        "&lt;script&gt;alert(1)&lt;/script&gt;", "&amp", "<iframe src=\"https://evil.example\"></iframe>",
        "</p><p onclick=alert(1)>", "https://x.org/\"\u{0352}/onmouseover=alert(1)//",
    ]
}
