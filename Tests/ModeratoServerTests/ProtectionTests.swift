import Foundation
import HTTPTypes
import HummingbirdTesting
import ModeratoCore
import NIOCore
import Synchronization
import Testing

@testable import ModeratoServer

/// A clock that stands still until a test moves it: the wall clock the store records and the
/// monotonic clock the rate limiter counts with move together, and never on their own, so a slow
/// machine cannot change what a test sees.
final class ManualClock: Sendable {
    private let offset = Mutex<Duration>(.zero)
    private let baseDate = Date()
    private let baseInstant = ContinuousClock.now

    func advance(by duration: Duration) { offset.withLock { $0 += duration } }

    var testable: ServerClock {
        ServerClock(
            date: { [self] in
                let elapsed = offset.withLock { $0 }
                return baseDate.addingTimeInterval(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
            },
            instant: { [self] in baseInstant + offset.withLock { $0 } }
        )
    }
}

extension TestEnvironment {
    func run<Value: Sendable>(
        _ setup: TestingSetup = .router, clock: ManualClock, _ body: @Sendable (any TestClientProtocol) async throws -> Value
    ) async throws -> Value {
        let app = try await buildApplication(configuration: configuration, logger: logger, clock: clock.testable)
        return try await app.test(setup, body)
    }
}

/// Issue 5's rules, each at its boundary, through the real HTTP stack.
@Suite("Floods, bots and hostile input")
struct ProtectionTests {
    /// Trusting the loopback peer lets a test speak for many clients through X-Forwarded-For.
    static func trustingLoopback(_ configuration: inout ModeratoConfiguration) {
        configuration.server.trustedProxies = [IPNetwork("127.0.0.1")!, IPNetwork("::1")!]
    }

