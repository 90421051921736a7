import Foundation
import ModeratoCore
import Testing

/// The decision every engine delegates: pure, so every rule is checked here at its boundary.
@Suite("Submission rules")
struct SubmissionRulesTests {
    let rules = SubmissionRules(policy: ModerationPolicy(mode: .none, maxLinks: 0), maxDepth: 5, floodSeconds: 15)
    let now = Date(timeIntervalSince1970: 1_000_000)

    func facts(closed: Bool = false, ancestry: [Int64]? = nil, duplicate: Bool = false, latest: Date? = nil) -> SubmissionFacts {
        SubmissionFacts(
            isPostClosed: closed, parentAncestry: ancestry, isDuplicate: duplicate, latestInFloodWindow: latest,
            standing: AuthorStanding(hasApprovedComment: false, isBlocked: false)
        )
    }

    func draft(parent: Int64? = nil) -> CommentDraft {
        CommentDraft(post: "/p/", parent: parent, author: "A", url: nil, body: "b", emailHash: "e", ipHash: nil)
    }

    @Test func theRulesApplyInOrder() {
        let everything = facts(closed: true, ancestry: nil, duplicate: true, latest: now)
        #expect(rules.decide(draft(parent: 9), facts: everything, now: now) == .failure(.postClosed))
        #expect(rules.decide(draft(parent: 9), facts: facts(duplicate: true, latest: now), now: now) == .failure(.parentNotFound))
        #expect(rules.decide(draft(), facts: facts(duplicate: true, latest: now), now: now) == .failure(.duplicate))
        #expect(rules.decide(draft(), facts: facts(latest: now), now: now) == .failure(.flood(retryAfter: 15)))
        #expect(
            rules.decide(draft(parent: 9), facts: facts(ancestry: [9, 4]), now: now)
                == .success(SubmissionDecision(status: .approved, parent: 9)))
        #expect(
            rules.decide(draft(), facts: facts(ancestry: [9]), now: now) == .success(SubmissionDecision(status: .approved, parent: nil)),
            "a top-level comment ignores any ancestry")
    }

    @Test func theDecisionCarriesThePolicysReason() {
        let holding = SubmissionRules(policy: ModerationPolicy(mode: .firstTime, maxLinks: 0))
        #expect(
            holding.decide(draft(), facts: facts(), now: now)
                == .success(SubmissionDecision(status: .pending, parent: nil, reason: .firstTime)))
        #expect(
            rules.decide(draft(), facts: facts(), now: now) == .success(SubmissionDecision(status: .approved, parent: nil, reason: nil)))
    }

    @Test func attachmentPointArithmetic() {
        func point(_ ancestry: [Int64], _ depth: Int) -> Int64? {
            SubmissionRules(policy: ModerationPolicy(), maxDepth: depth).attachmentPoint(ancestry: ancestry)
        }
        // ancestry lists the parent first, then up to the top-level comment.
        #expect(point([30, 20, 10], 5) == 30)
        #expect(point([30, 20, 10], 4) == 30)
        #expect(point([30, 20, 10], 3) == 20)
        #expect(point([30, 20, 10], 2) == 10)
        #expect(point([30, 20, 10], 1) == nil)
    }

    @Test func theFloodGapInWholeSeconds() {
        #expect(rules.floodWait(latest: now.addingTimeInterval(-14), now: now) == 1)
        #expect(rules.floodWait(latest: now.addingTimeInterval(-14.5), now: now) == 1)
        #expect(rules.floodWait(latest: now.addingTimeInterval(-15), now: now) == nil)
        #expect(rules.floodWait(latest: now.addingTimeInterval(-1), now: now) == 14)
        #expect(rules.floodWait(latest: nil, now: now) == nil)
        #expect(SubmissionRules(policy: ModerationPolicy()).floodWait(latest: now, now: now) == nil, "0 turns it off")
        #expect(rules.floodWindowStart(now: now) == now.addingTimeInterval(-15))
    }
}
