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

@Suite("Moderation reasons")
struct ModerationReasonTests {
    func draft(body: String = "Nice article.", author: String = "Taro", honeypot: Bool = false) -> CommentDraft {
        CommentDraft(
            post: "/p/", parent: nil, author: author, url: nil, body: body, emailHash: "e", ipHash: nil, isHoneypotFilled: honeypot)
    }

    let newcomer = AuthorStanding(hasApprovedComment: false, isBlocked: false)
    let regular = AuthorStanding(hasApprovedComment: true, isBlocked: false)

    @Test func everyRuleNamesItselfAndAPublishedCommentHasNoReason() {
        let policy = ModerationPolicy(mode: .firstTime, maxLinks: 2, holdWords: ["casino"], blockWords: ["viagra"])
        #expect(policy.verdict(draft(), standing: newcomer) == .pending(.firstTime))
        #expect(policy.verdict(draft(), standing: regular) == .approved)
        #expect(policy.verdict(draft(), standing: regular).reason == nil)
        #expect(ModerationPolicy(mode: .all).verdict(draft(), standing: regular) == .pending(.modeAll))
        #expect(policy.verdict(draft(body: "http://a/ https://b/ http://c/"), standing: regular) == .pending(.links(3)))
        #expect(policy.verdict(draft(body: "http://a/ https://b/ http://c/"), standing: regular).reason?.detail == "3")
        #expect(policy.verdict(draft(body: "the casino"), standing: regular) == .pending(.holdWord("casino")))
        #expect(policy.verdict(draft(body: "VIAGRA"), standing: regular) == .spam(.blockWord("viagra")))
        #expect(policy.verdict(draft(honeypot: true), standing: regular) == .spam(.honeypot))
        #expect(policy.verdict(draft(), standing: AuthorStanding(hasApprovedComment: true, isBlocked: true)) == .spam(.blockedEmail))
        #expect(ModerationPolicy(mode: .none).verdict(draft(), standing: newcomer) == .approved)
    }

    @Test func theFirstRuleThatAppliesIsTheReason() {
        let policy = ModerationPolicy(mode: .all, maxLinks: 1, holdWords: ["casino"], blockWords: ["viagra"])
        #expect(policy.verdict(draft(body: "viagra casino http://x/", honeypot: true), standing: newcomer) == .spam(.honeypot))
        #expect(policy.verdict(draft(body: "viagra casino http://x/"), standing: newcomer) == .spam(.blockWord("viagra")))
        #expect(policy.verdict(draft(body: "casino http://x/"), standing: newcomer) == .pending(.holdWord("casino")))
        #expect(policy.verdict(draft(body: "http://x/"), standing: newcomer) == .pending(.links(1)))
        #expect(policy.decide(draft(body: "http://x/"), standing: newcomer) == .pending, "decide is the verdict's status")
    }

    @Test func aWordIsReportedAsConfiguredNotAsFolded() {
        // Matched on folded text (WordFolding): the fullwidth, accented, upper-case spellings all
        // match, and the reason names the word the operator wrote.
        let policy = ModerationPolicy(mode: .none, holdWords: ["Ｃａｓｉｎｏ", "Straße"], blockWords: ["VIAGRÁ"])
        #expect(policy.verdict(draft(body: "play casino"), standing: regular) == .pending(.holdWord("Ｃａｓｉｎｏ")))
        #expect(policy.verdict(draft(author: "STRASSE"), standing: regular) == .pending(.holdWord("Straße")))
        #expect(policy.verdict(draft(body: "via\u{200B}gra"), standing: regular) == .spam(.blockWord("VIAGRÁ")))
        let japanese = ModerationPolicy(mode: .none, holdWords: ["カジノ"])
        #expect(japanese.verdict(draft(body: "ｶｼﾞﾉで遊ぼう"), standing: regular) == .pending(.holdWord("カジノ")))
    }

    @Test func codesAreTheStoredNames() {
        #expect(
            ModerationReason.Code.allCases.map(\.rawValue) == [
                "first_time", "mode_all", "links", "hold_word", "block_word", "honeypot", "blocked_email", "imported", "moderator",
            ])
        #expect(ModerationReason.links(3).label == "links (3)")
        #expect(ModerationReason.firstTime.label == "first_time")
        #expect(ModerationReason.links(1).explanation == "1 link in the comment")
        #expect(ModerationReason.holdWord("casino").explanation.contains("casino"))
    }

    @Test func aModeratorsHoldOrSpamIsTheirReasonApproveAndTrashKeepTheOldOne() {
        #expect(ModerationAction.hold.reason(after: .firstTime, actor: "cli:ana") == .moderator("cli:ana"))
        #expect(ModerationAction.spam.reason(after: nil, actor: "token:ops") == .moderator("token:ops"))
        #expect(ModerationAction.approve.reason(after: .links(3), actor: "cli:ana") == .links(3))
        #expect(ModerationAction.trash.reason(after: nil, actor: "cli:ana") == nil)
        for status in CommentStatus.allCases {
            #expect(ModerationAction.leading(to: status).targetStatus == status)
        }
    }
}
