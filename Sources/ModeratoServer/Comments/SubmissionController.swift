import Hummingbird
import Logging
import ModeratoCore
import ModeratoStore

import Foundation

/// `POST /comments` and its WordPress alias `POST /wp-comments-post.php` (SPEC §3.1).
///
/// decode → validate → hash → store (facts, policy, insert in one transaction) → respond.
struct SubmissionController: Sendable {
    let store: any CommentStore
    let keyring: Keyring
    let validator: SubmissionValidator
    let decoder: SubmissionDecoder
    let rules: SubmissionRules
    /// `nil` when `limits.rate_per_minute` is 0 (off).
    let rateLimiter: RateLimiter?
    let redirects: RedirectTarget
    let trustedProxies: [IPNetwork]
    let ipv6Prefix: Int
    let versions: PublicationVersions
    let metrics: ServerMetrics

    init(
        configuration: ModeratoConfiguration, store: any CommentStore, keyring: Keyring, versions: PublicationVersions,
        rateLimiter: RateLimiter?, metrics: ServerMetrics
    ) {
        self.versions = versions
        self.metrics = metrics
        self.rateLimiter = rateLimiter
        self.store = store
        self.keyring = keyring
        self.validator = SubmissionValidator(limits: configuration.limits.submission)
        self.decoder = SubmissionDecoder(
            maxBodyBytes: configuration.limits.requestBody, timeout: .seconds(configuration.server.requestTimeout)
        )
        self.rules = SubmissionRules(
            policy: configuration.moderation, maxDepth: configuration.maxDepth, floodSeconds: configuration.limits.floodSeconds
        )
        self.redirects = RedirectTarget(allowedOrigins: Set(configuration.site.origins), siteURL: configuration.site.url)
        self.trustedProxies = configuration.server.trustedProxies
        self.ipv6Prefix = configuration.limits.ipv6Prefix
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.post("/comments", use: submit)
        router.post("/wp-comments-post.php", use: submit)
    }

    /// How the client wants to be answered: a browser posting a form gets redirects and HTML pages,
    /// a script (JSON body, or asking for JSON) gets JSON.
    struct Answer {
        var wantsJSON: Bool
        /// A real browser (it lists text/html in Accept), which gets HTML even for errors other than 422.
        var isBrowser: Bool

        init(request: Request, isJSONBody: Bool) {
            let accept = (request.headers[.accept] ?? "").lowercased()
            isBrowser = !isJSONBody && accept.contains("text/html")
            wantsJSON = isJSONBody || (!isBrowser && (accept.contains("application/json") || accept.contains("+json")))
        }
    }

