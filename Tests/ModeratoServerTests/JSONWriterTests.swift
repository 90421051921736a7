import Foundation
import ModeratoCore
import Testing

@testable import ModeratoServer

/// The hand-written JSON of the hot paths against `JSONEncoder.moderato`, which every other answer
/// still uses: on a corpus of comments with every awkward character, missing fields and odd dates,
/// the bytes must be identical.
@Suite("JSONWriter writes what JSONEncoder.moderato writes")
struct JSONWriterTests {
    static let texts: [String] = {
        var controls = ""
        for value in 0..<0x20 { controls.unicodeScalars.append(Unicode.Scalar(value)!) }
        return [
            "", "plain", controls, "\u{7F}\"\\/ é\u{2028}\u{2029}\u{FEFF}😀<>&'", "line\r\nbreak\n\nparagraph",
            "https://example.org/a_(b)?c=d&e=\"f\"", "日本語のコメント", "e\u{301}", "\\u0000", "</script>", String(repeating: "x", count: 5000),
            "tab\there", "\"quoted\"", "back\\slash", "a/b/c",
        ]
    }()

    static func dates(_ random: inout SeededGenerator) -> Date {
        let choices: [Double] = [0, -86_400.5, 1_764_252_185.123, 1_764_252_185, 253_402_300_799.999, 1e9 + 0.0005, -1]
        return Date(timeIntervalSince1970: choices[Int(random.next() % UInt64(choices.count))])
    }

    static func comments(count: Int) -> [ModeratoCore.Comment] {
        var random = SeededGenerator(state: 1818)
        func pick<T>(_ values: [T]) -> T { values[Int(random.next() % UInt64(values.count))] }
        let reasons: [ModerationReason?] = [
            nil, .modeAll, ModerationReason(.links, detail: "3"), ModerationReason(.moderator, detail: "cli:\"ana\""),
        ]
        return (0..<count).map { index in
            ModeratoCore.Comment(
                id: pick([1, 42, Int64.max, 9_007_199_254_740_993, Int64(index)]), post: pick(texts), parent: pick([nil, 1, Int64.max]),
                status: pick(CommentStatus.allCases), author: pick(texts),
                url: pick([nil, "https://example.org/", "http://x.org/?a=b&c=\"d\""]),
                emailHash: pick(["", String(repeating: "ab", count: 32)]), ipHash: pick([nil, String(repeating: "cd", count: 32)]),
                body: pick(texts), createdAt: dates(&random), updatedAt: dates(&random),
                moderatedAt: random.next() % 2 == 0 ? nil : dates(&random),
                reason: pick(reasons)
            )
        }
    }

    static let keyring = try! Keyring(secret: Array(repeating: 7, count: 32))

    static func encoded(_ value: some Encodable) throws -> String {
        String(decoding: try JSONEncoder.moderato.encode(value), as: UTF8.self)
    }

    static func written(_ write: (inout JSONWriter) -> Void) -> String {
        var json = JSONWriter()
        write(&json)
        return String(decoding: json.bytes, as: UTF8.self)
    }

    @Test func publicCommentsAndListingsAreTheSameBytes() throws {
        for comment in Self.comments(count: 400) {
            for status in [nil, "approved", "pending"] {
                let value = PublicComment(comment, keyring: Self.keyring, status: status)
                #expect(Self.written(value.write) == (try Self.encoded(value)))
            }
        }
        let all = Self.comments(count: 60).map { PublicComment($0, keyring: Self.keyring) }
        for next in [nil, "abc\"def"] {
            for slice in [all[0..<0], all[0..<1], all[...]] {
                let listing = ThreadListing(post: "/p/\"ö\"/", total: slice.count * 3, comments: Array(slice), next: next)
                #expect(String(decoding: listing.json, as: UTF8.self) == (try Self.encoded(listing)))
            }
        }
    }

    @Test func moderationCommentsAndPagesAreTheSameBytes() throws {
        for comment in Self.comments(count: 400) {
            for includesHashes in [true, false] {
                let value = ModerationComment(comment, avatar: "0123456789abcdef", includesHashes: includesHashes)
                #expect(Self.written(value.write) == (try Self.encoded(value)))
            }
        }
        let all = Self.comments(count: 60).map { ModerationComment($0, keyring: Self.keyring) }
        for (post, next) in [(nil, nil), ("/p/", "cursor"), ("\u{1}", nil)] as [(String?, String?)] {
            let page = ModerationListing(post: post, status: "pending", total: Int.max, comments: all, next: next)
            #expect(Self.written(page.write) == (try Self.encoded(page)))
        }
    }

    @Test func integersAtTheirLimits() {
        for value in [0, 1, -1, 9, 10, -10, 99, 100, Int64.max, Int64.min, Int64.min + 1, 1_000_000_007] as [Int64] {
            #expect(Self.written { $0.integer(value) } == String(value))
        }
    }
}

@Suite("The server's log line")
struct LogLineHandlerTests {
    @Test func timestampsAreRFC3339InUTC() {
        for seconds: Int64 in [0, 59, 86_399, 86_400, 951_782_400, 1_764_650_287, 4_102_444_799, -1, -86_401] {
            var line: [UInt8] = []
            LogLineHandler.appendTimestamp(seconds: seconds, to: &line)
            // UTCTimestamp's RFC 3339 (…Z) is the reference; the log writes the zone as StreamLogHandler did.
            let reference = RFC3339.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
            #expect(String(decoding: line, as: UTF8.self) == String(reference.prefix(19)) + "+0000", "\(seconds)")
        }
    }
}
