import Foundation
import Testing

/// Issue 15 with the real binary and real peers on loopback: a webhook endpoint that verifies
/// signatures with the reference Standard Webhooks library, and mail through Debian's msmtp to a
/// real SMTP server. The server's retries, restarts and faults, and `moderato notify`.
@Suite("Notifications, end to end")
struct NotifyCommandTests {
    /// The webhook secret the server makes in its data folder (`notify.webhook.secret_file`'s default).
    func secretFile(_ folder: WorkingFolder) -> String { folder.path + "/data/webhook.secret" }

    func json(_ output: CommandRunner.Output) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any], "\(output.stderr)")
    }

    @Test func deliveriesAreSignedRetriedAndSurviveTheEndpointGoingAwayAcrossARestart() throws {
        let folder = WorkingFolder()
        let serverLog = folder.path + "/server.log"
        var receiver = try WebhookReceiver(folder: folder.path, secretFile: secretFile(folder), failFirst: 1)
        let port = receiver.port
        let environment = ["MODERATO_NOTIFY_WEBHOOK_URL": receiver.url, "MODERATO_SERVER_PUBLIC_URL": "https://comments.example.org"]
        var server = try ServerProcess(folder: folder, environment: environment, logFile: serverLog)

        let started = Date()
        let reply = try server.submit(body: "Please look at this, 8c2e", author: "Ana", email: "ana.private@example.org", post: "/p/")
        #expect(reply.status == 201)
        #expect(Date().timeIntervalSince(started) < 3, "the submission does not wait for the webhook (its timeout is 10 s)")
        let id = try #require((try reply.json() as? [String: Any])?["id"] as? Int)

        // Attempt 1: the endpoint answers 500.
        #expect(eventually(within: 10) { receiver.received.count == 1 })
        // The endpoint goes away: attempt 2 finds nobody.
        receiver.stop()
        #expect(eventually(within: 10) { server.logText.contains("connection refused; attempt 2 of 12") }, "\(server.logText)")
        // The server restarts while it is away, and the endpoint comes back on the same address.
        #expect(server.stop() == 0)
        server = try ServerProcess(folder: folder, environment: environment, logFile: serverLog)
        receiver = try WebhookReceiver(folder: folder.path, secretFile: secretFile(folder), port: port)
        #expect(eventually(within: 15) { receiver.received.count == 2 }, "the restarted server resumes: \(server.logText)")

        let received = receiver.received
        #expect(received.map { $0["verified"] as? Bool } == [true, true], "\(received.map { $0["error"] ?? "" })")
        #expect(received.map { $0["answer"] as? Int } == [500, 204])
        let ids = received.compactMap { ($0["headers"] as? [String: String])?["webhook-id"] }
        #expect(ids.count == 2 && ids[0] == ids[1] && ids[0].hasPrefix("msg_"), "the same webhook-id on every attempt")
        let payload = try #require(received.last?["payload"] as? [String: Any])
        #expect(payload["type"] as? String == "comment.pending")
        let data = try #require(payload["data"] as? [String: Any])
        let comment = try #require(data["comment"] as? [String: Any])
        #expect(comment["id"] as? Int == id && comment["status"] as? String == "pending")
        #expect(comment["body"] as? String == "Please look at this, 8c2e")
        #expect(comment["email_hash"] == nil && comment["ip_hash"] == nil)
        #expect((comment["reason"] as? [String: Any])?["code"] as? String == "first_time", "the payload says why it was held")
        #expect(data["post_url"] as? String == "http://127.0.0.1:8080/p/")
        let actions = try #require(data["actions"] as? [String: String])
        #expect(Set(actions.keys) == ["approve", "spam", "trash"])
        for entry in received {
            #expect(!(entry["body"] as? String ?? "").contains("ana.private"), "never the commenter's address")
        }

        var runner = folder.runner
        runner.environment = environment  // the CLI reads the same configuration as the server
        let status = try json(runner.run("notify", "status", "--format", "json"))
        let webhook = try #require((status["channels"] as? [String: [String: Any]])?["webhook"])
        #expect(webhook["configured"] as? Bool == true)
        #expect(webhook["delivered"] as? Int == 1 && webhook["pending"] as? Int == 0 && webhook["failed"] as? Int == 0)

        // The moderator opens "trash" from the notification, then decides with the CLI instead.
        let trash = try #require(actions["trash"]).replacingOccurrences(of: "https://comments.example.org", with: "")
        #expect(try server.request("GET", trash).status == 200)
        #expect(try folder.runner.run("comments", "show", String(id)).stdout.contains("Status:     pending"), "GET changed nothing")
        #expect(try folder.runner.run("comments", "spam", String(id)).status == 0)
        #expect(try server.request("GET", trash).status == 409)
        #expect(try server.request("POST", trash).status == 409)
        let shown = try folder.runner.run("comments", "show", String(id)).stdout
        #expect(shown.contains("Status:     spam") && shown.contains("spam  pending → spam  by cli:"), "\(shown)")
        #expect(!shown.contains("by link"))

        #expect(server.stop() == 0)
        for personal in ["ana.private@example.org", "Please look at this"] {
            #expect(!server.logText.contains(personal), "no personal data in the log")
        }
    }

    @Test func anEndpointThatNeverAnswersNeverSlowsASubmission() throws {
        let folder = WorkingFolder()
        let receiver = try WebhookReceiver(folder: folder.path, secretFile: secretFile(folder), mode: .hang)
        var runner = folder.runner
        runner.environment = ["MODERATO_NOTIFY_WEBHOOK_URL": receiver.url]
        let server = try ServerProcess(folder: folder, environment: runner.environment, logFile: folder.path + "/server.log")
        #expect(try server.submit(body: "the first", email: "first@example.org").status == 201)
        #expect(eventually(within: 10) { receiver.received.count == 1 }, "its delivery is hanging now")
        for index in 0..<5 {
            let started = Date()
            #expect(try server.submit(body: "comment \(index)", email: "r\(index)@example.org").status == 201)
            #expect(Date().timeIntervalSince(started) < 3, "a hanging endpoint (10 s timeout) does not hold up comment \(index)")
        }
        #expect(eventually(within: 20) { server.logText.contains("no answer within 10 s; attempt 1 of 12") }, "\(server.logText)")
        let status = try runner.run("notify", "status")
        #expect(status.status == 0)
        #expect(status.stdout.contains("webhook  yes"), "\(status.stdout)")
        #expect(status.stdout.contains("no answer within 10 s"))
        #expect(server.stop() == 0, "shutdown does not wait for the hanging endpoint")
        receiver.stop()
    }

    @Test func garbageAnswersAreRetriedUntilOutOfAttemptsAndTheEventIsKeptUntilThen() throws {
        let folder = WorkingFolder()
        let receiver = try WebhookReceiver(folder: folder.path, secretFile: secretFile(folder), mode: .garbage)
        let server = try ServerProcess(
            folder: folder,
            environment: ["MODERATO_NOTIFY_WEBHOOK_URL": receiver.url, "MODERATO_NOTIFY_WEBHOOK_MAX_ATTEMPTS": "2"],
            logFile: folder.path + "/server.log")
        #expect(try server.submit(body: "garbage test", email: "g@example.org").status == 201)
        #expect(eventually(within: 15) { server.logText.contains("given up after 2 attempts") }, "\(server.logText)")
        #expect(receiver.received.count == 2)
        let metrics = try server.request("GET", "/metrics").text
        #expect(metrics.contains(#"moderato_notifications_total{channel="webhook",outcome="retry"} 1"#))
        #expect(metrics.contains(#"moderato_notifications_total{channel="webhook",outcome="failed"} 1"#))
        #expect(metrics.contains(#"moderato_notification_deliveries{channel="webhook",state="failed"} 1"#))
        let status = try json(folder.runner.run("notify", "status", "--format", "json"))
        let undelivered = try #require(status["undelivered"] as? [[String: Any]])
        #expect(undelivered.first?["state"] as? String == "failed")
        #expect(undelivered.first?["attempts"] as? Int == 2)
        #expect((undelivered.first?["last_error"] as? String)?.contains("gave up after 2 attempts") == true)
        #expect(server.stop() == 0)
        receiver.stop()
    }

    @Test func anUnreachableEndpointIsWarnedAboutAtStartAndTheServerKeepsServing() throws {
        let folder = WorkingFolder()
        let nobody = try ServerProcess.freePort()
        let server = try ServerProcess(
            folder: folder, environment: ["MODERATO_NOTIFY_WEBHOOK_URL": "http://127.0.0.1:\(nobody)/hook"],
            logFile: folder.path + "/server.log")
        #expect(eventually(within: 10) { server.logText.contains("notify.webhook.url is not reachable now") }, "\(server.logText)")
        #expect(try server.submit(body: "still serving", email: "s@example.org").status == 201)
        #expect(eventually(within: 10) { server.logText.contains("notification not delivered: connection refused; attempt 1 of 12") })
        let status = try json(folder.runner.run("notify", "status", "--format", "json"))
        #expect((status["channels"] as? [String: [String: Any]])?["webhook"]?["pending"] as? Int == 1, "kept in the outbox")
        #expect(server.stop() == 0)
    }

    @Test func notifyTestSendsThroughEachChannelAndSaysWhich() throws {
        let folder = WorkingFolder()
        #expect(try folder.runner.run("migrate").status == 0)
        let none = try folder.runner.run("notify", "test")
        #expect(none.status == 1 && none.stderr.contains("no notification channel is configured"))

        let receiver = try WebhookReceiver(folder: folder.path, secretFile: secretFile(folder))
        let sendmail = folder.path + "/sendmail"
        try "#!/bin/sh\nprintf '%s ' \"$@\" > \"$(dirname \"$0\")/sendmail-args\"\ncat > \"$(dirname \"$0\")/sendmail-message\"\n"
            .write(toFile: sendmail, atomically: true, encoding: .utf8)
        chmod(sendmail, 0o755)
        var runner = folder.runner
        runner.environment = [
            "MODERATO_NOTIFY_WEBHOOK_URL": receiver.url, "MODERATO_NOTIFY_EMAIL_TO": "moderator@example.org",
            "MODERATO_NOTIFY_EMAIL_FROM": "moderato@example.org", "MODERATO_NOTIFY_EMAIL_SENDMAIL": sendmail,
        ]
        let sent = try runner.run("notify", "test")
        #expect(sent.status == 0, "\(sent.stderr)")
        #expect(sent.stdout.contains("webhook: delivered to \(receiver.url) (HTTP 204)"))
        #expect(sent.stdout.contains("email: delivered to \(sendmail) for 1 recipient (sendmail exit 0)"))
        let test = try #require(receiver.received.first)
        #expect(test["verified"] as? Bool == true, "signed with the secret notify test created")
        #expect((test["payload"] as? [String: Any])?["type"] as? String == "moderato.test")
        let message = try String(contentsOfFile: folder.path + "/sendmail-message", encoding: .utf8)
        #expect(message.contains("Subject: [Moderato] Test notification"))
        #expect(try String(contentsOfFile: folder.path + "/sendmail-args", encoding: .utf8) == "-t -oi ")

        try checkTheREADMEsVerification(of: test, folder: folder)

        receiver.stop()
        var failing = runner
        failing.environment["MODERATO_NOTIFY_EMAIL_SENDMAIL"] = "/bin/false"
        let failed = try failing.run("notify", "test")
        #expect(failed.status == 1)
        #expect(failed.stderr.contains("webhook: not delivered to \(receiver.url): connection refused"), "\(failed.stderr)")
        #expect(failed.stderr.contains("email: not delivered to /bin/false for 1 recipient: sendmail exited with status 1"))
    }

    /// The README's two ways to verify a signature by hand (Python, and a shell with openssl),
    /// run as written on a delivery the receiver got.
    func checkTheREADMEsVerification(of delivery: [String: Any], folder: WorkingFolder) throws {
        let readme = try String(contentsOfFile: NotificationPeers.root + "/README.md", encoding: .utf8)
        func block(after marker: String, language: String) throws -> String {
            let start = try #require(readme.range(of: marker), "README: \(marker)")
            let code = try #require(readme.range(of: "```\(language)\n", range: start.upperBound..<readme.endIndex))
            let end = try #require(readme.range(of: "```", range: code.upperBound..<readme.endIndex))
            return String(readme[code.upperBound..<end.lowerBound])
        }
        let headers = try #require(delivery["headers"] as? [String: String])
        let body = try #require(delivery["body"] as? String)
        try body.write(toFile: folder.path + "/body.json", atomically: true, encoding: .utf8)
        try String(decoding: JSONSerialization.data(withJSONObject: headers), as: UTF8.self)
            .write(toFile: folder.path + "/headers.json", atomically: true, encoding: .utf8)

        let python =
            try block(after: "By hand, in Python:", language: "python") + """
                import json
                secret = open("data/webhook.secret").read().strip()
                headers = json.load(open("headers.json"))
                body = open("body.json", "rb").read()
                print(verify(secret, headers, body), verify(secret, headers, body.replace(b"moderato.test", b"moderato.TEST")))

                """
        let checked = try run(["python3", "-c", python], in: folder)
        #expect(checked == "True False\n", "the README's Python verifies the real signature and refuses a changed body")

        let shell = try block(after: "or in a shell, with the body saved as `body.json`:", language: "sh")
        let signature = try run(
            ["bash", "-c", shell], in: folder,
            environment: ["WEBHOOK_ID": headers["webhook-id"] ?? "", "WEBHOOK_TIMESTAMP": headers["webhook-timestamp"] ?? ""])
        #expect("v1," + signature.trimmingCharacters(in: .whitespacesAndNewlines) == headers["webhook-signature"])
    }

    func run(_ arguments: [String], in folder: WorkingFolder, environment: [String: String] = [:]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: folder.path)
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    @Test func msmtpDeliversTheMailToARealSMTPServerAndTheLinkInItWorks() throws {
        guard let msmtp = ["/usr/bin/msmtp", "/usr/local/bin/msmtp"].first(where: FileManager.default.isExecutableFile(atPath:)) else {
            Issue.record("msmtp is not installed: apt-get install msmtp (.ci/run installs it)")
            return
        }
        let folder = WorkingFolder()
        let sink = try SMTPSink(folder: folder.path)
        // msmtp reads ~/.msmtprc; the server runs with a HOME of its own, as a service user would.
        let home = folder.path + "/home"
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        try """
        defaults
        auth off
        tls off
        account default
        host 127.0.0.1
        port \(sink.port)
        from moderato@example.org
        """.write(toFile: home + "/.msmtprc", atomically: true, encoding: .utf8)
        chmod(home + "/.msmtprc", 0o600)
        let server = try ServerProcess(
            folder: folder,
            environment: [
                "HOME": home, "MODERATO_NOTIFY_EMAIL_TO": "moderator@example.org", "MODERATO_NOTIFY_EMAIL_FROM": "moderato@example.org",
                "MODERATO_NOTIFY_EMAIL_SENDMAIL": msmtp, "MODERATO_SERVER_PUBLIC_URL": "https://comments.example.org",
                "MODERATO_SITE_NAME": "Café Blog",
            ],
            logFile: folder.path + "/server.log")
        let reply = try server.submit(
            body: "素晴らしい記事でした。\nThank you!", author: "Hanako 花子", email: "hanako.private@example.jp", post: "/2025/11/peace-talks/")
        #expect(reply.status == 201)
        #expect(eventually(within: 15) { sink.messages.count == 1 }, "\(server.logText)")

        let message = try #require(sink.messages.first)
        #expect(message["mail_from"] as? String == "moderato@example.org")
        #expect(message["rcpt_tos"] as? [String] == ["moderator@example.org"])
        let headers = try #require(message["headers"] as? [String: String])
        #expect(headers["Subject"] == "[Café Blog] Comment awaiting moderation: Hanako 花子 on /2025/11/peace-talks/")
        #expect(headers["From"] == "Café Blog <moderato@example.org>")
        #expect(headers["To"] == "moderator@example.org")
        #expect(headers["Date"] != nil && headers["Message-ID"]?.hasSuffix("@comments.example.org>") == true)
        #expect(message["content_type"] as? String == "text/plain" && message["charset"] as? String == "utf-8")
        let text = try #require(message["text"] as? String)
        #expect(text.contains("素晴らしい記事でした。") && text.contains("Author:   Hanako 花子"))
        #expect(text.contains("Post:     http://127.0.0.1:8080/2025/11/peace-talks/"))
        #expect(!sink.raw(1).contains("hanako.private"), "never the commenter's address")

        let links = text.split(whereSeparator: \.isNewline).filter { $0.hasPrefix("Approve:") }
        let approve = try #require(links.first?.split(separator: " ").last).replacingOccurrences(
            of: "https://comments.example.org", with: "")
        let page = try server.request("GET", approve)
        #expect(page.status == 200 && page.text.contains("Approve this comment?"))
        #expect(try server.request("POST", approve).status == 200)
        #expect(try server.request("POST", approve).status == 410, "once")
        #expect(try server.request("GET", "/comments?post=/2025/11/peace-talks/").text.contains("素晴らしい記事でした。"), "published")
        let id = try #require((try reply.json() as? [String: Any])?["id"] as? Int)
        #expect(try folder.runner.run("comments", "show", String(id)).stdout.contains("approve  pending → approved  by link"))
        #expect(server.stop() == 0)
        sink.stop()
    }
}