    @Sendable func submit(_ request: Request, context: AppRequestContext) async throws -> Response {
        var request = request
        let answer = Answer(request: request, isJSONBody: (try? SubmissionDecoder.format(of: request)) == .json)
        let client = ClientAddress.resolve(
            peer: context.peerAddress, forwardedFor: request.headers[.xForwardedFor], trustedProxies: trustedProxies
        ).map { ClientAddress.identity(of: $0, ipv6Prefix: ipv6Prefix) }
        // Checked before the body is even read, so a flood costs as little as possible — except
        // that a person at a browser gets the text back, which needs the body.
        var rateLimited: Problem?
        if let rateLimiter, let client, let wait = rateLimiter.admit(keyring.clientKey(ip: client)) {
            metrics.submission("rate_limited")
            rateLimited = Self.tooMany("You are posting comments too quickly; please wait \(wait) seconds and try again.", wait: wait)
            if let rateLimited, !answer.isBrowser { return refuse(rateLimited, answer: answer) }
        }
        let decoded: DecodedSubmission
        do {
            decoded = try await decoder.decode(&request)
        } catch let problem as Problem {
            if rateLimited == nil { metrics.submission(Self.outcome(of: problem.status)) }
            return refuse(rateLimited ?? problem, answer: answer)
        }
        let fallbackPage = decoded.submission.post.flatMap(PostKey.init(validating:)).map(redirects.page(of:))
        let back = redirects.allowed(decoded.redirectTo) ?? redirects.allowed(request.headers[.referer]) ?? fallbackPage
        if let rateLimited { return refuse(rateLimited, answer: answer, decoded: decoded, back: back) }

        let valid: ValidSubmission
        switch validator.validate(decoded.submission) {
        case .success(let submission) where decoded.typeErrors.isEmpty:
            valid = submission
        case .success:
            metrics.submission("rejected_invalid")
            return invalid(decoded.typeErrors, decoded: decoded, answer: answer, back: back)
        case .failure(let errors):
            metrics.submission("rejected_invalid")
            return invalid(decoded.typeErrors + errors.fields.filter { error in !decoded.typeErrors.contains { $0.field == error.field } },
                           decoded: decoded, answer: answer, back: back)
        }

        let draft = valid.draft(keyring: keyring, clientIP: client)
        let outcome: Result<Comment, SubmissionRefusal>
        do {
            outcome = try await store.submit(draft, rules: rules)
        } catch {
            context.logger.error("could not store a comment", metadata: ["error": "\(String(describing: type(of: error))): \(error)"])
            metrics.submission("error")
            var problem = Problem(.serviceUnavailable, detail: "The comment could not be saved just now; please try again in a moment. Nothing was stored.")
            problem.headers[.retryAfter] = "1"
            return refuse(problem, answer: answer, decoded: decoded, back: back)
        }

        metrics.submission(Self.outcome(of: outcome))
        switch outcome {
        case .success(let comment):
            if comment.status == .approved {
                // The author is sent straight back to the page: it must already show the comment.
                await versions.refresh()
            }
            return accepted(comment, answer: answer, back: back ?? redirects.page(of: PostKey(stored: comment.post)))
        case .failure(.postClosed):
            return refuse(Problem(.forbidden, title: "Comments are closed", detail: "Comments are closed for this article."), answer: answer, decoded: decoded, back: back)
        case .failure(.parentNotFound):
            let error = FieldError(field: "parent", message: "The comment you are replying to does not exist or is not published.")
            return invalid([error], decoded: decoded, answer: answer, back: back)
        case .failure(.duplicate):
            return refuse(Problem(.conflict, title: "Duplicate comment", detail: "This comment has already been posted; it looks as though you've already said that."), answer: answer, decoded: decoded, back: back)
        case .failure(.flood(let wait)):
            return refuse(Self.tooMany("You are posting comments too quickly; please wait \(wait) seconds before the next one.", wait: wait), answer: answer, decoded: decoded, back: back)
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

    static func tooMany(_ detail: String, wait: Int) -> Problem {
        var problem = Problem(.tooManyRequests, title: "Slow down", detail: detail)
        problem.headers[.retryAfter] = String(wait)
        return problem
    }

    /// 201 with the comment for scripts, 303 back to the page for browsers. A comment stored as spam
    /// is answered exactly like a held one, so a bot learns nothing.
    func accepted(_ comment: Comment, answer: Answer, back: String) -> Response {
        let published = comment.status == .approved
        if answer.wantsJSON {
            let body = PublicComment(comment, keyring: keyring, status: published ? "approved" : "pending")
            let data = (try? JSONEncoder.moderato.encode(body)) ?? Data()
            return Response(
                status: .created,
                headers: [.location: "/comments/\(comment.id)", .contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(bytes: data))
            )
        }
        let location = published ? RedirectTarget.published(back, id: comment.id) : RedirectTarget.pending(back)
        return Response(status: .seeOther, headers: [.location: location])
    }

    func invalid(_ errors: [FieldError], decoded: DecodedSubmission, answer: Answer, back: String?) -> Response {
        if answer.wantsJSON {
            return Problem.invalid(errors).problemResponse()
        }
        return SubmissionErrorPage.invalid(
            errors: errors, submission: decoded.submission, redirectTo: decoded.redirectTo, backTo: back
        )
    }

    /// A refusal: problem+json for scripts; for a browser, a page — with the form and what was
    /// typed in it whenever the body could be read.
    func refuse(_ problem: Problem, answer: Answer, decoded: DecodedSubmission? = nil, back: String? = nil) -> Response {
        guard answer.isBrowser else { return problem.problemResponse() }
        guard let decoded else { return HTMLPage.problem(problem, backTo: back) }
        return SubmissionErrorPage.refused(problem, submission: decoded.submission, redirectTo: decoded.redirectTo, backTo: back)
    }
}
