import Foundation
import Hummingbird
import Logging
import ModeratoCore
import ModeratoStore

/// `POST /comments` and its WordPress alias `POST /wp-comments-post.php` (SPEC §3.1).
///
/// decode → validate → hash → store (facts, policy, insert in one transaction) → respond.
struct SubmissionController: Sendable {
    let store: any CommentSubmission
    let keyring: Keyring
    let validator: SubmissionValidator
    let decoder: SubmissionDecoder
    let rules: SubmissionRules
    /// `nil` when `limits.rate_per_minute` is 0 (off).
    let rateLimiter: (any SubmissionRateLimit)?
    let redirects: RedirectTarget
    let trustedProxies: [IPNetwork]
    let ipv6Prefix: Int
    let metrics: ServerMetrics
    let localization: Localization

    init(
        configuration: ModeratoConfiguration, store: any CommentSubmission, keyring: Keyring, rateLimiter: (any SubmissionRateLimit)?,
        metrics: ServerMetrics
    ) {
        self.metrics = metrics
        self.localization = Localization(configuration: configuration)
        self.rateLimiter = rateLimiter
        self.store = store
        self.keyring = keyring
        self.validator = SubmissionValidator(limits: configuration.limits.submission)
        self.decoder = SubmissionDecoder(
            maxBodyBytes: configuration.limits.requestBody, timeout: .seconds(configuration.server.requestTimeout)
        )
        self.rules = SubmissionRules(
            policy: configuration.moderation, maxDepth: configuration.maxDepth, floodSeconds: configuration.limits.floodSeconds,
            notifications: configuration.notify.plan
        )
        self.redirects = RedirectTarget(allowedOrigins: Set(configuration.site.origins), siteURL: configuration.site.url)
        self.trustedProxies = configuration.server.trustedProxies
        self.ipv6Prefix = configuration.limits.ipv6Prefix
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.post("/comments", use: submit)
        router.post("/wp-comments-post.php", use: submit)
    }

    @Sendable func submit(_ request: Request, context: AppRequestContext) async throws -> Response {
        var request = request
        var reply = SubmissionReply(request: request, keyring: keyring, localization: localization)
        let client = ClientAddress.resolve(
            peer: context.peerAddress, forwardedFor: request.headers[.xForwardedFor], trustedProxies: trustedProxies
        ).map { ClientAddress.identity(of: $0, ipv6Prefix: ipv6Prefix) }
        // Checked before the body is even read, so a flood costs as little as possible — except
        // that a person at a browser gets the text back, which needs the body.
        var rateLimited: Problem?
        if let rateLimiter, let client, let wait = await rateLimiter.admit(keyring.clientKey(ip: client)) {
            metrics.submission("rate_limited")
            let problem = SubmissionReply.tooMany(Message("problem.rate_limited.detail", ["seconds": String(wait)]), wait: wait)
            guard reply.isBrowser else { return reply.refused(problem) }
            rateLimited = problem
        }
        let decoded: DecodedSubmission
        do {
            decoded = try await decoder.decode(&request)
        } catch let problem as Problem {
            if rateLimited == nil { metrics.submission(Self.outcome(of: problem.status)) }
            return reply.refused(rateLimited ?? problem)
        }
        reply.decoded = decoded
        reply.back =
            redirects.allowed(decoded.redirectTo) ?? redirects.allowed(request.headers[.referer])
            ?? decoded.submission.post.flatMap(PostKey.init(validating:)).map(redirects.page(of:))
        if let rateLimited { return reply.refused(rateLimited) }

        let valid: ValidSubmission
        switch validator.validate(decoded.submission) {
        case .success(let submission) where decoded.typeErrors.isEmpty:
            valid = submission
        case .success:
            metrics.submission("rejected_invalid")
            return reply.invalid(decoded.typeErrors)
        case .failure(let errors):
            metrics.submission("rejected_invalid")
            return reply.invalid(
                decoded.typeErrors + errors.fields.filter { error in !decoded.typeErrors.contains { $0.field == error.field } })
        }

        let outcome: Result<Comment, SubmissionRefusal>
        do {
            outcome = try await store.submit(valid.draft(keyring: keyring, clientIP: client), rules: rules)
        } catch {
            context.logger.error("could not store a comment", metadata: ["error": "\(String(describing: type(of: error))): \(error)"])
            metrics.submission("error")
            return reply.refused(SubmissionReply.notStored)
        }
        metrics.submission(Self.outcome(of: outcome))
        switch outcome {
        case .success(let comment):
            // The store told the caches before returning: the page already shows a published comment.
            return reply.accepted(comment, page: redirects.page(of: valid.post))
        case .failure(let refusal):
            return reply.refused(refusal)
        }
    }

    /// The `outcome` label of `moderato_comments_submitted_total`.
    static func outcome(of result: Result<Comment, SubmissionRefusal>) -> String {
        switch result {
        case .success(let comment): comment.status.rawValue
        case .failure(.postClosed): "rejected_closed"
        case .failure(.parentNotFound): "rejected_parent"
        case .failure(.duplicate): "rejected_duplicate"
        case .failure(.flood): "flood"
        }
    }

    static func outcome(of status: HTTPResponse.Status) -> String {
        switch status {
        case .contentTooLarge: "rejected_too_large"
        case .unsupportedMediaType: "rejected_unsupported"
        case .requestTimeout: "rejected_slow"
        default: "rejected_malformed"
        }
    }
}
