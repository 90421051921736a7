import GRDB
import ModeratoCore

extension SQLiteCommentStore {
    func approvedThread(post: PostKey, afterID: Int64?, limit: Int) async throws -> CommentPage {
        try await pool.read { db in
            // One more than asked tells whether another page follows, without counting.
            var records =
                try CommentRecord
                .filter(CommentRecord.Columns.post == post.text && CommentRecord.Columns.status == CommentStatus.approved)
                .filter(CommentRecord.Columns.id > (afterID ?? 0))
                .order(CommentRecord.Columns.id)
                .limit(limit + 1)
                .fetchAll(db)
            let hasMore = records.count > limit
            if hasMore { records.removeLast() }
            let total =
                try Int.fetchOne(
                    db, sql: "SELECT count FROM comment_counts WHERE post = ? AND status = 'approved'", arguments: [post.text]
                ) ?? 0
            return CommentPage(comments: records.map(\.comment), total: total, hasMore: hasMore)
        }
    }

    func approvedCounts(posts: [PostKey]) async throws -> [PostKey: Int] {
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

    func latestApproved(post: PostKey?, limit: Int) async throws -> [Comment] {
        try await pool.read { db in
            var request = CommentRecord.filter(CommentRecord.Columns.status == CommentStatus.approved)
            if let post {
                request = request.filter(CommentRecord.Columns.post == post.text)
            }
            return try request.order(CommentRecord.Columns.id.desc).limit(limit).fetchAll(db).map(\.comment)
        }
    }

    func comment(id: Int64) async throws -> Comment? {
        try await pool.read { db in try CommentRecord.fetchOne(db, key: id)?.comment }
    }

    func isPostClosed(_ post: PostKey) async throws -> Bool {
        try await pool.read { db in
            try Bool.fetchOne(db, sql: "SELECT closed FROM posts WHERE post = ?", arguments: [post.text]) ?? false
        }
    }
}
