import Foundation
import GRDB
import ModeratoCore

extension SQLiteCommentStore {
    func createToken(name: String, hash: String) async throws -> Bool {
        let now = clock()
        return try await pool.write { db in
            // A revoked token's name may be reused: the old row goes.
            try db.execute(sql: "DELETE FROM api_tokens WHERE name = ? AND revoked_at IS NOT NULL", arguments: [name])
            try db.execute(
                sql: "INSERT INTO api_tokens (name, token_hash, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                arguments: [name, hash, now]
            )
            return db.changesCount > 0
        }
    }

    func tokens() async throws -> [APIToken] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT name, created_at, last_used_at, revoked_at FROM api_tokens ORDER BY name").map {
                APIToken(name: $0["name"], createdAt: $0["created_at"], lastUsedAt: $0["last_used_at"], revokedAt: $0["revoked_at"])
            }
        }
    }

    func revokeToken(name: String) async throws -> Bool {
        let now = clock()
        return try await pool.write { db in
            try db.execute(sql: "UPDATE api_tokens SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL", arguments: [now, name])
            return db.changesCount > 0
        }
    }

    func activeTokenHashes() async throws -> [ActiveToken] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT name, token_hash, last_used_at FROM api_tokens WHERE revoked_at IS NULL")
                .map { ActiveToken(name: $0["name"], hash: $0["token_hash"], lastUsedAt: $0["last_used_at"]) }
        }
    }

    /// Records that a token was used (at most once a minute per token, to spare the writer).
    func touchToken(name: String) async throws {
        let now = clock()
        try await pool.write { db in
            try db.execute(
                sql: "UPDATE api_tokens SET last_used_at = ? WHERE name = ? AND (last_used_at IS NULL OR last_used_at < ?)",
                arguments: [now, name, now.addingTimeInterval(-60)]
            )
        }
    }
}
