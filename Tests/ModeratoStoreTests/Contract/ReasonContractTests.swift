import Foundation
import ModeratoCore
import ModeratoStore
import Testing

/// Reasons stored with the status, compare-and-set moderation and an author's history — what
/// `moderato review` relies on, on every engine.
@Suite("Contract: reasons and review")
struct ReasonContractTests {
    @Test(arguments: StoreEngine.allCases)
    func theReasonIsStoredWithTheStatusAndReadBackEverywhere(engine: StoreEngine) async throws {
        let store = try await engine.makeStore().store
        let policy = ModerationPolicy(mode: .firstTime, maxLinks: 2, holdWords: ["Casino"], blockWords: ["viagra"])
        let rules = SubmissionRules(policy: policy)
        func submitted(_ draft: CommentDraft) async throws -> ModeratoCore.Comment { try await store.submit(draft, rules: rules).get() }

        let firstTime = try await submitted(.sample("hello", email: "new"))
        let links = try await submitted(.sample("http://a/ http://b/ http://c/", email: "l"))
        let holdWord = try await submitted(.sample("a CASINO night", email: "h"))
        let blockWord = try await submitted(.sample("viagra", email: "b"))
        let honeypot = try await submitted(.sample("bot", email: "bot", honeypot: true))
        #expect(try await store.blockEmail(hash: "blocked"))
        let blocked = try await submitted(.sample("blocked", email: "blocked"))
        let modeAll = try await store.submit(.sample("all", email: "all"), rules: SubmissionRules(policy: ModerationPolicy(mode: .all)))
            .get()
        let published = try await store.submit(.sample("open", email: "o"), rules: .open).get()

        let expected: [(ModeratoCore.Comment, CommentStatus, ModerationReason?)] = [
            (firstTime, .pending, .firstTime), (links, .pending, .links(3)), (holdWord, .pending, .holdWord("Casino")),
            (blockWord, .spam, .blockWord("viagra")), (honeypot, .spam, .honeypot), (blocked, .spam, .blockedEmail),
            (modeAll, .pending, .modeAll), (published, .approved, nil),
        ]
        for (comment, status, reason) in expected {
            #expect(comment.status == status && comment.reason == reason, "as submitted: \(comment.body)")
            let stored = try #require(try await store.comment(id: comment.id))
            #expect(stored.status == status && stored.reason == reason, "as stored: \(comment.body)")
        }
        let queue = try await store.moderationQueue(QueueFilter(status: nil, limit: 20))
        #expect(queue.comments.map(\.reason) == expected.map(\.2))
        var exported: [ModerationReason?] = []
        try await store.forEachComment { exported.append($0.reason) }
        #expect(exported == expected.map(\.2))
    }

    @Test(arguments: StoreEngine.allCases)
    func aModeratorsHoldOrSpamBecomesTheReasonApproveAndTrashKeepIt(engine: StoreEngine) async throws {
        let store = try await engine.makeStore().store
        let comment = try await store.submit(.sample(), rules: SubmissionRules(policy: ModerationPolicy(mode: .firstTime))).get()
        #expect(comment.reason == .firstTime)
        #expect(try await store.moderate(id: comment.id, action: .approve, actor: "cli:ana")?.reason == .firstTime)
        #expect(try await store.moderate(id: comment.id, action: .trash, actor: "cli:ana")?.reason == .firstTime)
        #expect(try await store.moderate(id: comment.id, action: .hold, actor: "token:ops")?.reason == .moderator("token:ops"))
        #expect(try await store.moderate(id: comment.id, action: .spam, actor: "cli:bo")?.reason == .moderator("cli:bo"))
        #expect(try await store.comment(id: comment.id)?.reason == .moderator("cli:bo"))

        // An undo puts back exactly the reason it had, unknown (nil) included.
        let restored = try await store.moderate(
            ModerationChange(id: comment.id, action: .hold, actor: "cli:ana", expectedStatus: .spam, reason: .restore(.firstTime)))
        #expect(restored == .moderated(try #require(try await store.comment(id: comment.id))))
        #expect(try await store.comment(id: comment.id)?.reason == .firstTime)
        _ = try await store.moderate(ModerationChange(id: comment.id, action: .spam, actor: "cli:ana", reason: .restore(nil)))
        #expect(try await store.comment(id: comment.id)?.reason == nil)
    }

