import Foundation
import ModeratoCore
import ModeratoStore
import Testing

/// `CommentModeration` and `ModerationTokens`: transitions, the audit log, erasure, counts, tokens.
@Suite("Contract: moderation")
struct ModerationContractTests {
    @Test(arguments: StoreEngine.allCases)
    func everyActionReachesItsStatusAndIsLogged(engine: StoreEngine) async throws {
        let open = try await engine.makeStore()
        let store = open.store
        let comment = try await store.submit(.sample(), rules: .holding).get()
        for action in [ModerationAction.approve, .spam, .trash, .hold] {
            open.clock.advance(by: 1)
            let moderated = try #require(try await store.moderate(id: comment.id, action: action, actor: "cli:ana"))
            #expect(moderated.status == action.targetStatus)
            #expect(moderated.moderatedAt == open.clock.now())
        }
        let history = try await store.history(of: comment.id)
        #expect(history.map(\.action) == ["approve", "spam", "trash", "hold"])
        #expect(history.map(\.fromStatus) == [.pending, .approved, .spam, .trash])
        #expect(history.map(\.toStatus) == [.approved, .spam, .trash, .pending])
        #expect(Set(history.map(\.actor)) == ["cli:ana"])
        #expect(try await store.auditCounts() == ["approve": 1, "spam": 1, "trash": 1, "hold": 1])
        #expect(try await store.moderate(id: 999, action: .approve, actor: "x") == nil)
    }

    @Test(arguments: StoreEngine.allCases)
    func publishingAndUnpublishingChangeThePostsVersion(engine: StoreEngine) async throws {
        let store = try await engine.makeStore().store
        let comment = try await store.submit(.sample(), rules: .holding).get()
        let before = try await store.publicationChanges(since: 0).latest
        _ = try await store.moderate(id: comment.id, action: .spam, actor: "t")
        #expect(try await store.publicationChanges(since: before).posts.isEmpty, "pending → spam: nothing public changed")
        _ = try await store.moderate(id: comment.id, action: .approve, actor: "t")
        let approved = try await store.publicationChanges(since: before)
        #expect(approved.posts["/p/"] != nil)
        _ = try await store.moderate(id: comment.id, action: .trash, actor: "t")
        #expect(try await store.publicationChanges(since: approved.latest).posts["/p/"] != nil, "unpublishing changes it too")
    }

    @Test(arguments: StoreEngine.allCases)
    func deleteMovesRepliesUpAndLogs(engine: StoreEngine) async throws {
        let store = try await engine.makeStore().store
        let top = try await store.submit(.sample("top"), rules: .open).get()
        let middle = try await store.submit(.sample("middle", parent: top.id, email: "e2"), rules: .open).get()
        let reply = try await store.submit(.sample("reply", parent: middle.id, email: "e3"), rules: .open).get()
        #expect(try await store.delete(id: middle.id, actor: "token:ops"))
        #expect(try await store.comment(id: middle.id) == nil)
        #expect(try await store.comment(id: reply.id)?.parent == top.id)
        #expect(try await store.history(of: middle.id).map(\.action) == ["delete"])
        #expect(try await store.delete(id: middle.id, actor: "token:ops") == false)
    }

    @Test(arguments: StoreEngine.allCases)
    func forgetErasesEveryCommentOfAnEmailHashAndLogsEach(engine: StoreEngine) async throws {
        let store = try await engine.makeStore().store
        let first = try await store.submit(.sample("mine 1", email: "gone"), rules: .open).get()
        let answer = try await store.submit(.sample("answer", parent: first.id, email: "stays"), rules: .open).get()
        let second = try await store.submit(.sample("mine 2", parent: answer.id, email: "gone"), rules: .open).get()
        #expect(try await store.forgetEmail(hash: "gone", actor: "cli:ana") == 2)
        #expect(try await store.comment(id: first.id) == nil)
        #expect(try await store.comment(id: second.id) == nil)
        #expect(try await store.comment(id: answer.id)?.parent == nil, "the reply moved up")
        #expect(try await store.history(of: first.id).map(\.action) == ["forget"])
        #expect(try await store.forgetEmail(hash: "gone", actor: "cli:ana") == 0)
    }

    @Test(arguments: StoreEngine.allCases)
    func countsPostsAndTheQueue(engine: StoreEngine) async throws {
        let store = try await engine.makeStore().store
        var ids: [Int64] = []
        for index in 0..<12 {
            ids.append(
                try await store.submit(.sample("c\(index)", post: index < 8 ? "/a/" : "/b/", email: "e\(index)"), rules: .holding).get().id)
        }
        _ = try await store.moderate(id: ids[0], action: .approve, actor: "t")
        _ = try await store.moderate(id: ids[1], action: .spam, actor: "t")
        _ = try await store.moderate(id: ids[9], action: .trash, actor: "t")
        #expect(try await store.statusCounts(post: nil) == [.pending: 9, .approved: 1, .spam: 1, .trash: 1])
        #expect(try await store.statusCounts(post: "/b/") == [.pending: 3, .approved: 0, .spam: 0, .trash: 1])
        #expect(try await store.statusCounts(post: "/none/") == [.pending: 0, .approved: 0, .spam: 0, .trash: 0])
        let posts = try await store.posts()
        #expect(posts.map(\.post) == ["/a/", "/b/"])
        #expect(posts[0].counts == [.pending: 6, .approved: 1, .spam: 1, .trash: 0])
        #expect(posts[0].lastCommentAt != nil)

        let page = try await store.moderationQueue(QueueFilter(status: .pending, limit: 4))
        #expect(page.total == 9)
        #expect(page.comments.map(\.id) == [ids[2], ids[3], ids[4], ids[5]], "oldest first")
        #expect(page.hasMore)
        let next = try await store.moderationQueue(QueueFilter(status: .pending, limit: 4, cursorID: ids[5]))
        #expect(next.comments.map(\.id) == [ids[6], ids[7], ids[8], ids[10]])
        let newest = try await store.moderationQueue(QueueFilter(status: nil, post: "/b/", limit: 10, newestFirst: true))
        #expect(newest.comments.map(\.id) == [ids[11], ids[10], ids[9], ids[8]])
        #expect(newest.total == 4 && !newest.hasMore)
    }

    @Test(arguments: StoreEngine.allCases)
    func tokensAreCreatedListedUsedAndRevoked(engine: StoreEngine) async throws {
        let open = try await engine.makeStore()
        let store = open.store
        #expect(try await store.createToken(name: "ops", hash: "h1"))
        #expect(try await store.createToken(name: "ops", hash: "h2") == false, "the name is taken")
        #expect(try await store.activeTokenHashes() == [ActiveToken(name: "ops", hash: "h1", lastUsedAt: nil)])
        try await store.touchToken(name: "ops")
        #expect(try await store.tokens().first?.lastUsedAt == open.clock.now())
        #expect(try await store.revokeToken(name: "ops"))
        #expect(try await store.revokeToken(name: "ops") == false)
        #expect(try await store.activeTokenHashes().isEmpty)
        #expect(try await store.tokens().first?.revokedAt != nil)
        #expect(try await store.createToken(name: "ops", hash: "h3"), "a revoked name may be used again")
        #expect(try await store.activeTokenHashes().map(\.hash) == ["h3"])
    }
}
