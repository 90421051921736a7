import Foundation
import HummingbirdTesting
import ModeratoCore
import ModeratoStore
import Testing

@testable import ModeratoServer

/// The patterns of `openapi.json` say what the server really accepts (issue 12): each one is run
/// against the server's own rules on the same samples, edge cases first. `Tests/Contract/run.sh`
/// then checks the whole document against a live server with generated requests.
@Suite("OpenAPI rules")
struct OpenAPIRulesTests {
    /// The schema at a path of keys in the document.
    static func schema(_ keys: String...) -> [String: Any] {
        var node: Any = (try? JSONSerialization.jsonObject(with: Data(OpenAPIDocument.bytes))) ?? [:]
        for key in keys { node = (node as? [String: Any])?[key] ?? [:] }
        return node as? [String: Any] ?? [:]
    }

    /// Whether `text` matches the `pattern` of `schema` (and of every `allOf` branch), by ICU regex.
    static func documentAccepts(_ text: String, _ schema: [String: Any]) -> Bool {
        let patterns = ([schema["pattern"]] + ((schema["allOf"] as? [[String: Any]]) ?? []).map { $0["pattern"] }).compactMap {
            $0 as? String
        }
        #expect(!patterns.isEmpty, "no pattern in \(schema)")
        if let max = schema["maxLength"] as? Int, text.unicodeScalars.count > max { return false }
        return patterns.allSatisfy { pattern in
            let regex = try! NSRegularExpression(pattern: pattern)
            return regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
        }
    }

    static func validatorAccepts(_ field: String, _ adjust: (inout Submission) -> Void) -> Bool {
        var submission = Submission(body: "Hello.", author: "Taro", email: "taro@example.org", url: nil, post: "/p/", parent: nil)
        adjust(&submission)
        switch SubmissionValidator(limits: SubmissionLimits()).validate(submission) {
        case .success: return true
        case .failure(let errors): return !errors.fields.contains { $0.field == field }
        }
    }

    static let whitespace = ["\t", "\n", "\u{0B}", "\u{0C}", "\r", " ", "\u{85}", "\u{A0}", "\u{1680}", "\u{2003}", "\u{2028}", "\u{3000}"]

    @Test func postKeysFollowTheServersRuleInQueriesAndBodies() {
        let schema = Self.schema("components", "schemas", "PostKey")
        var samples = [
            "/", "/a", "0", "12", "/a b", "/\u{301}x", "/日本語/", "a", "", "-1", "1a", "/\u{1}", "/a\u{85}b", "\u{FEFF}/a",
            "1\u{301}", "/" + String(repeating: "a", count: 511), "/" + String(repeating: "a", count: 512),
            String(repeating: "1", count: 512), String(repeating: "1", count: 513), "/a\u{3000}", "\u{3000}",
        ]
        samples += Self.whitespace.flatMap { ["\($0)/a\($0)", "\($0)7", "\($0)"] }
        for sample in samples {
            let documented = Self.documentAccepts(sample, schema)
            let query = (try? QueryParameters.post(sample)) != nil
            let body = Self.validatorAccepts("post") { $0.post = sample }
            #expect(documented == query, "query post \(sample.debugDescription): document \(documented), server \(query)")
            #expect(documented == body, "body post \(sample.debugDescription): document \(documented), server \(body)")
        }
    }

