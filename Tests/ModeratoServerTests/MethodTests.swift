import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ModeratoCore
import ModeratoStore
import NIOCore
import Testing

@testable import ModeratoServer

/// Issue 12: HEAD wherever GET is answered, 405 with `Allow` for a known path with another method,
/// 404 for an unknown path. Driven from `router.routes`, so a new route is covered without a new test.
@Suite("HTTP methods")
struct MethodTests {
    /// The routes as the application's router has them (before the generated HEAD endpoints).
    static func routes(_ env: TestEnvironment) async throws -> [Router<AppRequestContext>.RouteDescription] {
        try await env.router().routes
    }

    /// A request path for a route pattern: `{id}` is `id`, other parameters a value the route accepts.
    static func path(for pattern: String, id: Int64 = 1, token: String = "x") -> String {
        pattern.split(separator: "/", omittingEmptySubsequences: false).map { segment in
            switch segment {
            case "{id}": String(id)
            case "{token}": token
            case "{action}": "approve"
            case "{change}": "close"
            default: segment.hasPrefix("{") ? "x" : String(segment)
            }
        }.joined(separator: "/")
    }

    /// Queries that make the public reads answer 200 rather than 400.
    static let queries = ["/comments": "?post=/p/", "/comments/count": "?post=/p/&post=/q/", "/feed.json": "?post=/p/"]

    /// What `Allow` must name for each route pattern: its methods, HEAD where GET is, and OPTIONS.
    static func allowed(_ routes: [Router<AppRequestContext>.RouteDescription]) -> [String: Set<String>] {
        var table: [String: Set<String>] = [:]
        for route in routes {
            table[route.path.description, default: ["OPTIONS"]].insert(route.method.rawValue)
            if route.method == .get { table[route.path.description]?.insert("HEAD") }
        }
        return table
    }

