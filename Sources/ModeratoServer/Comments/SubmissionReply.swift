import Foundation
import Hummingbird
import ModeratoCore

/// How one submission is answered, decided once from the request: a browser posting a form gets
/// redirects and HTML pages (with what was typed, whenever the body could be read), a script —
/// a JSON body, or an `Accept` asking for JSON — gets JSON. Either way in the language the
/// request's `Accept-Language` asks for (`embed.js` sends the page's own).
struct SubmissionReply {
    /// The client asked for JSON, or sent it.
    let wantsJSON: Bool
    /// A real browser (it lists `text/html` in `Accept`): HTML even for errors other than 422.
    let isBrowser: Bool
    let keyring: Keyring
    /// Words every refusal in the reader's language.
    let localizer: Localizer
    /// The body, once it could be read; refusal pages give its text back.
    var decoded: DecodedSubmission?
    /// The page to send a browser back to, once known.
    var back: String?

    init(request: Request, keyring: Keyring, localization: Localization) {
        let isJSONBody = (try? SubmissionDecoder.format(of: request)) == .json
        let accept = (request.headers[.accept] ?? "").lowercased()
        isBrowser = !isJSONBody && accept.contains("text/html")
        wantsJSON = isJSONBody || (!isBrowser && (accept.contains("application/json") || accept.contains("+json")))
        self.keyring = keyring
        localizer = localization.localizer(for: request)
    }

    /// 201 with the comment for scripts, 303 back to the page for browsers. A comment stored as spam
    /// is answered exactly like a held one, so a bot learns nothing.
    func accepted(_ comment: Comment, page: String) -> Response {
        let published = comment.status == .approved
        if wantsJSON {
            var json = JSONWriter(capacity: 256 + comment.body.utf8.count * 2)
            PublicComment(comment, keyring: keyring, status: published ? "approved" : "pending").write(to: &json)
            return Response(
                status: .created,
                headers: [.location: "/comments/\(comment.id)", .contentType: "application/json"],
                body: .init(byteBuffer: json.byteBuffer)
            )
        }
        let back = self.back ?? page
        let location = published ? RedirectTarget.published(back, id: comment.id) : RedirectTarget.pending(back)
        return Response(status: .seeOther, headers: [.location: location])
    }

    /// 422 with every failing field.
    func invalid(_ errors: [FieldError]) -> Response {
        guard !wantsJSON, let decoded else { return Problem.invalid(errors).response(in: localizer) }
        return SubmissionErrorPage.invalid(
            errors: errors, submission: decoded.submission, redirectTo: decoded.redirectTo, backTo: back, localizer: localizer)
    }

    /// Any other refusal: problem+json for scripts; for a browser, a page.
    func refused(_ problem: Problem) -> Response {
        guard isBrowser else { return problem.response(in: localizer) }
        guard let decoded else { return HTMLPage.problem(problem, backTo: back, localizer: localizer) }
        return SubmissionErrorPage.refused(
            problem, submission: decoded.submission, redirectTo: decoded.redirectTo, backTo: back, localizer: localizer)
    }

    /// What the store's refusals mean to the client, each with one status.
    func refused(_ refusal: SubmissionRefusal) -> Response {
        switch refusal {
        case .postClosed:
            refused(Problem(.forbidden, title: Message("problem.closed.title"), detail: Message("problem.closed.detail")))
        case .parentNotFound:
            invalid([FieldError(field: "parent", message: Message("field.parent.not_found"))])
        case .duplicate:
            refused(Problem(.conflict, title: Message("problem.duplicate.title"), detail: Message("problem.duplicate.detail")))
        case .flood(let wait):
            refused(Self.tooMany(Message("problem.flood.detail", ["seconds": String(wait)]), wait: wait))
        }
    }

    static func tooMany(_ detail: Message, wait: Int) -> Problem {
        var problem = Problem(.tooManyRequests, title: Message("problem.slow_down.title"), detail: detail)
        problem.headers[.retryAfter] = String(wait)
        return problem
    }

    /// 503: the database did not take the comment; nothing was stored.
    static var notStored: Problem {
        var problem = Problem(.serviceUnavailable, detail: Message("problem.not_stored.detail"))
        problem.headers[.retryAfter] = "1"
        return problem
    }
}
