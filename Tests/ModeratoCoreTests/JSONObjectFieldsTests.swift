import Foundation
import Testing

@testable import ModeratoCore

/// The hand-written reader against the decoder it replaced: Foundation's `JSONDecoder` decoding
/// `[String: JSONScalar]`, which is what every existing client was answered by. On every input —
/// written by hand where the decoder is lenient or strict, generated, and mutated byte by byte —
/// both must refuse the same bodies for the same reason and read the same value for each field.
@Suite("JSON object fields, differentially against Foundation's JSONDecoder")
struct JSONObjectFieldsTests {
    enum Outcome: Equatable, CustomStringConvertible {
        case fields([String: JSONScalar])
        case failure(JSONObjectFields.Failure)

        var description: String {
            switch self {
            case .fields(let fields): "fields \(fields.sorted { $0.key < $1.key })"
            case .failure(let failure): "\(failure)"
            }
        }
    }

    static let names = SubmissionBody.jsonFields + ["p"]

    /// What the old decoding path answered.
    static func foundation(_ bytes: [UInt8]) -> Outcome {
        do {
            let object = try JSONDecoder().decode([String: JSONScalar].self, from: Data(bytes))
            return .fields(object.filter { names.contains($0.key) })
        } catch DecodingError.typeMismatch {
            return .failure(.notAnObject)
        } catch {
            return .failure(.invalidJSON)
        }
    }

    static func handWritten(_ bytes: [UInt8]) -> Outcome {
        do {
            let object = try JSONObjectFields(parsing: bytes, names: names)
            var fields: [String: JSONScalar] = [:]
            for name in names { fields[name] = object[name] }
            return .fields(fields)
        } catch {
            return .failure(error)
        }
    }

    /// Compares both on `bytes` when they are UTF-8 (the submission path refuses anything else
    /// before either reader sees it).
    static func agree(_ bytes: [UInt8]) -> (Bool, String) {
        guard String(validating: bytes, as: UTF8.self) != nil else { return (true, "") }
        let expected = foundation(bytes)
        let actual = handWritten(bytes)
        return (
            expected == actual,
            "\(String(decoding: bytes.prefix(300), as: UTF8.self).debugDescription): JSONDecoder \(expected), ours \(actual)"
        )
    }

