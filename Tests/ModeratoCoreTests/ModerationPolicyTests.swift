import ModeratoCore
import Testing

@Suite("Moderation policy")
struct ModerationPolicyTests {
    func draft(body: String = "Nice article.", author: String = "Taro", url: String? = nil, honeypot: Bool = false) -> CommentDraft {
        CommentDraft(
            post: "/p/", parent: nil, author: author, url: url, body: body, emailHash: "e", ipHash: nil, isHoneypotFilled: honeypot)
    }

    let newcomer = AuthorStanding(hasApprovedComment: false, isBlocked: false)
    let regular = AuthorStanding(hasApprovedComment: true, isBlocked: false)

    @Test func modeAllHoldsEverything() {
        let policy = ModerationPolicy(mode: .all)
        #expect(policy.decide(draft(), standing: newcomer) == .pending)
        #expect(policy.decide(draft(), standing: regular) == .pending)
    }

    @Test func modeFirstTimePublishesPreviouslyApprovedAuthors() {
        let policy = ModerationPolicy(mode: .firstTime)
        #expect(policy.decide(draft(), standing: newcomer) == .pending)
        #expect(policy.decide(draft(), standing: regular) == .approved)
    }

    @Test func modeNonePublishesUnlessARuleHolds() {
        let policy = ModerationPolicy(mode: .none, maxLinks: 2, holdWords: ["casino"])
        #expect(policy.decide(draft(), standing: newcomer) == .approved)
        #expect(policy.decide(draft(body: "Try the CASINO"), standing: newcomer) == .pending)
    }

    @Test func maxLinksHoldsAtTheLimitNotBelow() {
        let policy = ModerationPolicy(mode: .none, maxLinks: 2)
        #expect(policy.decide(draft(body: "see https://a.example/"), standing: newcomer) == .approved)
        #expect(policy.decide(draft(body: "see https://a.example/ and http://b.example/"), standing: newcomer) == .pending)
        #expect(
            ModerationPolicy(mode: .none, maxLinks: 0).decide(draft(body: "https://a/ https://b/ https://c/"), standing: newcomer)
                == .approved)
    }

    @Test func holdWordsMatchNameURLAndBodyIgnoringCase() {
        let policy = ModerationPolicy(mode: .none, holdWords: ["Pills"])
        #expect(policy.decide(draft(author: "pills seller"), standing: regular) == .pending)
        #expect(policy.decide(draft(url: "https://PILLS.example/"), standing: regular) == .pending)
        #expect(policy.decide(draft(body: "cheap pIlLs"), standing: regular) == .pending)
    }

    @Test func blockWordsBlockedAuthorsAndHoneypotsAreSpamWhateverTheMode() {
        let policy = ModerationPolicy(mode: .none, holdWords: ["viagra"], blockWords: ["viagra"])
        #expect(policy.decide(draft(body: "VIAGRA"), standing: regular) == .spam)
        #expect(policy.decide(draft(), standing: AuthorStanding(hasApprovedComment: true, isBlocked: true)) == .spam)
        #expect(policy.decide(draft(honeypot: true), standing: regular) == .spam)
    }

    @Test func emptyWordsNeverMatch() {
        let policy = ModerationPolicy(mode: .none, holdWords: [""], blockWords: [""])
        #expect(policy.decide(draft(), standing: newcomer) == .approved)
    }
}

@Suite("Counting links")
struct LinkCountTests {
    @Test func countsEachHTTPAndHTTPSAddressInAnyCase() {
        #expect(ModerationPolicy.linkCount(in: "none here") == 0)
        #expect(ModerationPolicy.linkCount(in: "http://a.example https://b.example HTTPS://C.EXAMPLE") == 3)
        #expect(ModerationPolicy.linkCount(in: "http:/ not, https:// yes, httpx://no") == 1)
        #expect(ModerationPolicy.linkCount(in: "日本語 https://例.jp/ と http://x") == 2)
    }
}
