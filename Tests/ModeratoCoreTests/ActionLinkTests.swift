import Foundation
import ModeratoCore
import Testing

@Suite("ActionLink: signed one-click links")
struct ActionLinkTests {
    let keyring = try! Keyring(secret: Array(repeating: 7, count: 32))
    let link = ActionLink(
        commentID: 1234, action: .spam, status: .pending, expiresAt: Date(timeIntervalSince1970: 1_800_000_000.9), eventID: 77)

    @Test func aTokenReadsBackAsTheSameLink() throws {
        let token = link.token(keyring: keyring)
        #expect(token.count == ActionLink.tokenLength)
        #expect(token.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }, "URL-safe as it is")
        let (read, id) = try ActionLink.read(token, keyring: keyring).get()
        #expect(read == link)
        #expect(read.expiresAt == Date(timeIntervalSince1970: 1_800_000_000), "whole seconds")
        #expect(id == link.id(keyring: keyring) && id.count == 32)
        #expect(token == link.token(keyring: keyring), "the same binding, the same link")
    }

    @Test func everyBoundFieldChangesTheLink() {
        let token = link.token(keyring: keyring)
        var others: [ActionLink] = []
        for change in 0..<5 {
            var other = link
            switch change {
            case 0: other.commentID = 1235
            case 1: other.action = .approve
            case 2: other.status = .spam
            case 3: other.expiresAt = link.expiresAt.addingTimeInterval(1)
            default: other.eventID = 78
            }
            others.append(other)
        }
        #expect(Set(others.map { $0.token(keyring: keyring) }).count == 5)
        #expect(!others.map { $0.token(keyring: keyring) }.contains(token))
    }

    @Test func anotherInstallsOrAnAlteredTokenIsForged() throws {
        let other = try Keyring(secret: Array(repeating: 8, count: 32))
        #expect(throws: ActionLinkRefusal.forged) { try ActionLink.read(link.token(keyring: other), keyring: keyring).get() }
        var characters = Array(link.token(keyring: keyring))
        characters[5] = characters[5] == "A" ? "B" : "A"  // the comment id, inside the signed payload
        #expect(throws: ActionLinkRefusal.forged) { try ActionLink.read(String(characters), keyring: keyring).get() }
    }

    @Test func anythingElseIsMalformed() {
        let token = link.token(keyring: keyring)
        for bad in ["", "abc", token + "A", String(token.dropLast()), String(token.dropLast()) + "+", String(repeating: "A", count: 58)] {
            #expect(throws: ActionLinkRefusal.malformed, "\(bad)") { try ActionLink.read(bad, keyring: keyring).get() }
        }
    }

    @Test func expiryIsInclusiveOfTheLastSecond() {
        #expect(!link.isExpired(at: Date(timeIntervalSince1970: 1_799_999_999)))
        #expect(link.isExpired(at: Date(timeIntervalSince1970: 1_800_000_000)))
    }

    @Test func theLinkKeyIsItsOwn() {
        // A link's tag is not any other keyed hash of the same bytes.
        let tag = keyring.actionLinkTag(Array("x".utf8)).hexString
        #expect(tag != keyring.emailHash(normalizedEmail: "x") && tag != keyring.ipHash("x"))
    }
}

@Suite("Notifications: plan and retry schedule")
struct NotificationPlanTests {
    @Test func retriesDoubleFromTwoSecondsToAnHourUntilTheLastAttempt() {
        let schedule = RetrySchedule(maxAttempts: 14)
        #expect((1...13).map { schedule.delay(afterAttempt: $0) } == [2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 3600, 3600])
        #expect(schedule.delay(afterAttempt: 14) == nil, "the last attempt is the last")
        #expect(RetrySchedule(maxAttempts: 1).delay(afterAttempt: 1) == nil)
    }

    @Test func aDecisionNamesTheChannelsOfAReportedOutcome() throws {
        let plan = NotificationPlan(outcomes: [.pending, .spam], channels: [.webhook, .email])
        let rules = SubmissionRules(policy: ModerationPolicy(mode: .all), notifications: plan)
        let facts = SubmissionFacts(
            isPostClosed: false, parentAncestry: nil, isDuplicate: false, latestInFloodWindow: nil,
            standing: AuthorStanding(hasApprovedComment: false, isBlocked: false))
        let draft = CommentDraft(post: "/p/", parent: nil, author: "A", url: nil, body: "b", emailHash: "e", ipHash: nil)
        #expect(try rules.decide(draft, facts: facts, now: Date()).get().notify == [.webhook, .email])
        var published = rules
        published.policy = ModerationPolicy(mode: .none)
        #expect(try published.decide(draft, facts: facts, now: Date()).get().notify == [], "approved is not listed")
        #expect(try SubmissionRules(policy: ModerationPolicy(mode: .all)).decide(draft, facts: facts, now: Date()).get().notify == [])
    }
}
