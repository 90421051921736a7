import GRDB
import ModeratoCore

extension SQLiteCommentStore {
    public func approvedThread(post: PostKey, afterID: Int64?, limit: Int) async throws -> CommentPage {
        let post = post.text
        return try await pool.read { db in
            // One more than asked tells whether another page follows, without counting.
            var records = try CommentRecord
                .filter(CommentRecord.Columns.post == post && CommentRecord.Columns.status == CommentStatus.approved.rawValue)
                .filter(CommentRecord.Columns.id > (afterID ?? 0))
                .order(CommentRecord.Columns.id)
                .limit(limit + 1)
                .fetchAll(db)
            let hasMore = records.count > limit
            if hasMore { records.removeLast() }
            let total = try Int.fetchOne(
                db, sql: "SELECT count FROM comment_counts WHERE post = ? AND status = 'approved'", arguments: [post]
            ) ?? 0
            return CommentPage(comments: records.map(\.comment), total: total, hasMore: hasMore)
        }
    }

    public func approvedCounts(posts: [PostKey]) async throws -> [PostKey: Int] {
        guard !posts.isEmpty else { return [:] }
        return try await pool.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT post, count FROM comment_counts
                    WHERE status = 'approved' AND post IN (\(databaseQuestionMarks(count: posts.count)))
                    """,
                arguments: StatementArguments(posts.map(\.text))
            )
            return Dictionary(rows.map { (PostKey(stored: $0["post"]), $0["count"] as Int) }, uniquingKeysWith: +)
        }
    }

    public func latestApproved(post: PostKey?, limit: Int) async throws -> [Comment] {
        try await pool.read { db in
            var request = CommentRecord.filter(CommentRecord.Columns.status == CommentStatus.approved.rawValue)
            if let post {
                request = request.filter(CommentRecord.Columns.post == post.text)
            }
            return try request.order(CommentRecord.Columns.id.desc).limit(limit).fetchAll(db).map(\.comment)
        }
    }

    public func publicationChanges(since version: Int64) async throws -> PublicationChanges {
        try await pool.read { db in
            let latest = try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(version), 0) FROM posts") ?? 0
            guard latest > version else { return PublicationChanges(latest: latest, posts: [:]) }
            let rows = try Row.fetchAll(db, sql: "SELECT post, version FROM posts WHERE version > ?", arguments: [version])
            // Never `uniqueKeysWithValues` on data from the database: keys that Swift finds equal
            // but SQLite does not (a spelling written before keys were normalised) must not trap.
            return PublicationChanges(
                latest: latest,
                posts: Dictionary(rows.map { ($0["post"] as String, $0["version"] as Int64) }, uniquingKeysWith: max)
            )
        }
    }
}
