import Foundation
import ModeratoCore

/// A plain-text mail as `sendmail -t -oi` reads it on its standard input: RFC 5322 headers
/// (the subject and the sender's name RFC 2047-encoded when they are not plain ASCII), then a
/// UTF-8 `text/plain` body, quoted-printable so no line is too long for SMTP whatever the comment.
/// Lines end in LF, the local convention the MTA converts.
struct EmailMessage: Sendable, Equatable {
    var fromName: String
    var fromAddress: String
    var to: [String]
    var subject: String
    var date: Date
    /// Without the angle brackets: `msg_…@host`.
    var messageID: String
    var body: String

    /// The whole message, headers and body.
    var rendered: String {
        var headers = [
            "From: \(MailHeader.mailbox(name: fromName, address: fromAddress))",
            "To: \(to.joined(separator: ", "))",
            "Subject: \(MailHeader.unstructured(subject, nameLength: "Subject".count))",
            "Date: \(MailHeader.date(date))",
            "Message-ID: <\(messageID)>",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: quoted-printable",
            // RFC 3834: no vacation replies or bounces to loops, please.
            "Auto-Submitted: auto-generated",
        ]
        headers.append("")
        return headers.joined(separator: "\n") + "\n" + QuotedPrintable.encode(body)
    }
}

/// Header values as RFC 5322 and RFC 2047 want them.
enum MailHeader {
    /// A header text: printable ASCII as it is, folded at spaces onto continuation lines; anything
    /// else as RFC 2047 encoded words of whole characters, folded the same way. Lines stay within
    /// 76 characters (but for a single ASCII word longer than that, which RFC 5322 allows).
    static func unstructured(_ text: String, nameLength: Int) -> String {
        if isPlain(text) {
            return fold(text.split(separator: " ", omittingEmptySubsequences: false).map(String.init), nameLength: nameLength)
        }
        return fold(encodedWords(text), nameLength: nameLength)
    }

    /// `Name <address>`, the name encoded when it is not plain words.
    static func mailbox(name: String, address: String, nameLength: Int = "From".count) -> String {
        guard !name.isEmpty else { return address }
        let atext = name.unicodeScalars.allSatisfy { scalar in
            (scalar.value < 0x7F && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)))
                || " !#$%&'*+-/=?^_`{|}~".unicodeScalars.contains(scalar)
        }
        let words = atext && !name.hasPrefix(" ") && !name.hasSuffix(" ") ? [name] : encodedWords(name)
        return fold(words + ["<\(address)>"], nameLength: nameLength)
    }

    private static func isPlain(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value < 0x7F }
    }

    /// Words separated by spaces, a line break before a word that would pass 76 characters.
    private static func fold(_ words: [String], nameLength: Int) -> String {
        var output = ""
        var length = nameLength + 2  // "Name: "
        for (index, word) in words.enumerated() {
            if index > 0 {
                if length + 1 + word.utf8.count > 76 {
                    output += "\n "
                    length = 1
                } else {
                    output += " "
                    length += 1
                }
            }
            output += word
            length += word.utf8.count
        }
        return output
    }

    /// `=?UTF-8?B?…?=` words of at most 39 bytes of text each (64 characters with the wrapping,
    /// so a line with the header's name stays within 76), never splitting a code point.
    static func encodedWords(_ text: String) -> [String] {
        var words: [String] = []
        var chunk: [UInt8] = []
        // By code point, as RFC 2047 asks (a word holds whole characters of its charset).
        for scalar in text.unicodeScalars {
            let bytes = Array(String(scalar).utf8)
            if chunk.count + bytes.count > 39, !chunk.isEmpty {
                words.append(word(chunk))
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty || words.isEmpty { words.append(word(chunk)) }
        return words
    }

    private static func word(_ bytes: [UInt8]) -> String {
        "=?UTF-8?B?\(Data(bytes).base64EncodedString())?="
    }

    /// `Wed, 02 Dec 2026 10:00:00 +0000`.
    static func date(_ date: Date) -> String {
        let time = UTCTimestamp(date)
        let days = Int((date.timeIntervalSince1970 / 86400).rounded(.down))
        // 1 January 1970 was a Thursday.
        let weekday = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][((days % 7) + 7) % 7]
        let month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][time.month - 1]
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(weekday), \(two(time.day)) \(month) \(time.year) \(two(time.hour)):\(two(time.minute)):\(two(time.second)) +0000"
    }
}

/// RFC 2045 quoted-printable, for UTF-8 text with LF line ends: readable where it is ASCII, and
/// no line over 76 characters (soft breaks), whatever the comment holds.
enum QuotedPrintable {
    static func encode(_ text: String) -> String {
        var output = ""
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        for (index, line) in lines.enumerated() {
            output += encode(line: Array(line.utf8))
            if index < lines.count - 1 { output += "\n" }
        }
        return output
    }

    private static func encode(line bytes: [UInt8]) -> String {
        var output = ""
        var length = 0
        for (index, byte) in bytes.enumerated() {
            let isLast = index == bytes.count - 1
            let literal =
                (byte >= 33 && byte <= 126 && byte != UInt8(ascii: "="))
                || ((byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")) && !isLast)
            let piece = literal ? String(UnicodeScalar(byte)) : escape(byte)
            // Room for a soft break ("=") must stay on the line, unless this is its last piece.
            let limit = isLast ? 76 : 75
            if length + piece.count > limit {
                output += "=\n"
                length = 0
            }
            output += piece
            length += piece.count
        }
        return output
    }

    private static func escape(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return "=" + String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 0x0F)])
    }
}
