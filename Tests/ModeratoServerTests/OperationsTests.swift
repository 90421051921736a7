import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ModeratoCore
import ModeratoStore
import NIOCore
import Testing

@testable import ModeratoServer

/// SPEC §3.4 and issue 6: health, metrics, the OpenAPI document, and logs without personal data.
@Suite("Operations")
struct OperationsTests {
    @Test func healthzIs200WhileTheDatabaseAnswersAnd503WhenItIsGone() async throws {
        let env = TestEnvironment()
        try await env.run { client async throws in
            let healthy = try await client.execute(uri: "/healthz", method: .get)
            #expect(healthy.status == .ok)
            #expect(healthy.text == #"{"status":"ok"}"#)
            try env.takeDatabaseAway()
            let sick = try await client.execute(uri: "/healthz", method: .get)
            #expect(sick.status == .serviceUnavailable)
            #expect(sick.headers[.contentType] == "application/json")
            try env.bringDatabaseBack()
            // A pool waits a moment before it tries a server again.
            let deadline = ContinuousClock.now + .seconds(20)
            var status = try await client.execute(uri: "/healthz", method: .get).status
            while status != .ok, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(200))
                status = try await client.execute(uri: "/healthz", method: .get).status
            }
            #expect(status == .ok)
        }
    }

    @Test func metricsCountRequestsOutcomesModerationAndTheCache() async throws {
        let env = TestEnvironment {
            $0.limits.ratePerMinute = 2
            $0.server.trustedProxies = [IPNetwork("127.0.0.1")!, IPNetwork("::1")!]
        }
        let token = APITokenSecret.generate()
        _ = try await env.store().createToken(name: "ops", hash: APITokenSecret.hash(token))
        try await env.run(.live) { client async throws in
            let ip: HTTPFields = [.xForwardedFor: "203.0.113.50"]
            #expect(try await client.postForm(commentForm(body: "one"), headers: ip).status == .seeOther)
            #expect(try await client.postJSON(commentJSON(body: ""), headers: ip).status == .unprocessableContent)
            #expect(try await client.postJSON(commentJSON(body: "three"), headers: ip).status == .tooManyRequests)
            #expect(
                try await client.execute(uri: "/moderation/comments/1/approve", method: .post, headers: [.authorization: "Bearer \(token)"])
                    .status == .ok)
            for _ in 0..<3 { _ = try await client.execute(uri: "/comments?post=/2025/11/peace-talks/", method: .get) }

            let response = try await client.execute(uri: "/metrics", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("text/plain") == true)
            let text = response.text
            for line in [
                #"moderato_http_requests_total{route="/comments",method="POST",status="303"} 1"#,
                #"moderato_http_requests_total{route="/comments",method="POST",status="429"} 1"#,
                #"moderato_http_requests_total{route="/comments",method="GET",status="200"} 3"#,
                #"moderato_comments_submitted_total{outcome="pending"} 1"#,
                #"moderato_comments_submitted_total{outcome="rejected_invalid"} 1"#,
                #"moderato_comments_submitted_total{outcome="rate_limited"} 1"#,
                #"moderato_moderation_actions_total{action="approve",source="api"} 1"#,
                #"moderato_cache_lookups_total{result="miss"} 1"#,
                #"moderato_cache_lookups_total{result="hit"} 2"#,
                #"moderato_comments{status="approved"} 1"#,
                #"moderato_moderation_log_entries{action="approve"} 1"#,
            ] {
                #expect(text.contains(line), "missing: \(line)")
            }
            #expect(text.contains("# TYPE moderato_http_request_duration_seconds histogram"))
            #expect(text.contains(#"moderato_http_request_duration_seconds_bucket{route="/comments",method="GET",le="0.001"}"#))
            #expect(!text.contains("203.0.113.50") && !text.contains("taro@example.org"))
        }
    }

    @Test func theOpenAPIDocumentDescribesExactlyTheRoutesTheRouterServes() async throws {
        let env = TestEnvironment()
        let router = try await env.router()
        let served = Set(
            router.routes.map { route in
                let path = route.path.description.split(separator: "/", omittingEmptySubsequences: false)
                    .map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }.joined(separator: "/")
                return "\(route.method.rawValue.uppercased()) \(path)"
            })

        let document = try #require(try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.bytes)) as? [String: Any])
        #expect(document["openapi"] as? String == "3.1.0")
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        // The router ignores a trailing slash (/demo/ is /demo).
        let described = Set(
            paths.flatMap { path, operations in
                operations.keys.filter { ["get", "post", "put", "delete", "patch"].contains($0) }
                    .map { "\($0.uppercased()) \(path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path)" }
            })
        #expect(served.subtracting(described).isEmpty, "served but not described: \(served.subtracting(described).sorted())")
        #expect(described.subtracting(served).isEmpty, "described but not served: \(described.subtracting(served).sorted())")
        #expect(served.count >= 12)

        // The moderator's comment object says why it was held, with every code there is.
        let schemas = try #require((document["components"] as? [String: Any])?["schemas"] as? [String: Any])
        let moderationComment = try #require(schemas["ModerationComment"] as? [String: Any])
        let parts = try #require(moderationComment["allOf"] as? [[String: Any]])
        let reasons = parts.compactMap { ($0["properties"] as? [String: Any])?["reason"] as? [String: Any] }
        let reason = try #require(reasons.first)
        #expect(reason["type"] as? [String] == ["object", "null"])
        let codes = ((reason["properties"] as? [String: Any])?["code"] as? [String: Any])?["enum"] as? [String]
        #expect(codes == ModerationReason.Code.allCases.map(\.rawValue))

        try await env.run { client async throws in
            let response = try await client.execute(uri: "/openapi.json", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/json")
            #expect(Data(response.body.readableBytesView) == Data(OpenAPIDocument.bytes))
        }
    }

    @Test func oneLogLinePerRequestAndNoPersonalDataInTheLog() async throws {
        let env = TestEnvironment {
            $0.server.trustedProxies = [IPNetwork("127.0.0.1")!, IPNetwork("::1")!]
            $0.logLevel = .info
        }
        let token = APITokenSecret.generate()
        _ = try await env.store().createToken(name: "logs", hash: APITokenSecret.hash(token))
        let email = "log-scrub-check-5150@example.org"
        let body = "A distinctive comment body 8d1f"
        try await env.run(.live) { client async throws in
            let headers: HTTPFields = [.xForwardedFor: "198.51.100.231"]
            #expect(try await client.postForm(commentForm(body: body, email: email), headers: headers).status == .seeOther)
            #expect(try await client.postJSON(commentJSON(body: "", email: email), headers: headers).status == .unprocessableContent)
            #expect(
                try await client.execute(uri: "/moderation/comments?status=all", method: .get, headers: [.authorization: "Bearer \(token)"])
                    .status == .ok)
            #expect(try await client.execute(uri: "/comments?post=/p/&limit=7", method: .get).status == .ok)
        }
        let lines = env.log.text.split(separator: "\n")
        let requestLines = lines.filter { $0.contains(" POST /comments ") || $0.contains(" GET /") }
        #expect(requestLines.count == 4, "one line per request: \(requestLines)")
        let first = try #require(requestLines.first)
        #expect(first.contains("POST /comments 303"))
        #expect(first.contains("ms"))
        #expect(first.contains("hb.request.id"))
        #expect(lines.contains { $0.contains("GET /moderation/comments 200") })
        #expect(lines.contains { $0.contains("GET /comments 200") } && !env.log.text.contains("limit=7"), "the route, never the query")
        for secret in [email, "198.51.100.231", token, body, "Bearer"] {
            #expect(!env.log.text.contains(secret), "\(secret) is in the log")
        }
    }
}
