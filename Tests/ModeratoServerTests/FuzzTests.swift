import Foundation
import HTTPTypes
import HummingbirdTesting
import ModeratoCore
import NIOCore
import Testing

@testable import ModeratoServer

/// A deterministic random source (SplitMix64), so a failure replays exactly.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Thousands of random and mutated bodies through both content types: every answer must be a
/// considered one (< 500), and the server must still be healthy afterwards.
@Suite("Fuzzing the submission endpoint")
struct FuzzTests {
    static let corpus: [(String, String)] = [
        (
            "application/x-www-form-urlencoded",
            "comment=Hello+there&author=Taro&email=taro%40example.org&url=https%3A%2F%2Fexample.org&comment_post_ID=%2Fp%2F&comment_parent=0"
        ),
        (
            "application/x-www-form-urlencoded",
            "comment=%E3%81%93%E3%82%93%E3%81%AB%E3%81%A1%E3%81%AF&author=%E5%A4%AA%E9%83%8E&email=a%40b.jp&post=42&redirect_to=http%3A%2F%2F127.0.0.1%3A8080%2Fp%2F"
        ),
        ("application/x-www-form-urlencoded", "comment=x&author=y&email=z%40w.org&post=%2F&moderato_hp=bot"),
        (
            "application/json",
            #"{"body":"Hello","author":"Taro","email":"taro@example.org","post":"/p/","parent":null,"url":"http://x.org"}"#
        ),
        ("application/json", #"{"body":"\u3053\u3093","author":"\ud83d\ude00","email":"a@b.org","post":42,"parent":"0"}"#),
        ("application/json", #"{"body":"<script>alert(1)</script>","author":"x","email":"x@y.org","post":"/p/","moderato_hp":""}"#),
    ]

    static let contentTypes = [
        "application/x-www-form-urlencoded", "application/json", "application/json; charset=utf-8",
        "application/x-www-form-urlencoded; charset=UTF-8", "text/plain", "", "application/json; charset=latin1",
        "multipart/form-data; boundary=--x",
    ]

    static let interesting: [[UInt8]] = [
        Array("%".utf8), Array("%%".utf8), Array("%0".utf8), Array("&".utf8), Array("=".utf8), Array("+".utf8),
        [0], [0xFF], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], Array("\"".utf8), Array("\\".utf8),
        Array("{".utf8), Array("}".utf8), Array("[".utf8), Array("]".utf8), Array("\\u0000".utf8), Array("\\ud800".utf8),
        Array("99999999999999999999999".utf8), Array("-1".utf8), Array("1e999".utf8), Array("\r\n".utf8),
        Array("comment_parent=".utf8), Array("redirect_to=//evil.example".utf8), Array(String(repeating: "a", count: 300).utf8),
    ]

    static func mutate(_ input: [UInt8], using random: inout SeededGenerator) -> [UInt8] {
        var bytes = input
        for _ in 0..<Int.random(in: 1...4, using: &random) {
            let position = bytes.isEmpty ? 0 : Int.random(in: 0...bytes.count, using: &random)
            switch Int.random(in: 0..<6, using: &random) {
            case 0 where !bytes.isEmpty:
                bytes[min(position, bytes.count - 1)] = UInt8.random(in: 0...255, using: &random)
            case 1:
                bytes.insert(contentsOf: interesting.randomElement(using: &random)!, at: position)
            case 2 where position < bytes.count:
                bytes.removeSubrange(position..<min(bytes.count, position + Int.random(in: 1...16, using: &random)))
            case 3:
                bytes = Array(bytes.prefix(position))
            case 4:
                bytes.insert(
                    contentsOf: (0..<Int.random(in: 1...32, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) },
                    at: position)
            default:
                bytes.insert(contentsOf: bytes.prefix(64), at: position)
            }
        }
        return bytes
    }

    @Test func everyAnswerIsBelow500AndTheServerStaysHealthy() async throws {
        let env = TestEnvironment { $0.limits.requestBody = 8192 }
        try await env.run { client async throws in
            var random = SeededGenerator(state: 20_261_127)
            var statuses: [Int: Int] = [:]
            for iteration in 0..<3000 {
                let (type, seed) = Self.corpus.randomElement(using: &random)!
                let body: [UInt8]
                switch iteration % 10 {
                case 0: body = (0..<Int.random(in: 0...512, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
                case 1: body = Array(seed.utf8)
                default: body = Self.mutate(Array(seed.utf8), using: &random)
                }
                let contentType = iteration % 7 == 0 ? Self.contentTypes.randomElement(using: &random)! : type
                var headers: HTTPFields = [:]
                if !contentType.isEmpty { headers[.contentType] = contentType }
                if iteration % 5 == 0 { headers[.accept] = "text/html" }
                let path = iteration % 2 == 0 ? "/comments" : "/wp-comments-post.php"
                let response = try await client.execute(uri: path, method: .post, headers: headers, body: ByteBuffer(bytes: body))
                statuses[Int(response.status.code), default: 0] += 1
                #expect(
                    response.status.code < 500,
                    "iteration \(iteration): \(response.status) for \(String(decoding: body.prefix(200), as: UTF8.self))")
            }
            #expect(
                statuses.keys.contains(400) && statuses.keys.contains(422) && statuses.keys.contains(415),
                "the corpus reaches the main outcomes: \(statuses)")
            #expect(statuses.keys.contains { [201, 303].contains($0) }, "and some bodies are accepted: \(statuses)")
            #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)
        }
    }
}
