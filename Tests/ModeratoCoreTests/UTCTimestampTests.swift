import Foundation
import ModeratoCore
import Testing

/// The timestamps written digit by digit against the interpolated strings they replaced, and
/// RFC 3339 (whole seconds) against Foundation's own formatter, over many moments.
@Suite("UTC timestamps as text")
struct UTCTimestampTests {
    static func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
    static func four(_ value: Int) -> String {
        value < 1000 ? String(repeating: "0", count: 4 - String(value).count) + "\(value)" : "\(value)"
    }

    @Test func bothFormatsAreWhatTheyWere() {
        let iso = ISO8601DateFormatter()
        iso.timeZone = TimeZone(identifier: "UTC")
        iso.formatOptions = [.withInternetDateTime]
        var seconds = -86_400.0 * 366
        while seconds < 253_402_300_799 {
            let date = Date(timeIntervalSince1970: seconds)
            let time = UTCTimestamp(date)
            let millis =
                time.milliseconds < 10
                ? "00\(time.milliseconds)" : time.milliseconds < 100 ? "0\(time.milliseconds)" : "\(time.milliseconds)"
            let fields = "\(Self.four(time.year))-\(Self.two(time.month))-\(Self.two(time.day))"
            let clock = "\(Self.two(time.hour)):\(Self.two(time.minute)):\(Self.two(time.second))"
            #expect(time.rfc3339 == "\(fields)T\(clock)Z", "\(seconds)")
            // Foundation rounds a fraction of a second where the API truncates: whole seconds agree.
            let wholeSeconds = Date(timeIntervalSince1970: seconds.rounded(.down))
            #expect(UTCTimestamp(wholeSeconds).rfc3339 == iso.string(from: wholeSeconds), "\(seconds)")
            #expect(time.databaseText == "\(fields) \(clock).\(millis)", "\(seconds)")
            seconds += 7_777_777.123
        }
    }
}