    static let handPicked: [String] = [
        "", " ", "null", "null ", "nul", "[]", "[1,]", "[-]", "[01]", "[1", "1", "\"x\"", "true", "{}", " {} ", "\t\r\n{}", "{}x", "{} {}",
        "\u{FEFF}{}", "\u{FEFF} {}", " \u{FEFF}{}", "/* c */{}", "{\u{0B}\"p\":1}", "{\"p\":1\u{0C}}", "{\"p\":1}\u{0}", "{\"p\":1}/",
        #"{"a":1,"a":2}"#, #"{"body":"x","body":2}"#, #"{"body":1,"body":"x"}"#, #"{"\u0062ody":"escaped key"}"#,
        #"{"p":1,}"#, #"{,}"#, #"{"a":1,,}"#, #"{"p" : 1 }"#, #"{"p" 1}"#, #"{"p":}"#, #"{'p':1}"#, #"{p:1}"#,
        #"{"p":1.0}"#, #"{"p":1e2}"#, #"{"p":1E2}"#, #"{"p":-0}"#, #"{"p":-0.0}"#, #"{"p":01}"#, #"{"p":-}"#, #"{"p":1.}"#,
        #"{"p":.5}"#, #"{"p":+1}"#, #"{"p":12345678901234567890}"#, #"{"p":9223372036854775807}"#, #"{"p":-9223372036854775808}"#,
        #"{"p":9223372036854775808}"#, #"{"p":-9223372036854775809}"#, #"{"p":1e999}"#, #"{"p":-1e999}"#, #"{"p":1e-400}"#,
        #"{"p":1.5e3}"#, #"{"p":100e-2}"#, #"{"p":1.25e1}"#, #"{"p":2.50e1}"#, #"{"p":1.0000000000000001}"#,
        #"{"p":9007199254740993}"#, #"{"p":9007199254740993.0}"#, #"{"p":9007199254740993.5}"#, #"{"p":9007199254740993.0000}"#,
        #"{"p":-9223372036854775808.0}"#, #"{"p":9223372036854775807.0}"#, #"{"p":1234567890123456789.0}"#, #"{"p":1e18}"#,
        #"{"p":1e19}"#, #"{"p":-1e18}"#, #"{"p":0.1e1}"#, #"{"p":10e-1}"#, #"{"p":-0e5}"#, #"{"p":1E05}"#, #"{"p":1e+2}"#,
        #"{"p":123456789012345678901234567890e-20}"#, #"{"p":0.00000000000000000001e20}"#, #"{"p":92233720368547758070e-1}"#,
        #"{"p":1-2}"#, #"{"p":1+2}"#, #"{"p":1e5e5}"#, #"{"p":1e}"#, #"{"p":1e+}"#, #"{"p":--1}"#, #"{"p":1..2}"#, #"{"p":-01}"#,
        #"{"p":00}"#, #"{"p":0x10}"#, #"{"p":1a}"#, #"{"p":NaN}"#, #"{"p":Infinity}"#,
        #"{"p":"\ud800"}"#, #"{"p":"\udc00"}"#, #"{"p":"\ud83d\ude00"}"#, #"{"p":"\uD83D\uDE00"}"#, #"{"p":"\ud83dx"}"#,
        #"{"p":"\ud83d\u0041"}"#, #"{"p":"\ud83d"}"#, #"{"p":"\ud83d\ud83d"}"#, #"{"p":"\u0000"}"#, "{\"p\":\"a\tb\"}",
        "{\"p\":\"a\nb\"}", #"{"p":"\x"}"#, #"{"p":"\/"}"#, "{\"p\":\"\u{7F}\"}", #"{"p":"\u00e9"}"#, #"{"p":"\U00e9"}"#,
        #"{"p":"\u12"}"#, #"{"p":"\u12g4"}"#, #"{"p":"\u0041\u00410"}"#, #"{"p":"\/\b\f\n\r\t\\\""}"#, #"{"p":"a\"}"#,
        "{\"a\tb\":1}", #"{"\ud800":1}"#, #"{"\x":1}"#, #"{"e\u0301":1}"#, "{\"é\":1}",
        #"{"p":[1,{"a":[]}]}"#, #"{"p":{}}"#, #"{"p":true}"#, #"{"p":false}"#, #"{"p":null}"#, #"{"p":nul}"#, #"{"p":tru}"#,
        #"{"p":true1}"#, #"{"p":truex}"#, #"{"p":nulls}"#, #"{"p":NULL}"#, #"{"p":[true false]}"#, #"{"p":"a"}}"#,
        #"{"p":"x",}  "#, "{\"p\":\"x\"\t}", #"{"p":[,]}"#, #"{"p":[]"#, #"{"p":[}"#, #"{"p":[1,]}"#, #"{"p":[1 2]}"#,
        #"{"p":{"a"}}"#, #"{"p":{"a":1,}}"#, #"{"p":{1:2}}"#, #"{"p":{"a":1 "b":2}}"#, #"{"p":{"a":}}"#, #"{"p":[nul]}"#,
        #"{"p":[-]}"#, #"{"p":[.5]}"#, #"{"p":{"a":[}]}}"#, #"{"p":["a\x",{"b":01}]}"#, "{\"p\":[\"a\tb\"]}",
        #"{"p":[{"\ud800":1}]}"#, #"{"p":[{"k":1,"k":2}]}"#, #"{"p":[{"k":1,}],}"#,
        #"{"body":"Hello","author":"Taro","email":"taro@example.org","post":"/p/","parent":null,"url":"http://x.org"}"#,
        #"{"body":"\u3053\u3093","author":"\ud83d\ude00","email":"a@b.org","post":42,"parent":"0"}"#,
        #"{"body":["x"],"author":{"a":1},"email":true,"post":4.5,"parent":-3,"url":1,"moderato_hp":0}"#,
    ]

    @Test func handPickedInputsAgree() {
        for text in Self.handPicked {
            let (same, report) = Self.agree(Array(text.utf8))
            #expect(same, "\(report)")
        }
        for depth in [510, 511, 512, 513, 600] {
            let nested = "{\"p\":" + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "}"
            let (same, report) = Self.agree(Array(nested.utf8))
            #expect(same, "depth \(depth): \(report.prefix(200))")
            let bare = String(repeating: "[", count: depth + 1) + String(repeating: "]", count: depth + 1)
            let (sameBare, reportBare) = Self.agree(Array(bare.utf8))
            #expect(sameBare, "top-level depth \(depth + 1): \(reportBare.prefix(200))")
        }
    }

