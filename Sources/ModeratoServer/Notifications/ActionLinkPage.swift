import HTTPTypes
import Hummingbird
import ModeratoCore

/// The pages of `/moderation/act/{token}`: the confirmation (the comment and one button), the
/// result, and each refusal. Plain HTML under the strict CSP; the texts are `ActionLinkTexts`.
enum ActionLinkPage {
    /// `GET`: what the link would do, to what, and the button that does it (the form posts to the
    /// page's own address). Mail scanners and link previews that fetch it change nothing.
    static func confirm(_ link: ActionLink, comment: Comment, postURL: String) -> Response {
        let title = ActionLinkTexts.question(link.action)
        var body = "<main class=\"moderato-message\">\n<h1>\(CommentRenderer.escape(title))</h1>\n"
        body += describe(comment, postURL: postURL)
        body +=
            "<form method=\"post\"><p><button type=\"submit\">\(CommentRenderer.escape(ActionLinkTexts.button(link.action)))</button></p></form>\n"
        body += "<p class=\"moderato-meta\">\(CommentRenderer.escape(ActionLinkTexts.nothingChangesUntil))</p>\n</main>"
        return response(.ok, title: title, body: body)
    }

    /// `POST`, done.
    static func done(_ action: ModerationAction, comment: Comment, postURL: String) -> Response {
        let title = ActionLinkTexts.done(action)
        var body = "<main class=\"moderato-message\">\n<h1>\(CommentRenderer.escape(title))</h1>\n"
        body += "<p>\(CommentRenderer.escape(ActionLinkTexts.doneDetail(action)))</p>\n"
        body += describe(comment, postURL: postURL) + "</main>"
        return response(.ok, title: title, body: body)
    }

    /// A refusal: why, and that nothing was done.
    static func refused(_ status: HTTPResponse.Status, title: String, detail: String) -> Response {
        let body =
            "<main class=\"moderato-message\">\n<h1>\(CommentRenderer.escape(title))</h1>\n<p>\(CommentRenderer.escape(detail))</p>\n</main>"
        return response(status, title: title, body: body)
    }

    /// The comment as the moderator needs to judge it: where, by whom, when, its status, its text.
    private static func describe(_ comment: Comment, postURL: String) -> String {
        let escape = CommentRenderer.escape
        // noreferrer: the page's address holds the token, and the blog need not see it.
        var meta = "\(escape(ActionLinkTexts.onPost)) <a href=\"\(escape(postURL))\" rel=\"noreferrer\">\(escape(comment.post))</a>"
        meta += " \(escape(ActionLinkTexts.by)) <strong>\(escape(comment.author))</strong>"
        if let url = comment.url {
            meta += " (<a href=\"\(escape(url))\" rel=\"nofollow ugc noreferrer\">\(escape(ActionLinkTexts.website))</a>)"
        }
        meta += ", \(escape(NotificationTexts.readable(comment.createdAt))). "
        meta += "\(escape(ActionLinkTexts.itIsNow)) <strong>\(escape(comment.status.rawValue))</strong>."
        return """
            <p class="moderato-meta">\(meta)</p>
            <div class="moderato-comment"><article><div class="moderato-body">\(CommentRenderer.html(comment.body))</div></article></div>

            """
    }

    private static func response(_ status: HTTPResponse.Status, title: String, body: String) -> Response {
        var response = HTMLPage.response(status: status, html: HTMLPage.document(title: title, body: body))
        // A page whose address is a credential: not for search engines or caches.
        response.headers[.xRobotsTag] = "noindex, nofollow"
        return response
    }
}

extension HTTPField.Name {
    static let xRobotsTag = HTTPField.Name("X-Robots-Tag")!
}
