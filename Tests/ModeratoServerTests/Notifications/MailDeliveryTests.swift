import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ModeratoCore
import ModeratoStore
import Testing

@testable import ModeratoServer

/// Mail through a sendmail-compatible program (issue 15): what the moderator receives, retries
/// when the program fails or is missing, and digests.
@Suite("Notifications: mail through sendmail")
struct MailDeliveryTests {
    func environment(sendmail: String, digest: Int = 0) -> TestEnvironment {
        TestEnvironment {
            $0.notify.emailTo = ["moderator@example.org"]
            $0.notify.emailFrom = "moderato@example.org"
            $0.notify.sendmail = sendmail
            $0.notify.digestMinutes = digest
            $0.site.url = "https://blog.example.org"
            $0.server.publicURL = "https://comments.example.org"
        }
    }

    @Test func aHeldCommentIsMailedWithWhatTheModeratorNeedsAndNoAddress() async throws {
        let folder = NSTemporaryDirectory() + "moderato-mail-" + UUID().uuidString
        let sendmail = try FakeSendmail(in: folder)
        let env = environment(sendmail: sendmail.path)
        let body = "日本語のコメントです。" + String(repeating: "長い行", count: 60) + "\n\n<script>alert(1)</script> & more"
        try await env.run { client async throws in
            let response = try await client.postForm(
                commentForm(body: body, author: "山田花子", email: "hanako.private@example.jp").filter { $0.0 != "url" }
                    + [("url", "https://hanako.example.jp/")])
            #expect(response.status == .seeOther)
            #expect(await eventually(within: 10) { sendmail.runs >= 1 }, "mailed within seconds")

            #expect(sendmail.arguments(1) == ["-t", "-oi"])
            let raw = try #require(sendmail.message(1))
            for secret in ["hanako.private@example.jp", "hanako.private"] {
                #expect(!raw.contains(secret), "never the commenter's address")
            }
            let mail = try sendmail.parsed(1)
            #expect(mail.defects.isEmpty, "\(mail.defects)")
            #expect(mail.headers["From"] == "Moderato <moderato@example.org>")
            #expect(mail.headers["To"] == "moderator@example.org")
            #expect(mail.headers["Subject"] == "[Moderato] Comment awaiting moderation: 山田花子 on /2025/11/peace-talks/")
            #expect(mail.headers["Date"]?.hasSuffix("+0000") == true)
            #expect(
                mail.headers["Message-ID"]?.hasPrefix("<msg_") == true
                    && mail.headers["Message-ID"]?.hasSuffix("@comments.example.org>") == true)
            #expect(mail.contentType == "text/plain" && mail.charset == "utf-8")
            #expect(mail.longestLine <= 78, "SMTP-safe lines whatever the comment")
            #expect(mail.text.contains("Post:     https://blog.example.org/2025/11/peace-talks/"))
            #expect(mail.text.contains("Author:   山田花子"))
            #expect(mail.text.contains("Website:  https://hanako.example.jp/"))
            #expect(mail.text.contains("  日本語のコメントです。" + String(repeating: "長い行", count: 60)))
            #expect(mail.text.contains("  <script>alert(1)</script> & more"), "plain text, as written")
            let links = actionLinks(in: mail.text)
            #expect(Set(links.keys) == ["approve", "spam", "trash"])
            #expect(links.values.allSatisfy { $0.hasPrefix("https://comments.example.org/moderation/act/") })

            // The link in the mail works, here at the server's own address.
            let approve = try #require(links["approve"]).replacingOccurrences(of: "https://comments.example.org", with: "")
            #expect(try await client.execute(uri: approve, method: .get).status == .ok)
            #expect(try await client.execute(uri: approve, method: .post).status == .ok)
            let metrics = try await client.execute(uri: "/metrics", method: .get).text
            #expect(metrics.contains(#"moderato_notifications_total{channel="email",outcome="delivered"} 1"#))
            #expect(metrics.contains(#"moderato_notification_deliveries{channel="email",state="delivered"} 1"#))
        }
        let store = try await env.store()
        #expect(try await store.comment(id: 1)?.status == .approved)
        #expect(try await store.deliverySummary()[.email]?.delivered == 1)
        #expect(!env.log.text.contains("hanako"), "no personal data in the log")
        try? FileManager.default.removeItem(atPath: folder)
    }

    @Test func aFailingSendmailIsTriedAgainWithTheSameMessage() async throws {
        let folder = NSTemporaryDirectory() + "moderato-mail-" + UUID().uuidString
        let sendmail = try FakeSendmail(in: folder, failures: 1)
        let env = environment(sendmail: sendmail.path)
        try await env.run { client async throws in
            #expect(try await client.postJSON(commentJSON(body: "Retry me")).status == .created)
            #expect(await eventually(within: 15) { sendmail.runs >= 2 }, "tried again after about 2 s")
        }
        #expect(try sendmail.parsed(1).headers["Message-ID"] == (try sendmail.parsed(2).headers["Message-ID"]))
        #expect(env.log.text.contains("notification not delivered: sendmail exited with status 75; attempt 1 of 12, next in 2 s"))
        #expect(env.log.text.contains("notification delivered (sendmail exit 0)"))
        #expect(!env.log.text.contains("Retry me") && !env.log.text.contains("taro@example.org"))
        let summary = try await env.store().deliverySummary()[.email]
        #expect(summary?.delivered == 1 && summary?.pending == 0)
        try? FileManager.default.removeItem(atPath: folder)
    }

    @Test func aMissingSendmailLeavesTheNotificationWaiting() async throws {
        let env = environment(sendmail: "/nonexistent/sendmail")
        try await env.run { client async throws in
            #expect(try await client.postJSON(commentJSON()).status == .created)
            #expect(await eventually(within: 10) { env.log.text.contains("does not exist") })
        }
        #expect(
            env.log.text.contains(
                "notification not delivered: the sendmail program /nonexistent/sendmail does not exist or is not executable"))
        let waiting = try await env.store().undeliveredDeliveries(limit: 10)
        #expect(waiting.map(\.state) == [.pending])
        #expect(waiting.first?.attempts ?? 0 >= 1)
        #expect(waiting.first?.lastError?.contains("does not exist") == true)
    }

    @Test func aDigestListsEveryWaitingCommentInOneMailAndThenWaits() async throws {
        let folder = NSTemporaryDirectory() + "moderato-mail-" + UUID().uuidString
        let sendmail = try FakeSendmail(in: folder)
        let env = environment(sendmail: sendmail.path, digest: 10)
        // Written before the server starts, the way the server itself writes them.
        let store = try await env.store()
        let rules = SubmissionRules(policy: ModerationPolicy(mode: .all), notifications: env.configuration.notify.plan)
        for index in 1...3 {
            _ = try await store.submit(
                CommentDraft(
                    post: PostKey(validating: "/p/\(index)/")!, parent: nil, author: "Reader \(index)", url: nil, body: "Comment \(index)",
                    emailHash: "e\(index)", ipHash: nil),
                rules: rules
            ).get()
        }
        try await env.run { client async throws in
            #expect(await eventually(within: 10) { sendmail.runs >= 1 })
            #expect(try await client.postJSON(commentJSON(body: "A fourth, after the digest")).status == .created)
            try await Task.sleep(for: .seconds(3))
        }
        #expect(sendmail.runs == 1, "at most one mail per digest_minutes")
        let digest = try sendmail.parsed(1)
        #expect(digest.headers["Subject"] == "[Moderato] New comments to look at: 3")
        for index in 1...3 {
            #expect(digest.text.contains("Author:   Reader \(index)") && digest.text.contains("  Comment \(index)"))
        }
        #expect(actionLinks(in: digest.text).isEmpty == false)
        let summary = try await env.store().deliverySummary()[.email]
        #expect(summary?.delivered == 3 && summary?.pending == 1, "the fourth waits for the next digest")
        try? FileManager.default.removeItem(atPath: folder)
    }
}
