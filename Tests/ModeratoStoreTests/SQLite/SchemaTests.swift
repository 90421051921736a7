import Foundation
import GRDB
import ModeratoCore
import Testing

@testable import ModeratoStore

/// What only the SQLite engine promises: its schema files, its file settings, its counters.
@Suite("SQLite: schema and database settings")
struct SchemaTests {
    @Test func everySchemaFileIsAMigrationInOrder() throws {
        let schemaFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../../Schema/sqlite").standardized.path
        let files = try FileManager.default.contentsOfDirectory(atPath: schemaFolder)
            .filter { $0.hasSuffix(".sql") }.sorted().map { String($0.dropLast(4)) }
        #expect(files == SchemaMigrations.names)
        for migration in SchemaMigrations.all {
            let onDisk = try String(contentsOfFile: schemaFolder + "/" + migration.name + ".sql", encoding: .utf8)
            #expect(onDisk == migration.sql, "the binary embeds Schema/sqlite/\(migration.name).sql as it is on disk")
        }
    }

    @Test func openingCreatesTheFolderMigratesAndRecords() async throws {
        let folder = TemporaryFolder()
        let path = folder.file("nested/dir/moderato.sqlite")
        let store = try SQLiteCommentStore(path: path)
        let pool = store.pool
        let applied = try await pool.read { db in try SchemaMigrations.migrator.appliedIdentifiers(db) }
        #expect(applied == Set(SchemaMigrations.names))
        let tables = try await pool.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        }
        for table in ["api_tokens", "blocked_identities", "comments", "moderation_log", "posts"] {
            #expect(tables.contains(table))
        }
        #expect(try await store.migrate() == [])
    }

    @Test func commentsStoredBeforeReasonsWereKeptHaveNoReasonNotAGuess() async throws {
        let folder = TemporaryFolder()
        let path = folder.file("moderato.sqlite")
        let pool = try SQLiteDatabaseFile.open(path: path, migrate: false)
        try SchemaMigrations.migrator.migrate(pool, upTo: "005_publication_sequence")
        try await pool.write { db in
            try db.execute(sql: "INSERT INTO posts (post, created_at, updated_at) VALUES ('/p/', 'now', 'now')")
            try db.execute(
                sql: """
                    INSERT INTO comments (post, status, author, email_hash, body, created_at, updated_at)
                    VALUES ('/p/', 'pending', 'a', 'h', 'held long ago', '2025-01-01 00:00:00.000', '2025-01-01 00:00:00.000')
                    """)
        }
        try pool.close()
        let store = try SQLiteCommentStore(path: path)
        let comment = try #require(try await store.comment(id: 1))
        #expect(comment.status == .pending)
        #expect(comment.reason == nil)
        let raw = try store.pool.read { db in try Row.fetchOne(db, sql: "SELECT reason_code, reason_detail FROM comments") }
        #expect(raw?["reason_code"] == nil as String?)
        #expect(raw?["reason_detail"] == nil as String?)
    }

    @Test func walModeFullSynchronousAndBusyTimeout() throws {
        let folder = TemporaryFolder()
        let pool = try SQLiteDatabaseFile.open(path: folder.file("db.sqlite"))
        let settings = try pool.writeWithoutTransaction { db in
            try Row.fetchOne(db, sql: "SELECT * FROM pragma_journal_mode, pragma_synchronous, pragma_busy_timeout")
        }
        #expect(settings?["journal_mode"] == "wal")
        #expect(settings?["synchronous"] == 2, "2 is FULL")
        #expect(settings?["timeout"] == 5000)
    }

    @Test func indexesForTheQueriesAhead() throws {
        let folder = TemporaryFolder()
        let pool = try SQLiteDatabaseFile.open(path: folder.file("db.sqlite"))
        let plans = try pool.read { db -> [String] in
            try [
                "SELECT id FROM comments WHERE post = 'x' AND status = 'approved' AND id > 3 ORDER BY id",
                "SELECT id FROM comments WHERE status = 'pending' ORDER BY id DESC",
                "SELECT id FROM comments WHERE email_hash = 'h'",
            ].map { sql in
                try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql).map { $0["detail"] as String }.joined(separator: "; ")
            }
        }
        #expect(plans[0].contains("comments_by_post_status"))
        #expect(plans[1].contains("comments_by_status"))
        #expect(plans[2].contains("comments_by_email_hash"))
    }

    @Test func idsAreNeverReused() throws {
        let folder = TemporaryFolder()
        let pool = try SQLiteDatabaseFile.open(path: folder.file("db.sqlite"))
        let ids = try pool.write { db -> [Int64] in
            try db.execute(sql: "INSERT INTO posts (post, created_at, updated_at) VALUES ('/p/', 'now', 'now')")
            let insert =
                "INSERT INTO comments (post, status, author, email_hash, body, created_at, updated_at) VALUES ('/p/', 'pending', 'a', 'h', ?, 'now', 'now')"
            try db.execute(sql: insert, arguments: ["one"])
            let first = db.lastInsertedRowID
            try db.execute(sql: "DELETE FROM comments WHERE id = ?", arguments: [first])
            try db.execute(sql: insert, arguments: ["two"])
            return [first, db.lastInsertedRowID]
        }
        #expect(ids[1] > ids[0])
    }
}

