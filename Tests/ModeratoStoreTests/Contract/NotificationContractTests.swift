import Foundation
import ModeratoCore
import ModeratoStore
import Testing

/// The notification outbox (`NotificationOutbox`, written by `CommentSubmission.submit`) and
/// one-click links (`OneClickModeration`).
@Suite("Contract: notifications")
struct NotificationContractTests {
    static let both = NotificationPlan(outcomes: [.pending], channels: [.webhook, .email])
    static let holdingAndTelling = SubmissionRules(policy: ModerationPolicy(mode: .all), notifications: both)

    @Test(arguments: StoreEngine.allCases)
    func aReportedOutcomeWritesOneDeliveryPerChannelWithTheComment(engine: StoreEngine) async throws {
        let open = try await engine.makeStore()
        let store = open.store
        let comment = try await store.submit(.sample(), rules: Self.holdingAndTelling).get()
        #expect(try await store.deliverySummary()[.webhook] == DeliverySummary(pending: 1))
        #expect(try await store.deliverySummary()[.email] == DeliverySummary(pending: 1))
        #expect(try await store.nextDeliveryDue(channel: .webhook) == open.clock.now(), "due at once")

        let claimed = try await store.claimDeliveries(channel: .webhook, now: open.clock.now(), lease: 60, limit: 10)
        let delivery = try #require(claimed.first)
        #expect(claimed.count == 1)
        #expect(delivery.commentID == comment.id && delivery.comment == comment)
        #expect(delivery.status == .pending)
        #expect(delivery.attempt == 1)
        #expect(delivery.eventCreatedAt == comment.createdAt)
        #expect(delivery.messageID.hasPrefix("msg_") && delivery.messageID.count == 36)
        let email = try #require(try await store.claimDeliveries(channel: .email, now: open.clock.now(), lease: 60, limit: 10).first)
        #expect(email.messageID == delivery.messageID, "one event, one id, on every channel")
    }

    @Test(arguments: StoreEngine.allCases)
    func onlyTheListedOutcomesAreReportedAndRefusalsNever(engine: StoreEngine) async throws {
        let store = try await engine.makeStore().store
        let published = SubmissionRules(policy: ModerationPolicy(mode: .none), notifications: Self.both)
        _ = try await store.submit(.sample("published"), rules: published).get()
        #expect(try await store.nextDeliveryDue(channel: .webhook) == nil, "approved is not listed")
        _ = try await store.submit(.sample("not told"), rules: .holding).get()
        #expect(try await store.nextDeliveryDue(channel: .webhook) == nil, "no plan, no notification")
        try await store.setPostClosed("/closed/", closed: true)
        #expect(try await store.submit(.sample(post: "/closed/"), rules: Self.holdingAndTelling) == .failure(.postClosed))
        #expect(try await store.deliverySummary()[.webhook] == DeliverySummary())

        let spamToo = SubmissionRules(
            policy: ModerationPolicy(mode: .none), notifications: NotificationPlan(outcomes: [.spam], channels: [.email]))
        _ = try await store.submit(.sample("bot", email: "e9", honeypot: true), rules: spamToo).get()
        let claimed = try await store.claimDeliveries(channel: .email, now: Date.distantFuture, lease: 60, limit: 10)
        #expect(claimed.map(\.status) == [.spam])
        #expect(try await store.deliverySummary()[.webhook]?.pending == 0)
    }

    @Test(arguments: StoreEngine.allCases)
    func everyCommentOfABurstGetsItsNotification(engine: StoreEngine) async throws {
        let store = try await engine.makeStore().store
        // Concurrent submissions share transactions (an engine may batch them): each keeps its own event.
        let ids = try await withThrowingTaskGroup(of: Int64.self) { group in
            for index in 0..<40 {
                group.addTask { try await store.submit(.sample("c\(index)", email: "e\(index)"), rules: Self.holdingAndTelling).get().id }
            }
            return try await group.reduce(into: Set<Int64>()) { $0.insert($1) }
        }
        let claimed = try await store.claimDeliveries(channel: .webhook, now: Date.distantFuture, lease: 60, limit: 100)
        #expect(Set(claimed.map(\.commentID)) == ids)
        #expect(Set(claimed.map(\.messageID)).count == 40)
    }

