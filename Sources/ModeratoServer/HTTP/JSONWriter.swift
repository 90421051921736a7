import Foundation
import ModeratoCore
import NIOCore

/// Writes Moderato's JSON by hand, byte for byte what `JSONEncoder.moderato` writes (keys in byte
/// order, `/` unescaped, `\b \t \n \f \r` and `\u00xx` for the other control characters, RFC 3339
/// dates), for the answers on the hot paths: a listing, a 201, a moderation page. The encoder
/// spent more on its containers than on the text; `JSONWriterTests` keeps both in agreement.
///
/// Objects are written by the types that own them (`PublicComment.write(to:)` …), with their keys
/// in the encoder's sorted order, which those functions spell out.
struct JSONWriter {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 1024) {
        bytes.reserveCapacity(capacity)
    }

    /// Punctuation and key names: text known to need no escaping.
    mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// `"key":`
    mutating func key(_ name: StaticString) {
        bytes.append(UInt8(ascii: "\""))
        raw(name)
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
    }

    mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            var plainStart = 0
            for index in 0..<utf8.count {
                let byte = utf8[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[plainStart..<index]))
                plainStart = index + 1
                bytes.append(UInt8(ascii: "\\"))
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(byte)
                case 0x08: bytes.append(UInt8(ascii: "b"))
                case 0x09: bytes.append(UInt8(ascii: "t"))
                case 0x0A: bytes.append(UInt8(ascii: "n"))
                case 0x0C: bytes.append(UInt8(ascii: "f"))
                case 0x0D: bytes.append(UInt8(ascii: "r"))
                default:
                    let digits: StaticString = "0123456789abcdef"
                    bytes.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
                    digits.withUTF8Buffer { hex in
                        bytes.append(hex[Int(byte >> 4)])
                        bytes.append(hex[Int(byte & 0x0F)])
                    }
                }
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[plainStart..<utf8.count]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    mutating func string(_ text: String?) {
        if let text { string(text) } else { raw("null") }
    }

    /// `[` the items, each written by `write`, separated by commas `]`.
    mutating func array<Item>(_ items: [Item], _ write: (Item, inout JSONWriter) -> Void) {
        raw("[")
        for (index, item) in items.enumerated() {
            if index > 0 { raw(",") }
            write(item, &self)
        }
        raw("]")
    }

    mutating func integer(_ value: Int64) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // room for Int64's 19 digits, written backwards
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[23 - count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0
            bytes.append(contentsOf: buffer[(24 - count)..<24])
        }
    }

    mutating func integer(_ value: Int64?) {
        if let value { integer(value) } else { raw("null") }
    }

    mutating func integer(_ value: Int) {
        integer(Int64(value))
    }

    /// `"2026-11-27T21:32:15Z"`, as `RFC3339.string(from:)` writes it, without the strings between.
    mutating func date(_ date: Date) {
        let time = UTCTimestamp(date)
        guard (0...9999).contains(time.year) else { return string(RFC3339.string(from: date)) }
        bytes.append(UInt8(ascii: "\""))
        digits(time.year, 4)
        bytes.append(UInt8(ascii: "-"))
        digits(time.month, 2)
        bytes.append(UInt8(ascii: "-"))
        digits(time.day, 2)
        bytes.append(UInt8(ascii: "T"))
        digits(time.hour, 2)
        bytes.append(UInt8(ascii: ":"))
        digits(time.minute, 2)
        bytes.append(UInt8(ascii: ":"))
        digits(time.second, 2)
        bytes.append(UInt8(ascii: "Z"))
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func digits(_ value: Int, _ count: Int) {
        var divisor = 1
        for _ in 1..<count { divisor *= 10 }
        while divisor > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(value / divisor % 10))
            divisor /= 10
        }
    }

    mutating func date(_ date: Date?) {
        if let date { self.date(date) } else { raw("null") }
    }

    var byteBuffer: ByteBuffer {
        ByteBuffer(bytes: bytes)
    }
}