    @Test func authorAndCommentFollowTheValidator() {
        let author = Self.schema("components", "schemas", "SubmissionForm", "properties", "author")
        let body = Self.schema("components", "schemas", "SubmissionForm", "properties", "comment")
        var samples = [
            "Taro", "T", "Ta ro", "Ta\tro", "Ta\nro", "", "\u{0}", "太郎", "\u{301}", String(repeating: "a", count: 245),
            String(repeating: "a", count: 246), "  " + String(repeating: "a", count: 245) + "\n", "a\u{7F}b", "a\u{9F}", "\u{FEFF}",
        ]
        samples += Self.whitespace.flatMap { ["\($0)Taro\($0)", "\($0)", "Ta\($0)ro"] }
        for sample in samples {
            let documentedAuthor = Self.documentAccepts(sample, author)
            let serverAuthor = Self.validatorAccepts("author") { $0.author = sample }
            #expect(
                documentedAuthor == serverAuthor, "author \(sample.debugDescription): document \(documentedAuthor), server \(serverAuthor)")
            let documentedBody = Self.documentAccepts(sample, body)
            let serverBody = Self.validatorAccepts("body") { $0.body = sample }
            #expect(documentedBody == serverBody, "comment \(sample.debugDescription): document \(documentedBody), server \(serverBody)")
        }
    }

    /// Email and website are documented without the surrounding whitespace the server trims (so
    /// that `maxLength` counts the value alone): there the document may be stricter, never looser.
    @Test func emailAndWebsiteFollowTheValidator() {
        let email = Self.schema("components", "schemas", "Email")
        let url = Self.schema("components", "schemas", "SubmissionForm", "properties", "url")
        let local64 = String(repeating: "a", count: 64)
        let emails = [
            "taro@example.org", "Taro.Yamada@Example.ORG", "a@b.c", "a@b", "@b.co", "a@@b.co", ".a@b.co", "a.@b.co", "a..b@c.co",
            "a+b/c=d@x-y.example", "a@-b.co", "a@b-.co", "a b@c.co", "太郎@example.org", "a@b_c.co", local64 + "@b.co",
            local64 + "a@b.co", "a@" + String(repeating: "b", count: 63) + ".co", "a@" + String(repeating: "b", count: 64) + ".co",
            String(repeating: "a", count: 60) + "@" + String(repeating: "b", count: 36) + ".co",
            String(repeating: "a", count: 60) + "@" + String(repeating: "b", count: 37) + ".co", " taro@example.org ",
        ]
        for sample in emails {
            let documented = Self.documentAccepts(sample, email)
            let server = Self.validatorAccepts("email") { $0.email = sample }
            if sample.trimmingWhitespace() == sample {
                #expect(documented == server, "email \(sample.debugDescription): document \(documented), server \(server)")
            } else {
                #expect(!documented || server, "email \(sample.debugDescription)")
            }
        }
        let urls = [
            "", " ", "\t\n", "http://a", "https://taro.example/", "HTTPS://a.b:0080/x?y#z", "http://a:0", "http://a:65535",
            "http://a:65536",
            "http://[::1]:8080/", "http://a@b/", "http://a b", "ftp://a", "http://", "http://a::80", "http://:80", "http://a\\b",
            "http://a/é", "javascript:alert(1)", "//a.example/", "http://a/" + String(repeating: "x", count: 191),
            "http://a/" + String(repeating: "x", count: 192), " http://a ", "http://a/\u{7F}",
        ]
        for sample in urls {
            let documented = Self.documentAccepts(sample, url)
            let server = Self.validatorAccepts("url") { $0.url = sample }
            if sample.trimmingWhitespace() == sample || sample.trimmingWhitespace().isEmpty {
                #expect(documented == server, "url \(sample.debugDescription): document \(documented), server \(server)")
            } else {
                #expect(!documented || server, "url \(sample.debugDescription)")
            }
        }
    }

    @Test func anEmptyAfterIsTheFirstPageAndAQueryPostIsTrimmed() async throws {
        let env = TestEnvironment()
        try await env.seed([.approved, .approved, .approved], post: "/p/")
        let token = APITokenSecret.generate()
        _ = try await env.store()
            .createToken(name: "rules", hash: APITokenSecret.hash(token))
        try await env.run { client async throws in
            let first = try await client.execute(uri: "/comments?post=/p/&limit=2", method: .get)
            let empty = try await client.execute(uri: "/comments?post=/p/&limit=2&after=", method: .get)
            #expect(empty.status == .ok)
            #expect(empty.text == first.text)
            let queue = try await client.execute(
                uri: "/moderation/comments?status=all&after=", method: .get, headers: [.authorization: "Bearer \(token)"]
            )
            #expect(queue.status == .ok)

            let padded = try await client.execute(uri: "/comments?post=%20/p/%09&limit=2", method: .get)
            #expect(padded.status == .ok)
            #expect(try padded.json()["post"] as? String == "/p/")
            // One post given twice, once padded, counts once (and is not a crash).
            let count = try await client.execute(uri: "/comments/count?post=/p/&post=%20/p/", method: .get)
            #expect(count.status == .ok)
            #expect(try count.json().count == 1)
            #expect(
                try await client.execute(uri: "/comments?post=/%CC%81x", method: .get).status == .ok,
                "a combining mark after / still starts with /")
        }
    }
}
