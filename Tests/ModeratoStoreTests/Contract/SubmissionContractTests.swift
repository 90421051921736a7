import Foundation
import ModeratoCore
import ModeratoStore
import Testing

/// `CommentSubmission`: the facts every engine reads and the decisions it writes.
@Suite("Contract: submission")
struct SubmissionContractTests {
    @Test(arguments: StoreEngine.allCases)
    func aHeldCommentIsStoredAndCreatesItsPostWithoutPublishingAnything(engine: StoreEngine) async throws {
        let open = try await engine.makeStore()
        let store = open.store
        let comment = try await store.submit(.sample(), rules: .holding).get()
        #expect(comment.id > 0)
        #expect(comment.status == .pending)
        #expect(try await store.comment(id: comment.id) == comment)
        let posts = try await store.posts()
        #expect(posts.map(\.post) == ["/p/"])
        #expect(posts.first?.closed == false)
        #expect(posts.first?.counts[.pending] == 1)
        #expect(try await store.publicationChanges(since: 0).posts.isEmpty, "a held comment changes nothing the public sees")
    }

    @Test(arguments: StoreEngine.allCases)
    func aPublishedCommentGivesItsPostANewVersion(engine: StoreEngine) async throws {
        let store = try await engine.makeStore().store
        _ = try await store.submit(.sample(), rules: .open).get()
        let first = try await store.publicationChanges(since: 0)
        let version = try #require(first.posts["/p/"])
        #expect(version > 0 && first.latest == version)
        _ = try await store.submit(.sample("again", email: "e2"), rules: .open).get()
        let second = try await store.publicationChanges(since: version)
        #expect(try #require(second.posts["/p/"]) > version, "versions only grow")
    }

    @Test(arguments: StoreEngine.allCases)
    func firstTimeModeLearnsFromApprovedComments(engine: StoreEngine) async throws {
        let store = try await engine.makeStore().store
        let rules = SubmissionRules(policy: ModerationPolicy(mode: .firstTime))
        let first = try await store.submit(.sample("first"), rules: rules).get()
        #expect(first.status == .pending)
        #expect(try await store.submit(.sample("second"), rules: rules).get().status == .pending)
        _ = try await store.moderate(id: first.id, action: .approve, actor: "test")
        #expect(try await store.submit(.sample("third"), rules: rules).get().status == .approved)
        #expect(try await store.submit(.sample("other author", email: "e2"), rules: rules).get().status == .pending)
    }

    @Test(arguments: StoreEngine.allCases)
    func aClosedPostRefusesComments(engine: StoreEngine) async throws {
        let store = try await engine.makeStore().store
        try await store.setPostClosed("/closed/", closed: true)
        #expect(try await store.isPostClosed("/closed/"))
        #expect(try await store.submit(.sample(post: "/closed/"), rules: .open) == .failure(.postClosed))
        try await store.setPostClosed("/closed/", closed: false)
        #expect(try await store.submit(.sample(post: "/closed/"), rules: .open).get().status == .approved)
    }

    @Test(arguments: StoreEngine.allCases)
    func aParentMustExistBeApprovedAndBelongToThePost(engine: StoreEngine) async throws {
        let store = try await engine.makeStore().store
        let approved = try await store.submit(.sample("parent"), rules: .open).get()
        let pending = try await store.submit(.sample("held"), rules: .holding).get()
        let elsewhere = try await store.submit(.sample("elsewhere", post: "/other/"), rules: .open).get()
        #expect(try await store.submit(.sample("reply", parent: approved.id), rules: .open).get().parent == approved.id)
        #expect(try await store.submit(.sample("reply", parent: 999_999), rules: .open) == .failure(.parentNotFound))
        #expect(try await store.submit(.sample("reply", parent: pending.id), rules: .open) == .failure(.parentNotFound))
        #expect(try await store.submit(.sample("reply", parent: elsewhere.id), rules: .open) == .failure(.parentNotFound))
        #expect(try await store.submit(.sample("reply", parent: Int64.max), rules: .open) == .failure(.parentNotFound))
    }

