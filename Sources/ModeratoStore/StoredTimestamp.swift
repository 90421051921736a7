import Foundation
import GRDB

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A time as the database stores it: `YYYY-MM-DD HH:MM:SS.SSS` in UTC, GRDB's own format, so
/// records read the column back as the same `Date`.
///
/// Formatted by hand because GRDB formats each bound `Date` with a `DateFormatter`, which costs
/// more than the insert it is part of.
struct StoredTimestamp {
    let text: String
    /// The `Date` the text stands for (milliseconds), exactly as GRDB parses it back.
    let date: Date

    init(_ date: Date) {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        var seconds = time_t(milliseconds / 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let fraction = milliseconds % 1000
        let millis = fraction < 10 ? "00\(fraction)" : fraction < 100 ? "0\(fraction)" : "\(fraction)"
        text = "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday)) "
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)).\(millis)"
        self.date = Date.fromDatabaseValue(text.databaseValue) ?? date
    }
}
