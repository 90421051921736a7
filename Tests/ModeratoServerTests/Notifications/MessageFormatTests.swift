import Foundation
import ModeratoCore
import Testing

@testable import ModeratoServer

/// What goes over the wire, byte by byte: the Standard Webhooks signature and body, and the mail's
/// headers and body encoding.
@Suite("Notifications: message formats")
struct MessageFormatTests {
    static let at = Date(timeIntervalSince1970: 1_764_000_000)
    static let comment = ModeratoCore.Comment(
        id: 42, post: "/2025/11/peace-talks/", parent: nil, status: .pending, author: "山田 花子", url: "https://hanako.example.jp/",
        emailHash: "secret-email-hash", ipHash: "secret-ip-hash", body: "Line one\nLine two with <tags> & \"quotes\"", createdAt: at,
        updatedAt: at, moderatedAt: nil)

    func content() throws -> NotificationContent {
        let composer = NotificationComposer(
            configuration: ModeratoConfiguration.defaults, keyring: try Keyring(secret: Array(repeating: 3, count: 32)))
        return composer.content(eventID: 9, status: .pending, createdAt: Self.at, comment: Self.comment)
    }

    @Test func theSignatureIsStandardWebhooks() throws {
        // The test vector of the Standard Webhooks specification's reference libraries.
        let secret = try #require(WebhookSecret(text: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))
        #expect(
            secret.signature(
                messageID: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1_614_265_330, body: Array(#"{"test": 2432232314}"#.utf8))
                == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
        #expect(WebhookSecret(text: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\n") == secret, "a trailing newline is fine")
        #expect(WebhookSecret(text: "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw") == nil, "the prefix is required")
        #expect(WebhookSecret(text: "whsec_c2hvcnQ=") == nil, "too short a key")
        #expect(WebhookSecret(text: secret.text) == secret)
    }

    @Test func theStandardBodyCarriesTheModerationObjectWithoutHashes() throws {
        let body = try JSONEncoder.moderato.encode(StandardWebhookPayload(try content()))
        let object = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
        #expect(object["type"] as? String == "comment.pending")
        #expect(object["timestamp"] as? String == "2025-11-24T16:00:00Z")
        let data = try #require(object["data"] as? [String: Any])
        #expect(data["post_url"] as? String == "http://127.0.0.1:8080/2025/11/peace-talks/")
        let actions = try #require(data["actions"] as? [String: String])
        #expect(Set(actions.keys) == ["approve", "spam", "trash"])
        #expect(actions.values.allSatisfy { $0.hasPrefix("http://127.0.0.1:8080/moderation/act/") })
        let comment = try #require(data["comment"] as? [String: Any])
        #expect(comment["id"] as? Int == 42)
        #expect(comment["status"] as? String == "pending")
        #expect(comment["body"] as? String == Self.comment.body)
        #expect((comment["author"] as? [String: Any])?["name"] as? String == "山田 花子")
        #expect(comment["email_hash"] == nil && comment["ip_hash"] == nil)
        #expect(!String(decoding: body, as: UTF8.self).contains("secret-"), "no hash anywhere")
    }

    @Test func theMailHeadersAreRFC5322AndRFC2047() throws {
        let mail = MailChannel(
            configuration: {
                var configuration = ModeratoConfiguration.defaults
                configuration.notify.emailTo = ["ana@example.org", "ben@example.org"]
                configuration.notify.emailFrom = "moderato@example.org"
                return configuration
            }())
        let message = mail.message(for: try content(), messageID: "msg_abc", now: Self.at)
        let rendered = message.rendered
        let head = rendered.components(separatedBy: "\n\n")[0]
        #expect(head.contains("From: Moderato <moderato@example.org>\n"))
        #expect(head.contains("To: ana@example.org, ben@example.org\n"))
        #expect(head.contains("Date: Mon, 24 Nov 2025 16:00:00 +0000\n"))
        #expect(head.contains("Message-ID: <msg_abc@127.0.0.1>\n"))
        #expect(head.contains("Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n"))
        #expect(head.contains("Subject: =?UTF-8?B?"), "not ASCII: encoded words")
        for line in rendered.split(separator: "\n", omittingEmptySubsequences: false) {
            #expect(line.utf8.count <= 76, "\(line)")
            #expect(line.unicodeScalars.allSatisfy { $0.isASCII }, "the message is ASCII on the wire: \(line)")
        }
        #expect(MailHeader.unstructured("Plain subject", nameLength: 7) == "Plain subject")
        let long = MailHeader.unstructured(String(repeating: "word ", count: 30) + "end", nameLength: 7)
        #expect(long.hasPrefix("word word") && long.contains("\n "), "a long ASCII subject is folded at spaces")
        #expect(long.split(separator: "\n").allSatisfy { $0.utf8.count <= 76 - 9 || $0.hasPrefix(" ") })
        #expect(long.replacingOccurrences(of: "\n", with: "") == String(repeating: "word ", count: 30) + "end", "unfolds to the text")
        #expect(MailHeader.mailbox(name: "Blog, the", address: "a@example.org").hasPrefix("=?UTF-8?B?"), "a comma needs encoding")
    }

    @Test func quotedPrintableKeepsEveryLineShortAndDecodesBack() {
        let text = String(repeating: "あ", count: 200) + "\nend with space \n= sign\n" + String(repeating: "x", count: 300)
        let encoded = QuotedPrintable.encode(text)
        #expect(encoded.split(separator: "\n").allSatisfy { $0.utf8.count <= 76 })
        #expect(encoded.contains("end with space=20\n"), "a trailing space is encoded")
        #expect(encoded.contains("=3D sign"))
        // Decode it back by the rules (soft breaks, =XX) and compare.
        var bytes: [UInt8] = []
        var characters = Array(encoded.utf8)[...]
        while let byte = characters.popFirst() {
            guard byte == UInt8(ascii: "=") else {
                bytes.append(byte)
                continue
            }
            if characters.first == UInt8(ascii: "\n") {
                characters.removeFirst()
                continue
            }
            let hex = String(decoding: characters.prefix(2), as: UTF8.self)
            characters.removeFirst(2)
            bytes.append(UInt8(hex, radix: 16)!)
        }
        #expect(String(decoding: bytes, as: UTF8.self) == text)
    }

    @Test func theMailSaysWhatTheModeratorNeedsAndNoMore() throws {
        let content = try content()
        let texts = NotificationTexts(Localization.standard.localizer())
        let body = texts.body(content, publicURL: "http://127.0.0.1:8080")
        #expect(body.contains("A new comment is awaiting your moderation."))
        #expect(body.contains("Post:     http://127.0.0.1:8080/2025/11/peace-talks/"))
        #expect(body.contains("Author:   山田 花子"))
        #expect(body.contains("Website:  https://hanako.example.jp/"))
        #expect(body.contains("  Line one\n  Line two with <tags> & \"quotes\""))
        for (_, url) in content.actions { #expect(body.contains(url)) }
        #expect(!body.contains("secret-"))
        let chat = texts.chat(content, siteName: "Moderato")
        #expect(chat.contains("&lt;tags&gt; &amp;"), "Slack's control characters escaped")
        for (_, url) in content.actions { #expect(chat.contains(url)) }
    }

    @Test func aJapaneseSiteGetsItsMailInJapanese() throws {
        let content = try content()
        let texts = NotificationTexts(Localization(siteLanguage: "ja", timeZone: TimeZone(identifier: "Asia/Tokyo")!).localizer())
        let body = texts.body(content, publicURL: "http://127.0.0.1:8080")
        #expect(body.contains("新しいコメントが承認を待っています。"))
        #expect(body.contains("記事:    http://127.0.0.1:8080/2025/11/peace-talks/"), "labels padded by terminal cells")
        #expect(body.contains("年") && body.contains("月"), "dates as Japanese readers write them")
        #expect(texts.subject(content, siteName: "ブログ").hasPrefix("[ブログ] 承認待ちのコメント"))
        for (_, url) in content.actions { #expect(body.contains(url)) }
    }
}
