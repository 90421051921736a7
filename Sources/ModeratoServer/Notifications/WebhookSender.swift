import AsyncHTTPClient
import Foundation
import ModeratoCore
import NIOCore
import NIOHTTP1

/// Sends notifications to `notify.webhook.url`, the Standard Webhooks way: a `POST` signed with
/// the install's webhook secret (`webhook-id`, `webhook-timestamp`, `webhook-signature`), or
/// `{"text": …}` for chat (`format: slack`, signed all the same). 2xx is delivered; anything
/// else, and no full answer within 10 seconds, is a failed attempt.
struct WebhookSender: Sendable {
    let url: String
    let secret: WebhookSecret
    let format: ModeratoConfiguration.Notify.WebhookFormat
    let siteName: String
    /// The chat text's words, in the site's language.
    let texts: NotificationTexts
    let client: HTTPClient
    var timeout: Duration = .seconds(10)

    /// A client for webhooks: redirects are not followed (a `POST` must reach the configured URL
    /// or fail), nothing waits longer than the attempt may last, and a refused connection fails the
    /// attempt at once — the outbox retries, with its own backoff, durably.
    static func makeClient() -> HTTPClient {
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow, timeout: .init(connect: .seconds(10), read: .seconds(10)))
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// The request body for `content`.
    func body(for content: NotificationContent) throws -> [UInt8] {
        switch format {
        case .standard:
            return Array(try JSONEncoder.moderato.encode(StandardWebhookPayload(content)))
        case .slack:
            return Array(try JSONEncoder.moderato.encode(["text": texts.chat(content, siteName: siteName)]))
        }
    }

    /// One attempt: `messageID` is the event's (the same on every retry), `now` the attempt's time.
    func send(_ content: NotificationContent, messageID: String, now: Date) async -> DeliveryAttempt {
        let body: [UInt8]
        do {
            body = try self.body(for: content)
        } catch {
            return .failed(reason: "the notification could not be encoded")
        }
        let timestamp = Int(now.timeIntervalSince1970)
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "Moderato")
        request.headers.add(name: "webhook-id", value: messageID)
        request.headers.add(name: "webhook-timestamp", value: String(timestamp))
        request.headers.add(name: "webhook-signature", value: secret.signature(messageID: messageID, timestamp: timestamp, body: body))
        request.body = .bytes(ByteBuffer(bytes: body))
        let prepared = request
        let client = self.client
        let timeout = self.timeout
        // The whole exchange, answer included, within the timeout: the client's own deadline
        // covers the head; the race covers an answer that starts and then stalls.
        return await withTaskGroup(of: DeliveryAttempt?.self) { group in
            group.addTask {
                do {
                    let response = try await client.execute(prepared, timeout: .seconds(Int64(timeout.components.seconds)))
                    _ = try? await response.body.collect(upTo: 64 * 1024)
                    let status = Int(response.status.code)
                    return (200..<300).contains(status) ? .delivered("HTTP \(status)") : .failed(reason: "HTTP \(status)")
                } catch {
                    return .failed(reason: Self.reason(for: error, timeout: timeout))
                }
            }
            group.addTask {
                try? await Task.sleep(for: timeout + .seconds(1))
                return Task.isCancelled ? nil : .failed(reason: "no answer within \(timeout.components.seconds) s")
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first ?? .failed(reason: "interrupted")
        }
    }

    /// A short reason for the log: the kind of failure, never anything from the notification.
    static func reason(for error: any Error, timeout: Duration) -> String {
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout, .connectTimeout:
                return "no answer within \(timeout.components.seconds) s"
            case .remoteConnectionClosed:
                return "the endpoint closed the connection without an answer"
            case .cancelled:
                return "interrupted"
            default:
                return "HTTP client: \(error)"
            }
        }
        if error is HTTPParserError {
            return "the endpoint's answer is not HTTP"
        }
        if error is CancellationError { return "interrupted" }
        let text = String(describing: error)
        if text.contains("connection refused") || text.contains("Connection refused") { return "connection refused" }
        return String(text.prefix(200))
    }
}

/// The Standard Webhooks body: `{"type", "timestamp", "data": {"comment", "post_url", "actions"}}`,
/// the comment being the moderator's object without its hashes.
struct StandardWebhookPayload: Encodable {
    let content: NotificationContent

    init(_ content: NotificationContent) {
        self.content = content
    }

    enum CodingKeys: String, CodingKey { case type, timestamp, data }
    enum DataKeys: String, CodingKey {
        case comment, actions
        case postURL = "post_url"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(content.type, forKey: .type)
        try container.encode(RFC3339.string(from: content.eventCreatedAt), forKey: .timestamp)
        var data = container.nestedContainer(keyedBy: DataKeys.self, forKey: .data)
        try data.encode(ModerationComment(content.comment, avatar: content.avatar, includesHashes: false), forKey: .comment)
        try data.encode(content.postURL, forKey: .postURL)
        try data.encode(
            Dictionary(uniqueKeysWithValues: content.actions.map { ($0.action.rawValue, $0.url) }), forKey: .actions)
    }
}
