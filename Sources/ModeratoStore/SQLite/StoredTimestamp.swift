import Foundation
import GRDB
import ModeratoCore

/// A time as the database stores it: `YYYY-MM-DD HH:MM:SS.SSS` in UTC, GRDB's own format, so
/// records read the column back as the same `Date`.
///
/// Formatted by `UTCTimestamp` because GRDB formats each bound `Date` with a `DateFormatter`,
/// which costs more than the insert it is part of.
struct StoredTimestamp {
    let text: String
    /// The `Date` the text stands for (milliseconds), exactly as GRDB parses it back.
    let date: Date

    init(_ date: Date) {
        text = UTCTimestamp(date).databaseText
        self.date = Date.fromDatabaseValue(text.databaseValue) ?? date
    }
}
