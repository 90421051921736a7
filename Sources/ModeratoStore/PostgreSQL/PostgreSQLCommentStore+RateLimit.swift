import Foundation
import ModeratoCore
import PostgresNIO

/// The per-minute rate limit, site-wide: every server on this database counts in one table
/// (`004_postgresql_submission_rate.sql`), one statement per submission.
extension PostgreSQLCommentStore: SharedSubmissionRate {
    var sharedSubmissionRate: (any SharedSubmissionRate)? { self }

    func admitSubmission(client: UInt64, limit: Int, window: Duration) async throws -> Int? {
        let seconds = Double(window.components.seconds) + Double(window.components.attoseconds) / 1e18
        // The store's clock, like every time it records (tests move it); servers' clocks agree
        // to within what NTP keeps them, far below a minute's window.
        let rows = try await self.rows(
            """
            SELECT moderato_admit_submission(\(Int64(bitPattern: client)), \(Int32(clamping: limit)),
                make_interval(secs => \(seconds)), \(StoredTime(exactly: clock())))
            """)
        guard let wait = try rows.first?.decode(Double?.self) else { return nil }
        return max(1, Int(wait.rounded(.up)))
    }
}
