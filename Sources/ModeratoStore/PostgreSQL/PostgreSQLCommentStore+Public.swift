import ModeratoCore
import PostgresNIO

extension PostgreSQLCommentStore {
    func approvedThread(post: PostKey, afterID: Int64?, limit: Int) async throws -> CommentPage {
        // One statement, so the page and its total come from one snapshot; one more row than
        // asked tells whether another page follows.
        let rows = try await self.rows(
            """
            SELECT \(unescaped: Self.commentColumns),
                (SELECT count FROM comment_counts WHERE post = \(post.text) AND status = 'approved') AS total
            FROM comments WHERE post = \(post.text) AND status = 'approved' AND id > \(afterID ?? 0)
            ORDER BY id LIMIT \(limit + 1)
            """)
        var comments = try rows.map(Self.comment)
        let hasMore = comments.count > limit
        if hasMore { comments.removeLast() }
        var total = 0
        if let first = rows.first {
            total = Int(try first.makeRandomAccess()["total"].decode(Int64?.self) ?? 0)
        } else {
            total = Int(
                try await self.rows("SELECT count FROM comment_counts WHERE post = \(post.text) AND status = 'approved'")
                    .first?.decode(Int64.self) ?? 0)
        }
        return CommentPage(comments: comments, total: total, hasMore: hasMore)
    }

    func approvedCounts(posts: [PostKey]) async throws -> [PostKey: Int] {
        guard !posts.isEmpty else { return [:] }
        var counts: [PostKey: Int] = [:]
        for row in try await rows(
            "SELECT post, count FROM comment_counts WHERE status = 'approved' AND post = ANY(\(posts.map(\.text)))")
        {
            let (post, count) = try row.decode((String, Int64).self)
            counts[PostKey(stored: post), default: 0] += Int(count)
        }
        return counts
    }

    func latestApproved(post: PostKey?, limit: Int) async throws -> [Comment] {
        let rows: [PostgresRow]
        if let post {
            rows = try await self.rows(
                """
                SELECT \(unescaped: Self.commentColumns) FROM comments WHERE status = 'approved' AND post = \(post.text)
                ORDER BY id DESC LIMIT \(limit)
                """)
        } else {
            rows = try await self.rows(
                "SELECT \(unescaped: Self.commentColumns) FROM comments WHERE status = 'approved' ORDER BY id DESC LIMIT \(limit)")
        }
        return try rows.map(Self.comment)
    }

    func comment(id: Int64) async throws -> Comment? {
        try await rows("SELECT \(unescaped: Self.commentColumns) FROM comments WHERE id = \(id)").first.map(Self.comment)
    }

    func isPostClosed(_ post: PostKey) async throws -> Bool {
        try await rows("SELECT closed FROM posts WHERE post = \(post.text)").first?.decode(Bool.self) ?? false
    }
}
