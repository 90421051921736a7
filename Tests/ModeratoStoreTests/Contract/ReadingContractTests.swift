import Foundation
import ModeratoCore
import ModeratoStore
import Synchronization
import Testing

/// `PublicCommentReading`, `PublicationChangeFeed` and `StoreMaintenance`.
@Suite("Contract: reading, changes, maintenance")
struct ReadingContractTests {
    @Test(arguments: StoreEngine.allCases)
    func threadsAreApprovedOnlyOldestFirstPagedByKeyset(engine: StoreEngine) async throws {
        let store = try await engine.makeStore().store
        var approved: [Int64] = []
        for index in 0..<7 {
            let comment = try await store.submit(.sample("c\(index)", email: "e\(index)"), rules: index == 3 ? .holding : .open).get()
            if index != 3 { approved.append(comment.id) }
        }
        let first = try await store.approvedThread(post: "/p/", afterID: nil, limit: 4)
        #expect(first.comments.map(\.id) == Array(approved.prefix(4)))
        #expect(first.total == 6 && first.hasMore)
        let second = try await store.approvedThread(post: "/p/", afterID: approved[3], limit: 4)
        #expect(second.comments.map(\.id) == Array(approved.suffix(2)))
        #expect(!second.hasMore)
        #expect(
            try await store.approvedThread(post: "/none/", afterID: nil, limit: 4) == CommentPage(comments: [], total: 0, hasMore: false))
        #expect(try await store.approvedCounts(posts: ["/p/", "/none/"]) == ["/p/": 6])
        #expect(try await store.approvedCounts(posts: []) == [:])
        #expect(try await store.latestApproved(post: nil, limit: 2).map(\.id) == [approved[5], approved[4]], "newest first")
        #expect(try await store.latestApproved(post: "/none/", limit: 2).isEmpty)
    }

    @Test(arguments: StoreEngine.allCases)
    func observersHearOfAWriteBeforeItReturns(engine: StoreEngine) async throws {
        let store = try await engine.makeStore().store
        let heard = Mutex<[PublicationChanges]>([])
        store.observeChanges { changes in heard.withLock { $0.append(changes) } }
        _ = try await store.submit(.sample(), rules: .open).get()
        let afterSubmit = heard.withLock { $0 }
        #expect(afterSubmit.count == 1)
        let version = try #require(afterSubmit.first?.posts["/p/"])
        try await store.setPostClosed("/p/", closed: true)
        #expect(try #require(heard.withLock { $0.last?.posts["/p/"] }) > version, "closing a post changes its page")
        _ = try await store.submit(.sample("held", post: "/q/"), rules: .holding).get()
        #expect(heard.withLock { $0.count } == 2, "a held comment is not news")
    }

    @Test(arguments: StoreEngine.allCases)
    func anotherWritersChangesAreFound(engine: StoreEngine) async throws {
        let open = try await engine.makeStore()
        let heard = Mutex<[PostKey: Int64]>([:])
        open.store.observeChanges { changes in heard.withLock { $0.merge(changes.posts) { max($0, $1) } } }
        let follower = Task { try await open.store.followOtherWriters(every: .milliseconds(20)) }
        defer { follower.cancel() }

        let other = try await open.second()
        _ = try await other.submit(.sample(post: "/elsewhere/"), rules: .open).get()
        let deadline = ContinuousClock.now + .seconds(5)
        while heard.withLock({ $0["/elsewhere/"] }) == nil, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(heard.withLock { $0["/elsewhere/"] } != nil, "a write by another process reached the observers")
    }

    @Test(arguments: StoreEngine.allCases)
    func everyCommentCanBeReadBackInOrder(engine: StoreEngine) async throws {
        let store = try await engine.makeStore().store
        for index in 0..<5 {
            _ = try await store.submit(.sample("c\(index)", email: "e\(index)"), rules: index.isMultiple(of: 2) ? .open : .holding).get()
        }
        var bodies: [String] = []
        try await store.forEachComment { bodies.append($0.body) }
        #expect(bodies == ["c0", "c1", "c2", "c3", "c4"], "every status, oldest first")
        #expect(try await store.migrate() == [], "already up to date")
    }

    @Test(arguments: StoreEngine.allCases)
    func aBackupHoldsEveryCommentOrSaysWhatToUseInstead(engine: StoreEngine) async throws {
        let store = try await engine.makeStore().store
        _ = try await store.submit(.sample(), rules: .open).get()
        let folder = TemporaryFolder()
        do {
            #expect(try await store.backup(to: folder.file("copy")) == 1)
        } catch let error as StoreError {
            guard case .unsupported(let advice) = error else { throw error }
            #expect(!advice.isEmpty)
        }
    }

    @Test(arguments: StoreEngine.allCases)
    func aHealthyStoreSaysSoAndCloses(engine: StoreEngine) async throws {
        let store = try await engine.makeStore().store
        try await store.checkHealth()
        try await store.close()
    }
}