    @Test(arguments: StoreEngine.allCases)
    func aClaimedDeliveryIsNotTakenAgainUntilItsLeaseEnds(engine: StoreEngine) async throws {
        let open = try await engine.makeStore()
        let store = open.store
        _ = try await store.submit(.sample(), rules: Self.holdingAndTelling).get()
        let now = open.clock.now()
        #expect(try await store.claimDeliveries(channel: .webhook, now: now, lease: 120, limit: 10).count == 1)
        let other = try await open.second()
        #expect(
            try await other.claimDeliveries(channel: .webhook, now: now, lease: 120, limit: 10).isEmpty, "not by another process either")
        #expect(try await store.nextDeliveryDue(channel: .webhook) == now.addingTimeInterval(120))
        // The process that took it died: once the lease is over it is due again, as attempt 2.
        let again = try await other.claimDeliveries(channel: .webhook, now: now.addingTimeInterval(121), lease: 120, limit: 10)
        #expect(again.map(\.attempt) == [2])
    }

    @Test(arguments: StoreEngine.allCases)
    func attemptsAreSettledAsRetryDeliveredOrFailed(engine: StoreEngine) async throws {
        let open = try await engine.makeStore()
        let store = open.store
        let first = try await store.submit(.sample("one"), rules: Self.holdingAndTelling).get()
        let second = try await store.submit(.sample("two", email: "e2"), rules: Self.holdingAndTelling).get()
        let now = open.clock.now()
        let claimed = try await store.claimDeliveries(channel: .webhook, now: now, lease: 60, limit: 10)
        #expect(claimed.map(\.commentID) == [first.id, second.id], "oldest first")

        try await store.settleDelivery(
            eventID: claimed[0].eventID, channel: .webhook, outcome: .retry(next: now.addingTimeInterval(2), reason: "HTTP 500"))
        try await store.settleDelivery(eventID: claimed[1].eventID, channel: .webhook, outcome: .failed(at: now, reason: "out of attempts"))
        #expect(try await store.nextDeliveryDue(channel: .webhook) == now.addingTimeInterval(2))
        #expect(try await store.claimDeliveries(channel: .webhook, now: now.addingTimeInterval(1), lease: 60, limit: 10).isEmpty)
        let retried = try await store.claimDeliveries(channel: .webhook, now: now.addingTimeInterval(2), lease: 60, limit: 10)
        #expect(retried.map(\.attempt) == [2])
        #expect(retried.first?.messageID == claimed[0].messageID, "the same id on every attempt")

        let open1 = try await store.undeliveredDeliveries(limit: 10).filter { $0.channel == .webhook }
        #expect(open1.map(\.commentID) == [second.id, first.id], "newest first")
        #expect(open1.map(\.state) == [.failed, .pending])
        #expect(open1.map(\.lastError) == ["out of attempts", "HTTP 500"])
        #expect(open1.map(\.attempts) == [1, 2])

        let deliveredAt = now.addingTimeInterval(3)
        try await store.settleDelivery(eventID: claimed[0].eventID, channel: .webhook, outcome: .delivered(at: deliveredAt))
        try await store.settleDelivery(
            eventID: claimed[0].eventID, channel: .webhook, outcome: .retry(next: now, reason: "late report of an older attempt"))
        #expect(
            try await store.deliverySummary()[.webhook]
                == DeliverySummary(pending: 0, delivered: 1, failed: 1, lastDeliveredAt: deliveredAt), "a settled delivery stays settled")
        #expect(try await store.nextDeliveryDue(channel: .webhook) == nil)
        #expect(try await store.deliverySummary()[.email]?.pending == 2, "each channel on its own")
    }

    @Test(arguments: StoreEngine.allCases)
    func aCommentDeletedBeforeDeliveryTakesItsNotificationsWithIt(engine: StoreEngine) async throws {
        let store = try await engine.makeStore().store
        let doomed = try await store.submit(.sample("doomed", email: "gone"), rules: Self.holdingAndTelling).get()
        let kept = try await store.submit(.sample("kept", email: "stays"), rules: Self.holdingAndTelling).get()
        #expect(try await store.forgetEmail(hash: "gone", actor: "cli:ana") == 1)
        let claimed = try await store.claimDeliveries(channel: .email, now: Date.distantFuture, lease: 60, limit: 10)
        #expect(claimed.map(\.commentID) == [kept.id])
        #expect(try await store.undeliveredDeliveries(limit: 10).allSatisfy { $0.commentID != doomed.id })
    }

    @Test(arguments: StoreEngine.allCases)
    func pruningForgetsFinishedDeliveriesAndExpiredLinks(engine: StoreEngine) async throws {
        let open = try await engine.makeStore()
        let store = open.store
        let comment = try await store.submit(.sample(), rules: Self.holdingAndTelling).get()
        let now = open.clock.now()
        let webhook = try await store.claimDeliveries(channel: .webhook, now: now, lease: 60, limit: 1)[0]
        try await store.settleDelivery(eventID: webhook.eventID, channel: .webhook, outcome: .delivered(at: now))
        let link = ActionLink(commentID: comment.id, action: .spam, status: .pending, expiresAt: now.addingTimeInterval(10), eventID: 1)
        _ = try await store.redeemActionLink(link, id: "used-link", actor: "link")

        #expect(try await store.pruneNotifications(finishedBefore: now, linksExpiredBefore: now) == 0, "nothing is old enough")
        #expect(try await store.pruneNotifications(finishedBefore: now.addingTimeInterval(1), linksExpiredBefore: now) == 1)
        #expect(try await store.deliverySummary()[.webhook] == DeliverySummary())
        #expect(try await store.deliverySummary()[.email]?.pending == 1, "pending deliveries and their event stay")
        #expect(try await store.isActionLinkUsed("used-link"))
        #expect(try await store.pruneNotifications(finishedBefore: now, linksExpiredBefore: now.addingTimeInterval(11)) == 1)
        #expect(try await store.isActionLinkUsed("used-link") == false)
    }

    @Test(arguments: StoreEngine.allCases)
    func aLinkActsOnceAndOnlyFromTheStatusItWasMadeFor(engine: StoreEngine) async throws {
        let open = try await engine.makeStore()
        let store = open.store
        let comment = try await store.submit(.sample(), rules: .holding).get()
        let expiry = open.clock.now().addingTimeInterval(3600)
        let approve = ActionLink(commentID: comment.id, action: .approve, status: .pending, expiresAt: expiry, eventID: 1)
        let trash = ActionLink(commentID: comment.id, action: .trash, status: .pending, expiresAt: expiry, eventID: 1)

        #expect(try await store.isActionLinkUsed("approve-link") == false)
        open.clock.advance(by: 5)
        guard case .acted(let acted) = try await store.redeemActionLink(approve, id: "approve-link", actor: "link") else {
            Issue.record("the first use acts")
            return
        }
        #expect(acted.status == .approved && acted.moderatedAt == open.clock.now())
        #expect(try await store.isActionLinkUsed("approve-link"))
        #expect(try await store.redeemActionLink(approve, id: "approve-link", actor: "link") == .alreadyUsed)
        #expect(try await store.redeemActionLink(trash, id: "trash-link", actor: "link") == .statusChanged(acted))
        #expect(try await store.comment(id: comment.id)?.status == .approved)
        let history = try await store.history(of: comment.id)
        #expect(history.map(\.action) == ["approve"])
        #expect(history.map(\.actor) == ["link"])
        #expect(try await store.publicationChanges(since: 0).posts["/p/"] != nil, "publishing by link updates the public pages")

        let missing = ActionLink(commentID: 999, action: .spam, status: .pending, expiresAt: expiry, eventID: 1)
        #expect(try await store.redeemActionLink(missing, id: "missing-link", actor: "link") == .noComment)
        #expect(try await store.isActionLinkUsed("missing-link") == false, "a link that did nothing is not used up")
    }

    @Test(arguments: StoreEngine.allCases)
    func anotherProcessSeesTheOutboxAndTheUsedLinks(engine: StoreEngine) async throws {
        let open = try await engine.makeStore()
        let comment = try await open.store.submit(.sample(), rules: Self.holdingAndTelling).get()
        let link = ActionLink(commentID: comment.id, action: .spam, status: .pending, expiresAt: Date.distantFuture, eventID: 1)
        _ = try await open.store.redeemActionLink(link, id: "l1", actor: "link")
        let other = try await open.second()
        #expect(try await other.deliverySummary()[.email]?.pending == 1)
        #expect(try await other.isActionLinkUsed("l1"))
        #expect(try await other.redeemActionLink(link, id: "l1", actor: "link") == .alreadyUsed)
    }
}
