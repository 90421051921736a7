import Foundation
import GRDB
import ModeratoCore

/// Reads an Isso database (`comments` and `threads`, as Isso 0.13–0.14 writes them), read-only,
/// one row at a time.
///
/// The post key is the thread's `uri`; mode 1 → approved, 2 → pending, 4 → trash (Isso keeps a
/// deleted comment that has replies as mode 4 with its text erased: skipped, replies moving up).
/// The text is Isso's Markdown source, kept as written (line endings and control characters aside).
public struct IssoReader: CommentImportReader, Sendable {
    public var file: String
    public var options: ImportOptions

    public init(file: String, options: ImportOptions) {
        self.file = file
        self.options = options
    }

    public func read(_ visit: (ImportRecord) throws -> Void) throws -> ImportSkips {
        let queue = try Self.open(file)
        var assembler = ThreadAssembler(file: file, system: .isso)
        try queue.read { db in
            guard try isso({ try Self.hasIssoTables(db) }) else {
                throw ImportError.notFormat(
                    file: file, expected: .isso, found: "an SQLite database without Isso's comments and threads tables")
            }
            let total = try isso { try Int64.fetchOne(db, sql: "SELECT COUNT(*) FROM comments") ?? 0 }
            let rows = try isso {
                try Row.fetchCursor(
                    db,
                    sql: """
                        SELECT c.id, c.tid, c.parent, c.created, c.mode, c.remote_addr, c.text, c.author, c.email,
                               c.website, t.uri, t.title
                        FROM comments c LEFT JOIN threads t ON t.id = c.tid
                        ORDER BY c.id
                        """)
            }
            var done: Int64 = 0
            var websites = WebsiteCache()
            while let row = try isso({ try rows.next() }) {
                try readComment(row, into: &assembler, websites: &websites, visit)
                done += 1
                if done % 10_000 == 0 { options.progress?(done, total) }
            }
            options.progress?(done, total)
        }
        return try assembler.finish(visit)
    }

    private func readComment(
        _ row: Row, into assembler: inout ThreadAssembler, websites: inout WebsiteCache, _ visit: (ImportRecord) throws -> Void
    ) throws {
        // Values are converted leniently (a hand-edited database may hold text where Isso
        // writes numbers): GRDB's typed subscripts would stop the process on a mismatch.
        guard let id: Int64 = value(row, "id") else { return }
        let parent = (value(row, "parent") as Int64?).map(String.init)
        guard let threadID: Int64 = value(row, "tid"), let uri: String = value(row, "uri") else {
            assembler.count(.missingThread)
            return
        }
        let source = CommentSource(system: .isso, post: String(threadID), comment: String(id))
        guard let key = ImportPostKey.validated(uri.trimmed()) else {
            return try assembler.skip(source, parentSourceID: parent, reason: .invalidPostKey, line: 0, visit)
        }
        let status: CommentStatus
        switch value(row, "mode") as Int64? {
        case 1: status = .approved
        case 2: status = .pending
        case 4: status = .trash
        case let mode:
            throw ImportError.invalidRow(
                file: file, table: "comments", id: id, column: "mode",
                problem: "is \(mode.map(String.init) ?? "NULL"), expected 1, 2 or 4"
            )
        }
        guard let created: Double = value(row, "created"), created.isFinite else {
            throw ImportError.invalidRow(file: file, table: "comments", id: id, column: "created", problem: "is not a time")
        }
        let body = Self.markdown(value(row, "text") ?? "")
        guard !body.isEmpty else {
            let reason: SkipReason = status == .trash ? .deletedWithoutText : .emptyText
            return try assembler.skip(source, parentSourceID: parent, reason: reason, line: 0, visit)
        }
        let post = ImportedPost(key: key, closed: false, title: (value(row, "title") as String?)?.trimmed())
        let comment = ImportedComment(
            source: source, post: key, parentSourceID: parent,
            // Isso stores name, email and website HTML-escaped; the reader saw them decoded.
            author: ImportedFields.author((value(row, "author") as String?).map(HTMLEntities.decode)),
            url: websites.website((value(row, "website") as String?).map(HTMLEntities.decode)),
            // The plain address and IP go no further than these two calls.
            emailHash: (value(row, "email") as String?).map(HTMLEntities.decode).flatMap(options.hasher.email),
            ipHash: (value(row, "remote_addr") as String?).flatMap(options.hasher.ip),
            createdAt: Date(timeIntervalSince1970: created), status: status, body: body
        )
        try assembler.add(comment, of: post, line: 0, visit)
    }

    private func value<T: DatabaseValueConvertible>(_ row: Row, _ column: String) -> T? {
        T.fromDatabaseValue(row[column] as DatabaseValue)
    }

    /// Runs a query of the Isso database, reporting its failure as the file's (and only its: an
    /// error thrown by the consumer's `visit`, from its own database, passes through unchanged).
    private func isso<T>(_ query: () throws -> T) throws -> T {
        do {
            return try query()
        } catch let error as DatabaseError {
            throw ImportError.database(file: file, problem: error.message ?? error.description)
        }
    }

    /// Markdown is whitespace-sensitive (indented code, two spaces for a line break), so only what
    /// Moderato never stores changes: CR line endings, control characters, the ends of the text.
    static func markdown(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        var previousWasCR = false
        for scalar in text.unicodeScalars {
            defer { previousWasCR = scalar == "\r" }
            if scalar == "\n", previousWasCR { continue }
            if scalar == "\r" {
                scalars.append("\n")
            } else if scalar == "\n" || scalar == "\t" || !(scalar.value < 0x20 || (0x7F..<0xA0).contains(scalar.value)) {
                scalars.append(scalar)
            }
        }
        return String(scalars).trimmed()
    }

    static func open(_ file: String) throws -> DatabaseQueue {
        guard FileManager.default.isReadableFile(atPath: file) else {
            throw ImportError.unreadable(
                file: file, reason: FileManager.default.fileExists(atPath: file) ? "permission denied" : "no such file")
        }
        var configuration = Configuration()
        configuration.readonly = true
        do {
            return try DatabaseQueue(path: file, configuration: configuration)
        } catch let error as DatabaseError {
            throw ImportError.database(file: file, problem: error.message ?? error.description)
        } catch {
            throw ImportError.database(file: file, problem: String(describing: error))
        }
    }

    static func hasIssoTables(_ db: Database) throws -> Bool {
        let count =
            try Int.fetchOne(
                db,
                sql: """
                    SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN ('comments', 'threads')
                    """) ?? 0
        return count == 2
    }
}
