import Foundation
import ModeratoCore
import Testing

/// The hand-formatted timestamps against Foundation's formatters, over many moments.
@Suite("UTC timestamps as text")
struct UTCTimestampTests {
    @Test func bothFormatsMatchFoundationsFormatters() {
        let iso = ISO8601DateFormatter()
        iso.timeZone = TimeZone(identifier: "UTC")
        iso.formatOptions = [.withInternetDateTime]
        let database = DateFormatter()
        database.locale = Locale(identifier: "en_US_POSIX")
        database.timeZone = TimeZone(identifier: "UTC")
        database.dateFormat = "yyyy-MM-dd HH:mm:ss.SSS"
        var seconds = -86_400.0 * 366
        while seconds < 253_402_300_799 {
            // Whole milliseconds, as stored: the formatters and the truncation then agree.
            let date = Date(timeIntervalSince1970: (seconds * 1000).rounded(.down) / 1000)
            #expect(UTCTimestamp(date).rfc3339 == iso.string(from: date), "\(seconds)")
            #expect(UTCTimestamp(date).databaseText == database.string(from: date), "\(seconds)")
            seconds += 7_777_777.123
        }
    }
}