    /// Random documents built from JSON's pieces, our field names among the keys, then broken in
    /// small ways: 20,000 inputs, the same each run (a failure replays).
    @Test func generatedAndMutatedInputsAgree() {
        var random = Generator(state: 18)
        var failures = 0
        for _ in 0..<20_000 {
            var bytes = Array(Self.document(using: &random).utf8)
            if random.next() % 2 == 0 { bytes = Self.mutate(bytes, using: &random) }
            let (same, report) = Self.agree(bytes)
            if !same {
                failures += 1
                if failures <= 20 { Issue.record("\(report)") }
            }
        }
        #expect(failures == 0)
    }

    static let keys = SubmissionBody.jsonFields + ["p", "other", "bod\\u0079", "", "e\\u0301"]
    static let strings = [
        "plain text", "", "caf\\u00e9", "\\ud83d\\ude00", "\\ud800", "\\udc00x", "a\\nb", "\\\"q\\\"", "\\/", "\\x", "\\u12",
        "\\u00", "tab\there", "\\\\", "é", "日本語", "\\u0000",
    ]
    static let numbers = [
        "0", "-0", "1", "42", "-7", "1.0", "1.5", "1e2", "1E+2", "1e-2", "2.50e1", "1e999", "1e-400", "01", "1.", "-", "1e",
        "9223372036854775807", "9223372036854775808", "-9223372036854775808", "9007199254740993.0", "9007199254740993.5",
        "12345678901234567890", "1-2", "0.1e1", "100e-2",
    ]

    static func value(depth: Int, using random: inout Generator) -> String {
        switch random.next() % (depth > 3 ? 4 : 7) {
        case 0: return "\"" + strings[Int(random.next() % UInt64(strings.count))] + "\""
        case 1: return numbers[Int(random.next() % UInt64(numbers.count))]
        case 2: return ["true", "false", "null"][Int(random.next() % 3)]
        case 3: return "\"" + strings[Int(random.next() % UInt64(strings.count))] + "\""
        case 4: return "[" + (0..<Int(random.next() % 3)).map { _ in value(depth: depth + 1, using: &random) }.joined(separator: ",") + "]"
        default: return object(depth: depth + 1, using: &random)
        }
    }

    static func object(depth: Int, using random: inout Generator) -> String {
        let members = (0..<Int(random.next() % 9)).map { _ in
            "\"" + keys[Int(random.next() % UInt64(keys.count))] + "\"" + [":", " : ", ":\n"][Int(random.next() % 3)]
                + value(depth: depth, using: &random)
        }
        let trailing = random.next() % 10 == 0 && !members.isEmpty ? "," : ""
        return "{" + members.joined(separator: [",", ", ", ",\t"][Int(random.next() % 3)]) + trailing + "}"
    }

    static func document(using random: inout Generator) -> String {
        random.next() % 20 == 0 ? value(depth: 0, using: &random) : object(depth: 0, using: &random)
    }

    static let pieces: [[UInt8]] = [
        Array("\"".utf8), Array("\\".utf8), Array(",".utf8), Array(":".utf8), Array("{".utf8), Array("}".utf8), Array("[".utf8),
        Array("]".utf8), Array("\\u".utf8), Array("e".utf8), Array("-".utf8), Array(".".utf8), Array(" ".utf8), [0x09], [0x0A],
        [0x00], Array("null".utf8), Array("\u{FEFF}".utf8),
    ]

    static func mutate(_ input: [UInt8], using random: inout Generator) -> [UInt8] {
        var bytes = input
        for _ in 0..<(1 + Int(random.next() % 3)) {
            let position = bytes.isEmpty ? 0 : Int(random.next() % UInt64(bytes.count + 1))
            switch random.next() % 4 {
            case 0 where position < bytes.count: bytes.remove(at: position)
            case 1: bytes.insert(contentsOf: pieces[Int(random.next() % UInt64(pieces.count))], at: position)
            case 2 where position < bytes.count: bytes[position] = UInt8(truncatingIfNeeded: random.next() % 128)
            default: bytes = Array(bytes.prefix(position))
            }
        }
        return bytes
    }

    /// SplitMix64: deterministic, so a failure replays.
    struct Generator {
        var state: UInt64

        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }
}
