import Foundation
import GRDB
import ModeratoCore

/// A row of `comments`. Internal: the rest of the program sees `ModeratoCore.Comment`.
struct CommentRecord: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "comments"
    static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    var id: Int64?
    var post: String
    var parent: Int64?
    /// A status SQLite's CHECK constraint allows; anything else fails to decode, loudly.
    var status: CommentStatus
    var author: String
    var url: String?
    var emailHash: String
    var ipHash: String?
    var body: String
    var createdAt: Date
    var updatedAt: Date
    var moderatedAt: Date?
    /// `ModerationReason.Code`'s raw value, or NULL (published, or stored before reasons were kept).
    var reasonCode: String?
    var reasonDetail: String?

    enum Columns {
        static let id = Column("id")
        static let post = Column("post")
        static let status = Column("status")
        static let emailHash = Column("email_hash")
    }

    mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }

    /// Read column by column rather than through `Decodable`, whose decoder converted every
    /// column name from snake case on every row: that was half of a moderation page's CPU
    /// (`Benchmarks/cost.sh`). Same rules: a NULL where a value belongs, or a status SQLite's
    /// CHECK constraint would not allow, fails loudly.
    init(row: Row) throws {
        id = try row.decode(forColumn: "id")
        post = try row.decode(forColumn: "post")
        parent = try row.decode(forColumn: "parent")
        let statusText: String = try row.decode(forColumn: "status")
        guard let status = CommentStatus(rawValue: statusText) else {
            throw DatabaseError(resultCode: .SQLITE_MISMATCH, message: "unknown comment status \(statusText)")
        }
        self.status = status
        author = try row.decode(forColumn: "author")
        url = try row.decode(forColumn: "url")
        emailHash = try row.decode(forColumn: "email_hash")
        ipHash = try row.decode(forColumn: "ip_hash")
        body = try row.decode(forColumn: "body")
        createdAt = try row.decode(forColumn: "created_at")
        updatedAt = try row.decode(forColumn: "updated_at")
        moderatedAt = try row.decode(forColumn: "moderated_at")
        reasonCode = try row.decode(forColumn: "reason_code")
        reasonDetail = try row.decode(forColumn: "reason_detail")
    }

    /// The domain value.
    var comment: Comment {
        Comment(
            id: id ?? 0, post: post, parent: parent, status: status, author: author, url: url, emailHash: emailHash,
            ipHash: ipHash, body: body, createdAt: createdAt, updatedAt: updatedAt, moderatedAt: moderatedAt,
            reason: reason
        )
    }

    /// The stored reason. A code this binary does not know (written by a newer one) reads as
    /// unknown rather than failing the whole listing.
    var reason: ModerationReason? {
        get { reasonCode.flatMap(ModerationReason.Code.init(rawValue:)).map { ModerationReason($0, detail: reasonDetail) } }
        set {
            reasonCode = newValue?.code.rawValue
            reasonDetail = newValue?.detail
        }
    }
}

/// A row of `posts`.
struct PostRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "posts"
    static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    var post: String
    var closed: Bool
    var version: Int64
    var createdAt: Date
    var updatedAt: Date

    enum Columns {
        static let post = Column("post")
        static let closed = Column("closed")
    }
}

/// A row of `moderation_log`.
struct ModerationLogRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "moderation_log"
    static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    var commentId: Int64
    var action: String
    var fromStatus: CommentStatus?
    var toStatus: CommentStatus?
    var actor: String
    var createdAt: Date

    /// The domain value.
    var entry: ModerationEntry {
        ModerationEntry(commentID: commentId, action: action, fromStatus: fromStatus, toStatus: toStatus, actor: actor, at: createdAt)
    }
}

/// Stored as its raw value (`pending`, `approved`, …), as the schema's CHECK constraint names them.
extension CommentStatus: DatabaseValueConvertible {}