@Suite("SQLite: trigger-maintained comment counts")
struct CommentCountsTests {
    @Test func countersAlwaysEqualTheRealCounts() async throws {
        let folder = TemporaryFolder()
        let store = try SQLiteCommentStore(path: folder.file("moderato.sqlite"))
        let rules = SubmissionRules(policy: ModerationPolicy(mode: .none, maxLinks: 0))
        var ids: [Int64] = []
        for index in 0..<30 {
            let draft = CommentDraft(
                post: try PostKey("/p\(index % 3)/"), parent: nil, author: "A", url: nil, body: "b\(index)", emailHash: "e\(index % 5)",
                ipHash: nil)
            ids.append(try await store.submit(draft, rules: rules).get().id)
        }
        _ = try await store.moderate(id: ids[0], action: .spam, actor: "t")
        _ = try await store.moderate(id: ids[1], action: .trash, actor: "t")
        _ = try await store.moderate(id: ids[2], action: .hold, actor: "t")
        _ = try await store.delete(id: ids[3], actor: "t")
        _ = try await store.forgetEmail(hash: "e4", actor: "t")

        try await store.pool.read { db in
            let real = try Row.fetchAll(
                db, sql: "SELECT post, status, COUNT(*) AS n FROM comments GROUP BY post, status ORDER BY post, status"
            )
            .map { "\($0["post"] as String) \($0["status"] as String) \($0["n"] as Int)" }
            let counted = try Row.fetchAll(db, sql: "SELECT post, status, count FROM comment_counts WHERE count > 0 ORDER BY post, status")
                .map { "\($0["post"] as String) \($0["status"] as String) \($0["count"] as Int)" }
            #expect(real == counted)
            let realByStatus = try Row.fetchAll(db, sql: "SELECT status, COUNT(*) AS n FROM comments GROUP BY status ORDER BY status").map {
                "\($0["status"] as String) \($0["n"] as Int)"
            }
            let countedByStatus = try Row.fetchAll(db, sql: "SELECT status, count FROM status_counts WHERE count > 0 ORDER BY status").map {
                "\($0["status"] as String) \($0["count"] as Int)"
            }
            #expect(realByStatus == countedByStatus)
        }
        #expect(try await store.statusCounts(post: nil) == [.approved: 20, .pending: 1, .spam: 1, .trash: 1])
        #expect(try await store.moderationQueue(QueueFilter(status: .approved)).total == 20)
    }
}

@Suite("SQLite: publication versions from one counter")
struct PublicationSequenceTests {
    @Test func versionsComeFromTheSequenceAndNeverRepeat() async throws {
        let folder = TemporaryFolder()
        let store = try SQLiteCommentStore(path: folder.file("db.sqlite"))
        try await store.setPostClosed("/a/", closed: true)
        try await store.setPostClosed("/b/", closed: true)
        try await store.setPostClosed("/a/", closed: false)
        let (last, versions) = try await store.pool.read { db in
            (
                try Int64.fetchOne(db, sql: "SELECT last FROM publication_sequence"),
                try Row.fetchAll(db, sql: "SELECT post, version FROM posts ORDER BY post").map { $0["version"] as Int64 }
            )
        }
        #expect(last == 3)
        #expect(versions == [3, 2])
    }
}
