import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ModeratoCore
import ModeratoStore
import Testing

@testable import ModeratoServer

/// One-click links (issue 15): GET shows and changes nothing, POST acts once, and every way a link
/// can be wrong is refused with its status and nothing done.
@Suite("Notifications: one-click links")
struct ActionLinkTests {
    /// An install with one held comment, and links to it signed with the install's own secret.
    struct Setup {
        let env = TestEnvironment()
        let comment: ModeratoCore.Comment
        let keyring: Keyring

        init(body: String = "Is <b>this</b> right?\n\nSecond paragraph.") async throws {
            let store = try await env.store()
            comment = try await store.submit(
                CommentDraft(
                    post: "/2025/11/peace-talks/", parent: nil, author: "Taro <Yamada>", url: "https://taro.example.org/", body: body,
                    emailHash: "e1", ipHash: nil), rules: SubmissionRules(policy: ModerationPolicy(mode: .all))
            ).get()
            keyring = try Keyring(secret: SecretKeyFile.load(path: env.configuration.secretKeyFile))
        }

        func path(_ action: ModerationAction, status: CommentStatus = .pending, expires: TimeInterval = 3600, id: Int64? = nil) -> String {
            let link = ActionLink(
                commentID: id ?? comment.id, action: action, status: status, expiresAt: Date().addingTimeInterval(expires), eventID: 7)
            return "/moderation/act/" + link.token(keyring: keyring)
        }

        func status() async throws -> CommentStatus? {
            try await env.store().comment(id: comment.id)?.status
        }

        func history() async throws -> [ModerationEntry] {
            try await env.store().history(of: comment.id)
        }
    }

    @Test func getShowsTheCommentAndAButtonAndChangesNothing() async throws {
        let setup = try await Setup()
        let path = setup.path(.approve)
        try await setup.env.run { client async throws in
            for _ in 0..<3 {  // a mail scanner, a link preview, the moderator
                let page = try await client.execute(uri: path, method: .get)
                #expect(page.status == .ok)
                #expect(page.headers[.contentType] == "text/html; charset=utf-8")
                #expect(page.headers[.cacheControl] == "no-store")
                #expect(page.headers[.setCookie] == nil)
                #expect(page.text.contains("Approve this comment?"))
                #expect(page.text.contains("<form method=\"post\">") && page.text.contains("<button type=\"submit\">Approve</button>"))
                #expect(page.text.contains("Taro &lt;Yamada&gt;"), "the author, escaped")
                #expect(page.text.contains("Is &lt;b&gt;this&lt;/b&gt; right?"), "the text, escaped")
                #expect(page.text.contains("http://127.0.0.1:8080/2025/11/peace-talks/"), "the post")
                #expect(page.text.contains("https://taro.example.org/"), "the website")
                #expect(!page.text.contains("e1"), "no hash")
            }
            let head = try await client.execute(uri: path, method: .head)
            #expect(head.status == .ok && head.body.readableBytes == 0)
        }
        #expect(try await setup.status() == .pending)
        #expect(try await setup.history().isEmpty)
    }

    @Test func postActsOnceAndTheAuditLogSaysLink() async throws {
        let setup = try await Setup()
        let approve = setup.path(.approve)
        try await setup.env.run { client async throws in
            let done = try await client.execute(uri: approve, method: .post)
            #expect(done.status == .ok)
            #expect(done.text.contains("Comment approved"))
            #expect(done.headers[.setCookie] == nil)
            #expect(try await setup.status() == .approved)

            let again = try await client.execute(uri: approve, method: .post)
            #expect(again.status == .gone)
            #expect(again.text.contains("This link has been used"))
            #expect(try await client.execute(uri: approve, method: .get).status == .gone, "GET of a used link says so too")

            // The other links of the same notification: the comment is no longer pending.
            let spam = try await client.execute(uri: setup.path(.spam), method: .post)
            #expect(spam.status == .conflict)
            #expect(spam.text.contains("It is published now"))

            let metrics = try await client.execute(uri: "/metrics", method: .get).text
            #expect(metrics.contains(#"moderato_moderation_actions_total{action="approve",source="link"} 1"#))
        }
        #expect(try await setup.status() == .approved)
        let history = try await setup.history()
        #expect(history.map(\.action) == ["approve"])
        #expect(history.map(\.actor) == ["link"])
        #expect(history.first?.fromStatus == .pending && history.first?.toStatus == .approved)
    }