    @Test func theRateLimitAdmitsNThenAnswers429UntilTheWindowFrees() async throws {
        let env = TestEnvironment {
            Self.trustingLoopback(&$0)
            $0.limits.ratePerMinute = 3
        }
        let clock = ManualClock()
        try await env.run(.live, clock: clock) { client async throws in
            let alice: HTTPFields = [.xForwardedFor: "203.0.113.10"]
            for index in 1...3 {
                let response = try await client.postJSON(
                    commentJSON(body: "comment \(index)", email: "a\(index)@example.org"), headers: alice)
                #expect(response.status == .created, "request \(index) of 3")
            }
            let fourth = try await client.postJSON(commentJSON(body: "comment 4", email: "a4@example.org"), headers: alice)
            #expect(fourth.status == .tooManyRequests)
            let retry = try #require(fourth.headers[.retryAfter].flatMap(Int.init))
            #expect(retry == 60, "seconds until the oldest of the three leaves the minute")
            #expect(fourth.headers[.contentType] == "application/problem+json")
            #expect(!fourth.text.contains("203.0.113.10"), "never echo the client's address")

            let bob = try await client.postJSON(commentJSON(body: "bob", email: "b@example.org"), headers: [.xForwardedFor: "203.0.113.20"])
            #expect(bob.status == .created, "another client has its own allowance")

            clock.advance(by: .seconds(30))
            #expect(
                try await client.postJSON(commentJSON(body: "still", email: "a5@example.org"), headers: alice).status == .tooManyRequests)
            clock.advance(by: .seconds(31))
            #expect(
                try await client.postJSON(commentJSON(body: "later", email: "a6@example.org"), headers: alice).status == .created,
                "a minute later a slot is free")
        }
        #expect(try env.count() == 5)
    }

    @Test func theRateLimiterForgetsIdleClientsWithinAFixedBudget() {
        let limiter = RateLimiter(limit: 5, memoryBudget: 64 << 10)
        for client in 0..<100_000 as Range<UInt64> {
            _ = limiter.admit(client)
        }
        #expect(limiter.trackedClients <= limiter.maxClients)
        #expect(limiter.maxClients < 1000)
        #expect(limiter.admit(99_999) == nil, "a recent client is still tracked and allowed")
    }

    @Test func theFloodGapHoldsPerClientAndPerEmailUntilItExpires() async throws {
        let env = TestEnvironment {
            Self.trustingLoopback(&$0)
            $0.limits.floodSeconds = 15
        }
        let clock = ManualClock()
        try await env.run(.live, clock: clock) { client async throws in
            let here: HTTPFields = [.xForwardedFor: "198.51.100.5"]
            #expect(try await client.postJSON(commentJSON(body: "first", email: "one@example.org"), headers: here).status == .created)
            let sameClient = try await client.postJSON(commentJSON(body: "second", email: "two@example.org"), headers: here)
            #expect(sameClient.status == .tooManyRequests)
            #expect(sameClient.headers[.retryAfter] == "15")
            let sameEmail = try await client.postJSON(
                commentJSON(body: "third", email: "ONE@example.org"), headers: [.xForwardedFor: "198.51.100.6"])
            #expect(sameEmail.status == .tooManyRequests, "the same email hash from elsewhere")
            let browser = try await client.postForm(
                commentForm(body: "fourth", email: "three@example.org"), headers: [.xForwardedFor: "198.51.100.5", .accept: "text/html"])
            #expect(browser.status == .tooManyRequests)
            #expect(browser.headers[.contentType] == "text/html; charset=utf-8")
            #expect(browser.text.contains("please wait"))

            clock.advance(by: .seconds(14))
            #expect(
                try await client.postJSON(commentJSON(body: "fifth", email: "four@example.org"), headers: here).status == .tooManyRequests)
            clock.advance(by: .seconds(2))
            #expect(
                try await client.postJSON(commentJSON(body: "sixth", email: "five@example.org"), headers: here).status == .created,
                "the gap has passed")
        }
        #expect(try env.count() == 2)
    }

    @Test func hostileBodiesAre4xxAndStoreNothing() async throws {
        let env = TestEnvironment()
        try await env.run { client async throws in
            // 30,000 levels: within the 64 KiB body limit, far beyond any parser's nesting limit.
            let deepJSON = Data((String(repeating: "[", count: 30_000) + String(repeating: "]", count: 30_000)).utf8)
            #expect(try await client.postRaw(deepJSON, contentType: "application/json").status == .badRequest)
            let deepValue = Data(
                ("{\"body\": " + String(repeating: "{\"a\":", count: 5_000) + "1" + String(repeating: "}", count: 5_000) + "}").utf8)
            #expect(try await client.postRaw(deepValue, contentType: "application/json").status.code < 500)
            let manyFields = Data((0..<500).map { "f\($0)=x" }.joined(separator: "&").utf8)
            let tooMany = try await client.postRaw(manyFields, contentType: "application/x-www-form-urlencoded")
            #expect(tooMany.status == .badRequest)
            #expect(try tooMany.json()["detail"] as? String == "The form has too many fields (more than 100).")
            let nul = try await client.postForm(commentForm(author: "Ta\u{0}ro"))
            #expect(nul.status == .unprocessableContent)
            let overlong = Data("comment=%C0%BCscript%C0%BE&author=a&email=a@b.org&post=/p/".utf8)
            #expect(try await client.postRaw(overlong, contentType: "application/x-www-form-urlencoded").status == .badRequest)
            for parent in ["99999999999999999999999999", "-9223372036854775808", "9223372036854775807", "1e308", "0x7fffffff", "NaN"] {
                let response = try await client.postForm(
                    commentForm(body: "parent \(parent)").map { $0.0 == "comment_parent" ? ($0.0, parent) : $0 })
                #expect(response.status == .unprocessableContent, "\(parent)")
            }
            var object = commentJSON()
            object["parent"] = 1e300
            #expect(try await client.postJSON(object).status == .unprocessableContent)
        }
        #expect(try env.count() == 0)
    }

    @Test func securityHeadersOnEveryResponse() async throws {
        let env = TestEnvironment { $0.site.origins = ["https://blog.example.org"] }
        try await env.run { client async throws in
            let responses = [
                try await client.execute(uri: "/comments?post=/p/", method: .get),
                try await client.execute(uri: "/healthz", method: .get),
                try await client.execute(uri: "/no/such/page", method: .get),
                try await client.execute(uri: "/comments", method: .put),
                try await client.postForm(commentForm()),
                try await client.postForm(commentForm(body: "")),
                try await client.postJSON(["body": 1]),
            ]
            for response in responses {
                #expect(response.headers[.xContentTypeOptions] == "nosniff", "\(response.status)")
            }
            let notFound = responses[2]
            #expect(notFound.status == .notFound)
            #expect(notFound.headers[.contentType] == "application/problem+json")
            let html = responses[5]
            #expect(html.status == .unprocessableContent)
            let policy = try #require(html.headers[.contentSecurityPolicy])
            #expect(policy.contains("default-src 'none'"))
            #expect(policy.contains("frame-ancestors 'none'"))
            #expect(policy.contains("script-src 'self'"))
            #expect(!policy.contains("unsafe-inline"))
            #expect(policy.contains("form-action 'self' https://blog.example.org"))
            #expect(responses[0].headers[.contentSecurityPolicy] == nil, "JSON needs no CSP")
        }
    }

    @Test func errorMessagesNeverEchoOtherCommentsOrHashes() async throws {
        let env = TestEnvironment {
            Self.trustingLoopback(&$0)
            $0.limits.floodSeconds = 60
        }
        let ids = try await env.seed([.pending])
        let hashes = try env.rows("SELECT email_hash, ip_hash FROM comments").flatMap {
            [$0["email_hash"] as String, $0["ip_hash"] as String]
        }
        try await env.run(.live) { client async throws in
            let headers: HTTPFields = [.xForwardedFor: "192.0.2.99"]
            var replies: [TestResponse] = []
            replies.append(try await client.postJSON(commentJSON(body: "comment 0", email: "seed@example.org"), headers: headers))
            replies.append(
                try await client.postJSON(commentJSON(body: "x", email: "someone@example.org"), headers: [.xForwardedFor: "192.0.2.1"]))
            var reply = commentJSON(body: "reply")
            reply["parent"] = Int(ids[0])
            replies.append(try await client.postJSON(reply, headers: [.xForwardedFor: "192.0.2.100"]))
            #expect(replies.map(\.status.code).allSatisfy { (400..<500).contains($0) })
            for response in replies {
                for hash in hashes { #expect(!response.text.contains(hash)) }
                #expect(!response.text.contains("192.0.2.99"))
                #expect(!response.text.contains("#\(ids[0])") && !response.text.contains("id \(ids[0])"))
            }
        }
    }
}
