import Foundation
import Hummingbird
import ModeratoCore

/// How one submission is answered, decided once from the request: a browser posting a form gets
/// redirects and HTML pages (with what was typed, whenever the body could be read), a script —
/// a JSON body, or an `Accept` asking for JSON — gets JSON.
struct SubmissionReply {
    /// The client asked for JSON, or sent it.
    let wantsJSON: Bool
    /// A real browser (it lists `text/html` in `Accept`): HTML even for errors other than 422.
    let isBrowser: Bool
    let keyring: Keyring
    /// The body, once it could be read; refusal pages give its text back.
    var decoded: DecodedSubmission?
    /// The page to send a browser back to, once known.
    var back: String?

    init(request: Request, keyring: Keyring) {
        let isJSONBody = (try? SubmissionDecoder.format(of: request)) == .json
        let accept = (request.headers[.accept] ?? "").lowercased()
        isBrowser = !isJSONBody && accept.contains("text/html")
        wantsJSON = isJSONBody || (!isBrowser && (accept.contains("application/json") || accept.contains("+json")))
        self.keyring = keyring
    }

    /// 201 with the comment for scripts, 303 back to the page for browsers. A comment stored as spam
    /// is answered exactly like a held one, so a bot learns nothing.
    func accepted(_ comment: Comment, page: String) -> Response {
        let published = comment.status == .approved
        if wantsJSON {
            let body = PublicComment(comment, keyring: keyring, status: published ? "approved" : "pending")
            let data = (try? JSONEncoder.moderato.encode(body)) ?? Data()
            return Response(
                status: .created,
                headers: [.location: "/comments/\(comment.id)", .contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(bytes: data))
            )
        }
        let back = self.back ?? page
        let location = published ? RedirectTarget.published(back, id: comment.id) : RedirectTarget.pending(back)
        return Response(status: .seeOther, headers: [.location: location])
    }

    /// 422 with every failing field.
    func invalid(_ errors: [FieldError]) -> Response {
        guard !wantsJSON, let decoded else { return Problem.invalid(errors).problemResponse() }
        return SubmissionErrorPage.invalid(errors: errors, submission: decoded.submission, redirectTo: decoded.redirectTo, backTo: back)
    }

    /// Any other refusal: problem+json for scripts; for a browser, a page.
    func refused(_ problem: Problem) -> Response {
        guard isBrowser else { return problem.problemResponse() }
        guard let decoded else { return HTMLPage.problem(problem, backTo: back) }
        return SubmissionErrorPage.refused(problem, submission: decoded.submission, redirectTo: decoded.redirectTo, backTo: back)
    }

    /// What the store's refusals mean to the client, each with one status.
    func refused(_ refusal: SubmissionRefusal) -> Response {
        switch refusal {
        case .postClosed:
            refused(Problem(.forbidden, title: "Comments are closed", detail: "Comments are closed for this article."))
        case .parentNotFound:
            invalid([FieldError(field: "parent", message: "The comment you are replying to does not exist or is not published.")])
        case .duplicate:
            refused(
                Problem(
                    .conflict, title: "Duplicate comment",
                    detail: "This comment has already been posted; it looks as though you've already said that."))
        case .flood(let wait):
            refused(Self.tooMany("You are posting comments too quickly; please wait \(wait) seconds before the next one.", wait: wait))
        }
    }

    static func tooMany(_ detail: String, wait: Int) -> Problem {
        var problem = Problem(.tooManyRequests, title: "Slow down", detail: detail)
        problem.headers[.retryAfter] = String(wait)
        return problem
    }

    /// 503: the database did not take the comment; nothing was stored.
    static var notStored: Problem {
        var problem = Problem(
            .serviceUnavailable, detail: "The comment could not be saved just now; please try again in a moment. Nothing was stored.")
        problem.headers[.retryAfter] = "1"
        return problem
    }
}
