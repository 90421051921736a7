import HTTPTypes
import Hummingbird
import ModeratoCore

/// The pages of `/moderation/act/{token}`: the confirmation (the comment and one button), the
/// result, and each refusal. Plain HTML under the strict CSP, in the reader's language.
struct ActionLinkPage {
    let texts: ActionLinkTexts

    init(_ localizer: Localizer) {
        texts = ActionLinkTexts(localizer)
    }

    var localizer: Localizer { texts.localizer }

    /// `GET`: what the link would do, to what, and the button that does it (the form posts to the
    /// page's own address). Mail scanners and link previews that fetch it change nothing.
    func confirm(_ link: ActionLink, comment: Comment, postURL: String) -> Response {
        let title = texts.question(link.action)
        var body = "<main class=\"moderato-message\">\n<h1>\(CommentRenderer.escape(title))</h1>\n"
        body += describe(comment, postURL: postURL)
        body +=
            "<form method=\"post\"><p><button type=\"submit\">\(CommentRenderer.escape(texts.button(link.action)))</button></p></form>\n"
        body += "<p class=\"moderato-meta\">\(CommentRenderer.escape(texts.nothingChangesUntil))</p>\n</main>"
        return response(.ok, title: title, body: body)
    }

    /// `POST`, done.
    func done(_ action: ModerationAction, comment: Comment, postURL: String) -> Response {
        let title = texts.done(action)
        var body = "<main class=\"moderato-message\">\n<h1>\(CommentRenderer.escape(title))</h1>\n"
        body += "<p>\(CommentRenderer.escape(texts.doneDetail(action)))</p>\n"
        body += describe(comment, postURL: postURL) + "</main>"
        return response(.ok, title: title, body: body)
    }

    /// A refusal: why, and that nothing was done.
    func refused(_ status: HTTPResponse.Status, title: String, detail: String) -> Response {
        let body =
            "<main class=\"moderato-message\">\n<h1>\(CommentRenderer.escape(title))</h1>\n<p>\(CommentRenderer.escape(detail))</p>\n</main>"
        return response(status, title: title, body: body)
    }

    /// The comment as the moderator needs to judge it: where, by whom, when, its status, its text.
    private func describe(_ comment: Comment, postURL: String) -> String {
        let meta = texts.meta(
            post: comment.post, postURL: postURL, author: comment.author, website: comment.url,
            createdAt: localizer.dateTime(comment.createdAt), status: comment.status)
        return """
            <p class="moderato-meta">\(meta)</p>
            <div class="moderato-comment"><article><div class="moderato-body">\(CommentRenderer.html(comment.body))</div></article></div>

            """
    }

    private func response(_ status: HTTPResponse.Status, title: String, body: String) -> Response {
        var response = HTMLPage.response(
            status: status, html: HTMLPage.document(title: title, language: localizer.language, body: body), localizer: localizer)
        // A page whose address is a credential: not for search engines or caches.
        response.headers[.xRobotsTag] = "noindex, nofollow"
        return response
    }
}

extension HTTPField.Name {
    static let xRobotsTag = HTTPField.Name("X-Robots-Tag")!
}
