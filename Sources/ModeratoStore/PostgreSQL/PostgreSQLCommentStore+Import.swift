import Foundation
import ModeratoCore
import PostgresNIO
import Synchronization

/// `moderato import` into PostgreSQL: the whole import in one transaction, all or nothing.
///
/// The feed is synchronous (it reads its file as it goes) and PostgresNIO is not, so the feed runs
/// on a thread of its own and hands each post and comment across; the transaction, on this task,
/// writes them as they come and answers each before the feed reads on. Nothing is held in memory
/// but the one record in flight.
extension PostgreSQLCommentStore {
    func importComments(dryRun: Bool, _ feed: (any CommentImporter) throws -> Void) async throws {
        let now = clock()
        let (requests, continuation) = AsyncStream.makeStream(of: ImportRequest.self)
        let importer = BridgedImporter(requests: continuation)
        let changed = try await withoutActuallyEscaping(feed) { feed in
            let running = FeedOnThread(feed: feed, importer: importer, requests: continuation)
            running.start()
            // Not retried: the feed cannot be read twice.
            let result: Result<PublicationChanges, any Error>
            do {
                result = .success(
                    try await attemptTransaction(snapshot: false) { session in
                        try await Self.lockPublication(in: session)
                        let writer = ImportWriter(session: session, now: now)
                        for await request in requests {
                            request.answer(await Result { try await writer.perform(request.operation) })
                        }
                        if let error = running.error { throw error }
                        var changed = PublicationChanges.none
                        for post in writer.publicPosts {
                            changed = changed.merged(with: try await Self.bumpVersion(of: post, in: session))
                        }
                        // A dry run is checked and counted like a real one, then undone.
                        if dryRun { throw DryRunDone() }
                        return changed
                    })
            } catch is DryRunDone {
                result = .success(.none)
            } catch {
                result = .failure(error)
            }
            // The feed has finished (the stream ends only then); the thread is gone before the
            // closure stops being valid.
            running.join()
            return try result.get()
        }
        changes.publish(changed)
    }
}

/// Ends a dry run's transaction with a rollback.
private struct DryRunDone: Error {}

/// One call of the feed, waiting for its answer.
final class ImportRequest: Sendable {
    enum Operation: Sendable {
        case post(PostKey, closed: Bool)
        case comment(IncomingComment)
    }

    let operation: Operation
    private let reply = Mutex<Result<Bool, any Error>?>(nil)
    private let answered = DispatchSemaphore(value: 0)

    init(_ operation: Operation) {
        self.operation = operation
    }

    func answer(_ result: Result<Bool, any Error>) {
        reply.withLock { $0 = result }
        answered.signal()
    }

    /// Blocks the feed's own thread (never a task's) until the transaction answered.
    func wait() throws -> Bool {
        answered.wait()
        return try reply.withLock { $0 }!.get()
    }
}

/// What the feed calls, on its thread.
final class BridgedImporter: CommentImporter, Sendable {
    let requests: AsyncStream<ImportRequest>.Continuation

    init(requests: AsyncStream<ImportRequest>.Continuation) {
        self.requests = requests
    }

    func post(_ post: PostKey, closed: Bool) throws {
        _ = try call(.post(post, closed: closed))
    }

    func comment(_ comment: IncomingComment) throws -> Bool {
        try call(.comment(comment))
    }

    private func call(_ operation: ImportRequest.Operation) throws -> Bool {
        let request = ImportRequest(operation)
        guard case .enqueued = requests.yield(request) else { throw ImportStopped() }
        return try request.wait()
    }
}

/// The transaction ended before the feed did (it failed): the feed stops at its next call.
struct ImportStopped: Error, CustomStringConvertible {
    var description: String { "the import's transaction ended early" }
}

/// The feed on a thread of its own, for as long as `importComments` waits for it.
///
/// `@unchecked Sendable`: the feed and the importer are used on that one thread only, from
/// `start()` until the thread ends, and `join()` waits for that end before `importComments`
/// returns (so the non-escaping feed never outlives its call). `error` is written by the thread
/// before it finishes the stream and read only after the stream has ended.
private final class FeedOnThread: @unchecked Sendable {
    private let feed: (any CommentImporter) throws -> Void
    private let importer: BridgedImporter
    private let requests: AsyncStream<ImportRequest>.Continuation
    private let done = DispatchSemaphore(value: 0)
    private let failure = Mutex<(any Error)?>(nil)

