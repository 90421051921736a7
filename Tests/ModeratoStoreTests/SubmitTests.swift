import Foundation
import GRDB
import ModeratoCore
@testable import ModeratoStore
import Testing

@Suite("Storing a submission: facts, policy and insert in one transaction")
struct SubmitTests {
    let folder = TemporaryFolder()
    let store: SQLiteCommentStore
    let open = ModerationPolicy(mode: .none, maxLinks: 0)

    init() throws {
        store = try SQLiteCommentStore(path: folder.file("moderato.sqlite"))
    }

    func draft(_ body: String = "Hello", post: PostKey = "/p/", parent: Int64? = nil, email: String = "e1") -> CommentDraft {
        CommentDraft(post: post, parent: parent, author: "Taro", url: nil, body: body, emailHash: email, ipHash: "i1")
    }

    func submit(_ draft: CommentDraft, policy: ModerationPolicy? = nil, maxDepth: Int = 5) async throws -> Result<ModeratoCore.Comment, SubmissionRefusal> {
        try await store.submit(draft, rules: SubmissionRules(policy: policy ?? open, maxDepth: maxDepth))
    }

    @Test func storesAPendingCommentAndCreatesThePost() async throws {
        let comment = try await submit(draft(), policy: ModerationPolicy(mode: .all)).get()
        #expect(comment.id > 0)
        #expect(comment.status == .pending)
        #expect(try await store.comment(id: comment.id) == comment)
        let post = try store.pool.read { db in try Row.fetchOne(db, sql: "SELECT closed, version FROM posts WHERE post = '/p/'") }
        #expect(post?["closed"] == false)
        #expect(post?["version"] == 0, "a pending comment changes nothing the public sees")
    }

    @Test func anApprovedCommentBumpsThePostVersion() async throws {
        _ = try await submit(draft()).get()
        let version = try await store.pool.read { db in try Int.fetchOne(db, sql: "SELECT version FROM posts WHERE post = '/p/'") }
        #expect(version == 1)
    }

    @Test func firstTimeModeLearnsFromApprovedComments() async throws {
        let policy = ModerationPolicy(mode: .firstTime)
        let first = try await submit(draft("first"), policy: policy).get()
        #expect(first.status == .pending)
        #expect(try await submit(draft("second"), policy: policy).get().status == .pending)
        try await store.pool.write { db in try db.execute(sql: "UPDATE comments SET status = 'approved' WHERE id = ?", arguments: [first.id]) }
        #expect(try await submit(draft("third"), policy: policy).get().status == .approved)
        #expect(try await submit(draft("other author", email: "e2"), policy: policy).get().status == .pending)
    }

    @Test func aClosedPostRefusesComments() async throws {
        try await store.setPostClosed("/closed/", closed: true)
        #expect(try await submit(draft(post: "/closed/")) == .failure(.postClosed))
        try await store.setPostClosed("/closed/", closed: false)
        #expect(try await submit(draft(post: "/closed/")).get().status == .approved)
    }

    @Test func parentMustExistBeApprovedAndBelongToThePost() async throws {
        let approved = try await submit(draft("parent")).get()
        let pending = try await submit(draft("held"), policy: ModerationPolicy(mode: .all)).get()
        let elsewhere = try await submit(draft("elsewhere", post: "/other/")).get()
        #expect(try await submit(draft("reply", parent: approved.id)).get().parent == approved.id)
        #expect(try await submit(draft("reply", parent: 999_999)) == .failure(.parentNotFound))
        #expect(try await submit(draft("reply", parent: pending.id)) == .failure(.parentNotFound))
        #expect(try await submit(draft("reply", parent: elsewhere.id)) == .failure(.parentNotFound))
        #expect(try await submit(draft("reply", parent: Int64.max)) == .failure(.parentNotFound))
    }

    @Test func exactDuplicatesAreRefused() async throws {
        _ = try await submit(draft("same")).get()
        #expect(try await submit(draft("same")) == .failure(.duplicate))
        #expect(try await submit(draft("same", email: "e2")).get().body == "same", "another author may say the same")
        #expect(try await submit(draft("same", post: "/other/")).get().body == "same", "on another post too")
    }

    @Test func deepRepliesAttachToTheDeepestAllowedAncestor() async throws {
        var chain: [Int64] = []
        var parent: Int64?
        for depth in 1...3 {
            let comment = try await submit(draft("depth \(depth)", parent: parent), maxDepth: 3).get()
            chain.append(comment.id)
            parent = comment.id
        }
        #expect(try await store.comment(id: chain[2])?.parent == chain[1], "depth 3 is allowed")
        let tooDeep = try await submit(draft("depth 4", parent: chain[2]), maxDepth: 3).get()
        #expect(tooDeep.parent == chain[1], "a 4th level reply becomes a sibling at depth 3")
        let flat = try await submit(draft("flat", parent: chain[2]), maxDepth: 1).get()
        #expect(flat.parent == nil, "max_depth 1 keeps every comment top level")
    }

    @Test func attachmentPointArithmetic() {
        // ancestry lists the parent first, then up to the top-level comment.
        #expect(SQLiteCommentStore.attachmentPoint(ancestry: [30, 20, 10], maxDepth: 5) == 30)
        #expect(SQLiteCommentStore.attachmentPoint(ancestry: [30, 20, 10], maxDepth: 4) == 30)
        #expect(SQLiteCommentStore.attachmentPoint(ancestry: [30, 20, 10], maxDepth: 3) == 20)
        #expect(SQLiteCommentStore.attachmentPoint(ancestry: [30, 20, 10], maxDepth: 2) == 10)
        #expect(SQLiteCommentStore.attachmentPoint(ancestry: [30, 20, 10], maxDepth: 1) == nil)
    }

    @Test func blockedEmailHashesGoToSpam() async throws {
        try await store.pool.write { db in
            try db.execute(sql: "INSERT INTO blocked_identities (kind, hash, created_at) VALUES ('email', 'bad', 'now')")
        }
        #expect(try await submit(draft(email: "bad")).get().status == .spam)
    }
}

@Suite("Group commit")
struct GroupCommitTests {
    @Test func concurrentSubmissionsAreAllStoredAndDuplicatesWithinABatchRefused() async throws {
        let folder = TemporaryFolder()
        let store = try SQLiteCommentStore(path: folder.file("moderato.sqlite"))
        let rules = SubmissionRules(policy: ModerationPolicy(mode: .all))
        let results = try await withThrowingTaskGroup(of: Result<ModeratoCore.Comment, SubmissionRefusal>.self) { group in
            for index in 0..<200 {
                group.addTask {
                    // Every tenth submission repeats the previous one's author and body.
                    let n = index % 10 == 9 ? index - 1 : index
                    let draft = CommentDraft(post: "/p/", parent: nil, author: "A", url: nil, body: "body \(n)", emailHash: "h\(n)", ipHash: nil)
                    return try await store.submit(draft, rules: rules)
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let stored = results.compactMap { try? $0.get() }
        #expect(stored.count == 180)
        #expect(results.filter { $0 == .failure(.duplicate) }.count == 20)
        #expect(Set(stored.map(\.id)).count == 180, "every accepted comment has its own id")
        let count = try await store.pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM comments") }
        #expect(count == 180)
    }
}
