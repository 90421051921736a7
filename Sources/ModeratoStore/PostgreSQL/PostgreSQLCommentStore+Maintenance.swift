import Foundation
import ModeratoCore
import PostgresNIO

extension PostgreSQLCommentStore {
    func migrate() async throws -> [String] {
        let connection = try await server.connectOrExplain(logger: logger)
        do {
            let applied = try await PostgreSQLError.describing { try await PostgreSQLMigrations.migrate(on: connection, logger: logger) }
            try await connection.close()
            return applied
        } catch {
            try? await connection.close()
            throw error
        }
    }

    /// A server's database is backed up by the server's own tools, which are consistent and
    /// online and, with WAL archiving, restore to any moment.
    func backup(to path: String) async throws -> Int {
        throw StoreError.unsupported(
            "a PostgreSQL database is backed up with PostgreSQL's own tools: `pg_dump --format=custom` for a consistent copy while servers run, or continuous WAL archiving (point-in-time recovery); see deploy/README.md. Keep the secret key file with it"
        )
    }

    /// One statement, streamed: a consistent snapshot, read as the caller consumes it rather than
    /// loaded whole.
    func forEachComment(_ body: (Comment) throws -> Void) async throws {
        try await PostgreSQLError.describing {
            try await forEachRow(body)
        }
    }

    private func forEachRow(_ body: (Comment) throws -> Void) async throws {
        try await client.withConnection { connection in
            let rows = try await connection.query(
                "SELECT \(unescaped: Self.commentColumns) FROM comments ORDER BY id", logger: self.logger)
            for try await row in rows {
                try body(try Self.comment(row))
            }
        }
    }
}