    init(
        feed: @escaping (any CommentImporter) throws -> Void, importer: BridgedImporter, requests: AsyncStream<ImportRequest>.Continuation
    ) {
        self.feed = feed
        self.importer = importer
        self.requests = requests
    }

    var error: (any Error)? { failure.withLock { $0 } }

    func start() {
        Thread { [self] in
            do {
                try feed(importer)
            } catch {
                failure.withLock { $0 = error }
            }
            requests.finish()
            done.signal()
        }.start()
    }

    func join() {
        // The transaction may have ended first (a failed statement): refuse the feed's next
        // call, so that it stops.
        requests.finish()
        done.wait()
    }
}

/// The writes of one import, inside its transaction.
private final class ImportWriter {
    let session: PostgreSQLSession
    let now: StoredTime
    private var knownPosts = Set<PostKey>()
    /// Posts whose public page changes with this import (a published comment, or closed).
    private(set) var publicPosts = Set<PostKey>()

    init(session: PostgreSQLSession, now: Date) {
        self.session = session
        self.now = StoredTime(now)
    }

    func perform(_ operation: ImportRequest.Operation) async throws -> Bool {
        switch operation {
        case .post(let post, let closed):
            try await ensure(post)
            guard closed else { return true }
            let closedNow = try await session.rows(
                "UPDATE posts SET closed = true, updated_at = \(now) WHERE post = \(post.text) AND NOT closed RETURNING post")
            if !closedNow.isEmpty { publicPosts.insert(post) }
            return true
        case .comment(let comment):
            try await ensure(comment.post)
            let created = StoredTime(exactly: comment.createdAt)
            // One statement: skipped when the source was imported before; the parent as imported,
            // when it is still there (a moderator may have deleted it); the source recorded.
            let rows = try await session.rows(
                """
                WITH seen AS (
                    SELECT 1 FROM import_sources
                    WHERE system = \(comment.system) AND source_post = \(comment.sourcePost) AND source_id = \(comment.sourceID)),
                parent AS (
                    SELECT c.id FROM import_sources s JOIN comments c ON c.id = s.comment_id
                    WHERE s.system = \(comment.system) AND s.source_post = \(comment.sourcePost)
                        AND s.source_id = \(comment.parentSourceID) AND c.post = \(comment.post.text)),
                inserted AS (
                    INSERT INTO comments (post, parent, status, author, url, email_hash, ip_hash, body, created_at, updated_at, reason_code)
                    SELECT \(comment.post.text), (SELECT id FROM parent), \(comment.status.rawValue), \(comment.author), \(comment.url),
                        \(comment.emailHash ?? ""), \(comment.ipHash), \(comment.body), \(created), \(created),
                        \(comment.status == .approved ? nil : ModerationReason.imported.code.rawValue)
                    WHERE NOT EXISTS (SELECT 1 FROM seen)
                    RETURNING id),
                source AS (
                    INSERT INTO import_sources (system, source_post, source_id, comment_id, imported_at)
                    SELECT \(comment.system), \(comment.sourcePost), \(comment.sourceID), id, \(now) FROM inserted)
                SELECT id FROM inserted
                """)
            guard !rows.isEmpty else { return false }
            if comment.status == .approved { publicPosts.insert(comment.post) }
            return true
        }
    }

    private func ensure(_ post: PostKey) async throws {
        guard knownPosts.insert(post).inserted else { return }
        try await session.rows(
            """
            INSERT INTO posts (post, closed, version, created_at, updated_at) VALUES (\(post.text), false, 0, \(now), \(now))
            ON CONFLICT (post) DO NOTHING
            """)
    }
}

extension Result where Failure == any Error {
    /// The result of an async throwing call.
    fileprivate init(catching body: () async throws -> Success) async {
        do {
            self = .success(try await body())
        } catch {
            self = .failure(error)
        }
    }
}