    @Test func aDecisionTakenElsewhereMakesTheLink409() async throws {
        let setup = try await Setup()
        let trash = setup.path(.trash)
        _ = try await setup.env.store().moderate(id: setup.comment.id, action: .spam, actor: "cli:ana")
        try await setup.env.run { client async throws in
            for method in [HTTPRequest.Method.get, .post] {
                let response = try await client.execute(uri: trash, method: method)
                #expect(response.status == .conflict)
                #expect(response.text.contains("The comment was moderated since"))
                #expect(response.text.contains("It is spam now, and this link was made while it was awaiting moderation."))
            }
        }
        #expect(try await setup.status() == .spam)
        #expect(try await setup.history().map(\.actor) == ["cli:ana"])
    }

    @Test func anExpiredLinkIs410AndDoesNothing() async throws {
        let setup = try await Setup()
        let expired = setup.path(.approve, expires: -1)
        try await setup.env.run { client async throws in
            for method in [HTTPRequest.Method.get, .post] {
                let response = try await client.execute(uri: expired, method: method)
                #expect(response.status == .gone)
                #expect(response.text.contains("This link has expired"))
            }
        }
        #expect(try await setup.status() == .pending)
        #expect(try await setup.history().isEmpty)
    }

    @Test func forgedAndMalformedLinksAreRefused() async throws {
        let setup = try await Setup()
        let good = setup.path(.approve)
        let token = String(good.dropFirst("/moderation/act/".count))
        // One character of the signature changed.
        var characters = Array(token)
        characters[40] = characters[40] == "A" ? "B" : "A"
        let altered = String(characters)
        // The same binding signed by another install.
        let stranger = try Keyring(secret: Array(repeating: 9, count: 32))
        let foreign = ActionLink(commentID: setup.comment.id, action: .approve, status: .pending, expiresAt: .distantFuture, eventID: 1)
            .token(keyring: stranger)
        try await setup.env.run { client async throws in
            for forged in [altered, foreign] {
                for method in [HTTPRequest.Method.get, .post] {
                    let response = try await client.execute(uri: "/moderation/act/" + forged, method: method)
                    #expect(response.status == .forbidden)
                    #expect(response.text.contains("This link is not valid"))
                }
            }
            for malformed in ["abc", String(repeating: "A", count: 58), token + "A", String(token.dropLast()) + "~"] {
                for method in [HTTPRequest.Method.get, .post] {
                    let response = try await client.execute(uri: "/moderation/act/" + malformed, method: method)
                    #expect(response.status == .notFound, "\(malformed)")
                }
            }
        }
        #expect(try await setup.status() == .pending)
        #expect(try await setup.history().isEmpty)
    }

    @Test func aLinkToADeletedCommentIsGone() async throws {
        let setup = try await Setup()
        let approve = setup.path(.approve)
        _ = try await setup.env.store().delete(id: setup.comment.id, actor: "cli:ana")
        try await setup.env.run { client async throws in
            #expect(try await client.execute(uri: approve, method: .get).status == .gone)
            #expect(try await client.execute(uri: approve, method: .post).status == .gone)
        }
    }

    @Test func linksExpireAfterTheConfiguredTimeFromTheNotification() async throws {
        let env = TestEnvironment { $0.notify.linkTTL = 90 }
        let keyring = try Keyring(secret: SecretKeyFile.load(path: env.configuration.secretKeyFile))
        let composer = NotificationComposer(configuration: env.configuration, keyring: keyring)
        let at = Date(timeIntervalSince1970: 1_800_000_000)
        let comment = ModeratoCore.Comment(
            id: 5, post: "/p/", parent: nil, status: .pending, author: "A", url: nil, emailHash: "e", ipHash: nil, body: "b",
            createdAt: at, updatedAt: at, moderatedAt: nil)
        let content = composer.content(eventID: 3, status: .pending, createdAt: at, comment: comment)
        #expect(content.linksExpireAt == at.addingTimeInterval(90))
        #expect(content.actions.map(\.action) == [.approve, .spam, .trash])
        for (action, url) in content.actions {
            #expect(url.hasPrefix("http://127.0.0.1:8080/moderation/act/"))
            let (link, _) = try ActionLink.read(String(url.split(separator: "/").last!), keyring: keyring).get()
            #expect(link == ActionLink(commentID: 5, action: action, status: .pending, expiresAt: at.addingTimeInterval(90), eventID: 3))
        }
        #expect(
            content.actions.map(\.url)
                == composer.content(eventID: 3, status: .pending, createdAt: at, comment: comment).actions.map(\.url),
            "retries carry the same links")
    }
}