    @Test(arguments: StoreEngine.allCases)
    func aConditionalDecisionAppliesOnlyFromTheStatusSeen(engine: StoreEngine) async throws {
        let open = try await engine.makeStore()
        let store = open.store
        let comment = try await store.submit(.sample(), rules: .holding).get()

        let first = try await store.moderate(
            ModerationChange(id: comment.id, action: .approve, actor: "token:api", expectedStatus: .pending))
        guard case .moderated(let approved) = first else {
            Issue.record("the first decision applies: \(first)")
            return
        }
        #expect(approved.status == .approved)

        open.clock.advance(by: 5)
        let second = try await store.moderate(ModerationChange(id: comment.id, action: .spam, actor: "cli:ana", expectedStatus: .pending))
        guard case .alreadyChanged(let now, let lastChange) = second else {
            Issue.record("the second decision finds it already approved: \(second)")
            return
        }
        #expect(now.status == .approved)
        #expect(lastChange?.actor == "token:api")
        #expect(lastChange?.action == "approve")
        #expect(lastChange?.toStatus == .approved)
        #expect(try await store.comment(id: comment.id)?.status == .approved, "nothing changed")
        #expect(try await store.history(of: comment.id).count == 1, "and nothing was logged")
        #expect(
            try await store.moderate(ModerationChange(id: 999, action: .approve, actor: "cli:ana", expectedStatus: .pending)) == .notFound)
    }

    @Test(arguments: StoreEngine.allCases)
    func twoModeratorsRacingForOneCommentDecideItOnce(engine: StoreEngine) async throws {
        let open = try await engine.makeStore()
        let other = try await open.second()
        var ids: [Int64] = []
        for index in 0..<5 {
            ids.append(try await open.store.submit(.sample("c\(index)", email: "e\(index)"), rules: .holding).get().id)
        }
        // Every comment is decided by six moderators at once, on two connections to the data.
        let outcomes = try await withThrowingTaskGroup(of: (Int64, Bool).self) { group in
            for id in ids {
                for (index, action) in [ModerationAction.approve, .spam, .trash, .approve, .spam, .trash].enumerated() {
                    let store = index.isMultiple(of: 2) ? open.store : other
                    group.addTask {
                        let outcome = try await store.moderate(
                            ModerationChange(id: id, action: action, actor: "m\(index)", expectedStatus: .pending))
                        if case .moderated = outcome { return (id, true) }
                        return (id, false)
                    }
                }
            }
            var applied: [Int64: Int] = [:]
            for try await (id, didApply) in group where didApply { applied[id, default: 0] += 1 }
            return applied
        }
        for id in ids {
            #expect(outcomes[id] == 1, "comment \(id) was decided exactly once")
            #expect(try await open.store.history(of: id).count == 1)
        }
    }

    @Test(arguments: StoreEngine.allCases)
    func anAuthorsHistoryCountsTheirCommentsPerStatus(engine: StoreEngine) async throws {
        let store = try await engine.makeStore().store
        var ids: [Int64] = []
        for index in 0..<5 {
            ids.append(try await store.submit(.sample("mine \(index)", email: "me"), rules: .holding).get().id)
        }
        _ = try await store.submit(.sample("someone else", email: "other"), rules: .open)
        _ = try await store.moderate(id: ids[0], action: .approve, actor: "t")
        _ = try await store.moderate(id: ids[1], action: .approve, actor: "t")
        _ = try await store.moderate(id: ids[2], action: .spam, actor: "t")
        _ = try await store.moderate(id: ids[3], action: .trash, actor: "t")
        #expect(try await store.authorHistory(emailHash: "me") == [.approved: 2, .pending: 1, .spam: 1, .trash: 1])
        #expect(try await store.authorHistory(emailHash: "other") == [.approved: 1, .pending: 0, .spam: 0, .trash: 0])
        #expect(try await store.authorHistory(emailHash: "nobody") == [.approved: 0, .pending: 0, .spam: 0, .trash: 0])
    }
}
