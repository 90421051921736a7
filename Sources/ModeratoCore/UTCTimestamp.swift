import Foundation

/// A moment broken down into its UTC calendar fields: the one place times become text, for the
/// API (RFC 3339) and for the database's own column format.
///
/// Formatted by hand with `gmtime_r` rather than a date formatter: it runs for every comment of
/// every rendered listing and every stored submission, where a formatter costs more than the
/// work around it.
public struct UTCTimestamp: Sendable, Equatable {
    public let year: Int
    public let month: Int
    public let day: Int
    public let hour: Int
    public let minute: Int
    public let second: Int
    /// Whole milliseconds, truncated.
    public let milliseconds: Int

    public init(_ date: Date) {
        let totalMilliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        var seconds = time_t(totalMilliseconds.floorDivided(by: 1000))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        year = Int(parts.tm_year) + 1900
        month = Int(parts.tm_mon) + 1
        day = Int(parts.tm_mday)
        hour = Int(parts.tm_hour)
        minute = Int(parts.tm_min)
        second = Int(parts.tm_sec)
        milliseconds = Int(totalMilliseconds - totalMilliseconds.floorDivided(by: 1000) * 1000)
    }

    /// `2026-11-27T21:32:15Z`: how the API shows times (whole seconds).
    public var rfc3339: String {
        guard (0...9999).contains(year) else {
            return "\(four(year))-\(two(month))-\(two(day))T\(two(hour)):\(two(minute)):\(two(second))Z"
        }
        return format(dateSeparator: UInt8(ascii: "T"), milliseconds: false)
    }

    /// `2026-11-27 21:32:15.123`: GRDB's format for a `Date` column, so records read back the
    /// same `Date` (milliseconds).
    public var databaseText: String {
        guard (0...9999).contains(year) else {
            let millis = milliseconds < 10 ? "00\(milliseconds)" : milliseconds < 100 ? "0\(milliseconds)" : "\(milliseconds)"
            return "\(four(year))-\(two(month))-\(two(day)) \(two(hour)):\(two(minute)):\(two(second)).\(millis)"
        }
        return format(dateSeparator: UInt8(ascii: " "), milliseconds: true)
    }

    /// Both formats for years 0–9999, digit by digit into one buffer: every stored submission
    /// writes two and every listed comment reads out one, where string interpolation made a
    /// string per field.
    private func format(dateSeparator: UInt8, milliseconds withMilliseconds: Bool) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(23)
        func digits(_ value: Int, _ count: Int) {
            var divisor = 1
            for _ in 1..<count { divisor *= 10 }
            while divisor > 0 {
                bytes.append(UInt8(ascii: "0") + UInt8(value / divisor % 10))
                divisor /= 10
            }
        }
        digits(year, 4)
        bytes.append(UInt8(ascii: "-"))
        digits(month, 2)
        bytes.append(UInt8(ascii: "-"))
        digits(day, 2)
        bytes.append(dateSeparator)
        digits(hour, 2)
        bytes.append(UInt8(ascii: ":"))
        digits(minute, 2)
        bytes.append(UInt8(ascii: ":"))
        digits(second, 2)
        if withMilliseconds {
            bytes.append(UInt8(ascii: "."))
            digits(milliseconds, 3)
        } else {
            bytes.append(UInt8(ascii: "Z"))
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
    private func four(_ value: Int) -> String {
        value < 1000 ? String(repeating: "0", count: 4 - String(value).count) + "\(value)" : "\(value)"
    }
}

/// Times as the API shows them: `2026-11-27T21:32:15Z` (UTC, whole seconds).
public enum RFC3339 {
    public static func string(from date: Date) -> String {
        UTCTimestamp(date).rfc3339
    }
}

extension Int64 {
    /// Division rounding towards minus infinity, so times before 1970 break down correctly too.
    fileprivate func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