    @Test(arguments: StoreEngine.allCases)
    func exactDuplicatesAreRefusedUnlessTheFirstIsInTheTrash(engine: StoreEngine) async throws {
        let store = try await engine.makeStore().store
        let first = try await store.submit(.sample("same"), rules: .open).get()
        #expect(try await store.submit(.sample("same"), rules: .open) == .failure(.duplicate))
        #expect(try await store.submit(.sample("same", email: "e2"), rules: .open).get().body == "same", "another author may say the same")
        #expect(try await store.submit(.sample("same", post: "/other/"), rules: .open).get().body == "same", "on another post too")
        _ = try await store.moderate(id: first.id, action: .trash, actor: "test")
        #expect(try await store.submit(.sample("same"), rules: .open).get().body == "same", "a trashed comment may be posted again")
    }

    @Test(arguments: StoreEngine.allCases)
    func deepRepliesAttachToTheDeepestAllowedAncestor(engine: StoreEngine) async throws {
        let store = try await engine.makeStore().store
        let rules = SubmissionRules(policy: ModerationPolicy(mode: .none, maxLinks: 0), maxDepth: 3)
        var chain: [Int64] = []
        var parent: Int64?
        for depth in 1...3 {
            let comment = try await store.submit(.sample("depth \(depth)", parent: parent), rules: rules).get()
            chain.append(comment.id)
            parent = comment.id
        }
        #expect(try await store.comment(id: chain[2])?.parent == chain[1], "depth 3 is allowed")
        let tooDeep = try await store.submit(.sample("depth 4", parent: chain[2]), rules: rules).get()
        #expect(tooDeep.parent == chain[1], "a 4th level reply becomes a sibling at depth 3")
        #expect(
            try await store.submit(.sample("depth 4", parent: chain[2]), rules: rules) == .failure(.duplicate),
            "the duplicate rule compares where the reply is attached")
    }

    @Test(arguments: StoreEngine.allCases)
    func theFloodGapCountsTheSameEmailOrTheSameClient(engine: StoreEngine) async throws {
        let open = try await engine.makeStore()
        let store = open.store
        let rules = SubmissionRules(policy: ModerationPolicy(mode: .none, maxLinks: 0), floodSeconds: 15)
        _ = try await store.submit(.sample("one", email: "a", ip: "client"), rules: rules).get()
        open.clock.advance(by: 5)
        #expect(try await store.submit(.sample("two", email: "a", ip: "elsewhere"), rules: rules) == .failure(.flood(retryAfter: 10)))
        #expect(try await store.submit(.sample("three", email: "b", ip: "client"), rules: rules) == .failure(.flood(retryAfter: 10)))
        #expect(try await store.submit(.sample("four", email: "c", ip: nil), rules: rules).get().body == "four", "someone else")
        open.clock.advance(by: 11)
        #expect(try await store.submit(.sample("five", email: "a", ip: "client"), rules: rules).get().body == "five")
    }

    @Test(arguments: StoreEngine.allCases)
    func blockedEmailsAndTheHoneypotGoToSpam(engine: StoreEngine) async throws {
        let store = try await engine.makeStore().store
        #expect(try await store.blockEmail(hash: "bad"))
        #expect(try await store.blockEmail(hash: "bad") == false, "already blocked")
        #expect(try await store.submit(.sample(email: "bad"), rules: .open).get().status == .spam)
        #expect(try await store.submit(.sample("bot", email: "bot", honeypot: true), rules: .open).get().status == .spam)
    }

    @Test(arguments: StoreEngine.allCases)
    func concurrentSubmissionsAreAllStoredAndRacingDuplicatesRefused(engine: StoreEngine) async throws {
        let store = try await engine.makeStore().store
        let results = try await withThrowingTaskGroup(of: Result<ModeratoCore.Comment, SubmissionRefusal>.self) { group in
            for index in 0..<200 {
                group.addTask {
                    // Every tenth submission repeats the previous one's author and body.
                    let n = index % 10 == 9 ? index - 1 : index
                    return try await store.submit(.sample("body \(n)", email: "h\(n)", ip: nil), rules: .holding)
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let stored = results.compactMap { try? $0.get() }
        #expect(stored.count == 180)
        #expect(results.filter { $0 == .failure(.duplicate) }.count == 20)
        #expect(Set(stored.map(\.id)).count == 180, "every accepted comment has its own id")
        #expect(try await store.statusCounts(post: nil)[.pending] == 180)
    }
}
