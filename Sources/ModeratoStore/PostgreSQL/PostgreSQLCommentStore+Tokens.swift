import Foundation
import ModeratoCore
import PostgresNIO

extension PostgreSQLCommentStore {
    func createToken(name: String, hash: String) async throws -> Bool {
        let now = StoredTime(clock())
        return try await transaction { session in
            // A revoked token's name may be reused: the old row goes.
            try await session.rows("DELETE FROM api_tokens WHERE name = \(name) AND revoked_at IS NOT NULL")
            let rows = try await session.rows(
                "INSERT INTO api_tokens (name, token_hash, created_at) VALUES (\(name), \(hash), \(now)) ON CONFLICT DO NOTHING RETURNING id"
            )
            return !rows.isEmpty
        }
    }

    func tokens() async throws -> [APIToken] {
        try await rows("SELECT name, created_at, last_used_at, revoked_at FROM api_tokens ORDER BY name").map { row in
            let (name, created, used, revoked) = try row.decode((String, Date, Date?, Date?).self)
            return APIToken(name: name, createdAt: created, lastUsedAt: used, revokedAt: revoked)
        }
    }

    func revokeToken(name: String) async throws -> Bool {
        !(try await rows(
            "UPDATE api_tokens SET revoked_at = \(StoredTime(clock())) WHERE name = \(name) AND revoked_at IS NULL RETURNING id"
        ).isEmpty)
    }

    func activeTokenHashes() async throws -> [ActiveToken] {
        try await rows("SELECT name, token_hash, last_used_at FROM api_tokens WHERE revoked_at IS NULL").map { row in
            let (name, hash, used) = try row.decode((String, String, Date?).self)
            return ActiveToken(name: name, hash: hash, lastUsedAt: used)
        }
    }

    /// Records that a token was used (at most once a minute per token, to spare the writer).
    func touchToken(name: String) async throws {
        let now = clock()
        _ = try await rows(
            """
            UPDATE api_tokens SET last_used_at = \(StoredTime(now))
            WHERE name = \(name) AND (last_used_at IS NULL OR last_used_at < \(StoredTime(now.addingTimeInterval(-60))))
            """)
    }
}