    static func allowSet(_ response: TestResponse) -> Set<String> {
        Set((response.headers[.allow] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
    }

    /// Headers to compare between a GET and its HEAD: all but `Date` and, where the body is not
    /// stable between two requests (no ETag: /metrics, /healthz), `Content-Length`.
    static func comparable(_ headers: HTTPFields, stableBody: Bool) -> [String] {
        headers.filter { $0.name != .date && (stableBody || $0.name != .contentLength) }
            .map { "\($0.name.canonicalName): \($0.value)" }.sorted()
    }

    @Test func headAnswersLikeGetWithoutABodyOnEveryGetRoute() async throws {
        let env = TestEnvironment()
        let ids = try await env.seed([.approved, .approved], post: "/p/")
        let token = APITokenSecret.generate()
        _ = try await env.store().createToken(name: "heads", hash: APITokenSecret.hash(token))
        let gets = try await Self.routes(env).filter { $0.method == .get }.map(\.path.description)
        #expect(gets.count >= 9)
        // A one-click link to the first comment, signed with the install's secret.
        let link = ActionLink(commentID: ids[0], action: .spam, status: .approved, expiresAt: Date() + 3600, eventID: 1)
            .token(keyring: try Keyring(secret: SecretKeyFile.load(path: env.configuration.secretKeyFile)))
        try await env.run(.live) { client async throws in
            let auth: HTTPFields = [.authorization: "Bearer \(token)", .origin: "http://localhost:8080"]
            var oks = 0
            for pattern in gets {
                let uri = Self.path(for: pattern, id: ids[0], token: link) + (Self.queries[pattern] ?? "")
                let get = try await client.execute(uri: uri, method: .get, headers: auth)
                let head = try await client.execute(uri: uri, method: .head, headers: auth)
                if get.status == .ok { oks += 1 }
                #expect(head.status == get.status, "\(uri)")
                #expect(head.body.readableBytes == 0, "\(uri)")
                #expect(get.body.readableBytes > 0, "\(uri)")
                let stable = get.headers[.eTag] != nil
                #expect(Self.comparable(head.headers, stableBody: stable) == Self.comparable(get.headers, stableBody: stable), "\(uri)")
                #expect(head.headers[.contentType] == get.headers[.contentType], "\(uri)")
                if let etag = get.headers[.eTag] {
                    #expect(head.headers[.contentLength] == String(get.body.readableBytes), "\(uri)")
                    var conditional = auth
                    conditional[.ifNoneMatch] = etag
                    let notModified = try await client.execute(uri: uri, method: .head, headers: conditional)
                    #expect(notModified.status == .notModified, "\(uri)")
                    #expect(notModified.headers[.eTag] == etag)
                    #expect(notModified.body.readableBytes == 0)
                }
            }
            #expect(oks == gets.count, "every GET route was exercised with a request it answers 200")

            // An error answers HEAD with its status and headers too, still without a body.
            let bad = try await client.execute(uri: "/comments?limit=0", method: .head)
            #expect(bad.status == .badRequest)
            #expect(bad.headers[.contentType] == "application/problem+json")
            #expect(bad.body.readableBytes == 0)
        }
        let log = env.log.text
        #expect(log.contains("HEAD /comments 200"), "HEAD is logged as HEAD, under the route's pattern")
    }

    @Test func aMethodAKnownPathLacksIs405WithAllowNamingExactlyItsMethods() async throws {
        let env = TestEnvironment()
        let table = Self.allowed(try await Self.routes(env))
        #expect(table.count >= 12)
        let candidates: [HTTPRequest.Method] = [.get, .head, .post, .put, .patch, .delete, .trace, HTTPRequest.Method("QUERY")!]
        try await env.run(.live) { client async throws in
            for (pattern, allowed) in table {
                // The router ignores a trailing slash; so does the method table.
                for uri in [Self.path(for: pattern), Self.path(for: pattern) + "/"] {
                    for method in candidates where !allowed.contains(method.rawValue) {
                        let response = try await client.execute(uri: uri, method: method)
                        #expect(response.status == .methodNotAllowed, "\(method) \(uri)")
                        #expect(Self.allowSet(response) == allowed, "\(method) \(uri): Allow \(response.headers[.allow] ?? "-")")
                        #expect(response.headers[.contentType] == "application/problem+json", "\(method) \(uri)")
                        #expect(response.headers[.xContentTypeOptions] == "nosniff")
                        if method == .head {
                            #expect(response.body.readableBytes == 0, "\(uri)")
                        } else {
                            #expect(try response.json()["status"] as? Int == 405, "\(method) \(uri)")
                        }
                    }
                    // A plain OPTIONS (not a CORS preflight) lists the same methods.
                    let options = try await client.execute(uri: uri, method: .options)
                    #expect(options.status == .noContent, "OPTIONS \(uri)")
                    #expect(Self.allowSet(options) == allowed, "OPTIONS \(uri)")
                }
            }
        }
    }

    @Test func unknownPathsStay404AndPreflightStillWorks() async throws {
        let env = TestEnvironment()
        try await env.run(.live) { client async throws in
            for uri in ["/", "/nothing", "/comments/1/extra", "/moderation", "/moderation/posts", "/Comments", "/demo/x"] {
                for method in [HTTPRequest.Method.get, .put, .post, .options, .trace] {
                    let response = try await client.execute(uri: uri, method: method)
                    #expect(response.status == .notFound, "\(method) \(uri)")
                    #expect(response.headers[.allow] == nil)
                    #expect(response.headers[.contentType] == "application/problem+json")
                }
                let head = try await client.execute(uri: uri, method: .head)
                #expect(head.status == .notFound, "HEAD \(uri)")
                #expect(head.body.readableBytes == 0, "HEAD \(uri)")
            }
            let preflight: HTTPFields = [.origin: "http://localhost:8080", .accessControlRequestMethod: "POST"]
            for uri in ["/comments", "/moderation/comments/1", "/nothing"] {
                let response = try await client.execute(uri: uri, method: .options, headers: preflight)
                #expect(response.status == .noContent, "\(uri)")
                #expect(response.headers[.accessControlAllowOrigin] == "http://localhost:8080")
                #expect(response.headers[.accessControlAllowMethods]?.contains("POST") == true)
            }
        }
    }

    @Test func theMethodTableMatchesLikeTheRouter() async throws {
        let table = MethodTable(routes: [])
        #expect(table.resolve("/comments") == nil)
        let env = TestEnvironment()
        let routes = try await Self.routes(env)
        let real = MethodTable(routes: routes)
        #expect(real.resolve("/comments/count")?.pattern == "/comments/count", "a literal segment wins over a parameter")
        #expect(real.resolve("/comments/42")?.pattern == "/comments/{id}")
        #expect(real.resolve("//comments//42/")?.pattern == "/comments/{id}", "empty segments are ignored, as by the router")
        #expect(real.resolve("/demo")?.pattern == real.resolve("/demo/")?.pattern)
        #expect(real.resolve("/comments/count")?.allow == "GET, HEAD, OPTIONS")
        #expect(real.resolve("/comments")?.allow == "GET, HEAD, POST, OPTIONS")
        #expect(real.resolve("/moderation/comments/7")?.allow == "DELETE, OPTIONS")
    }
}
