import Hummingbird
import ModeratoCore

/// The page a browser gets when a plain form post is refused after its body was read: what went
/// wrong, and the form again with what was typed, so nothing is lost and the reader can fix it
/// and send it again (or copy the text, when the post has closed meanwhile).
enum SubmissionErrorPage {
    /// 422: every failing field, each message next to its field.
    static func invalid(errors: [FieldError], submission: Submission, redirectTo: String?, backTo link: String?) -> Response {
        var intro = "<p>Please correct the following and send it again:</p>\n<ul class=\"moderato-errors\">\n"
        for error in errors {
            intro += "<li>\(CommentRenderer.escape(error.message))</li>\n"
        }
        intro += "</ul>\n"
        return page(
            status: .unprocessableContent, title: "Your comment could not be posted", intro: intro, errors: errors,
            submission: submission, redirectTo: redirectTo, backTo: link, headers: [:]
        )
    }

    /// Any other refusal of a readable form (post closed, duplicate, too fast, not stored just now):
    /// the problem's own title and explanation, its status and headers (`Retry-After`), and the text.
    static func refused(_ problem: Problem, submission: Submission, redirectTo: String?, backTo link: String?) -> Response {
        page(
            status: problem.status, title: problem.title, intro: "<p>\(CommentRenderer.escape(problem.detail))</p>\n",
            errors: [], submission: submission, redirectTo: redirectTo, backTo: link, headers: problem.headers
        )
    }

    private static func page(
        status: HTTPResponse.Status, title: String, intro: String, errors: [FieldError], submission: Submission,
        redirectTo: String?, backTo link: String?, headers: HTTPFields
    ) -> Response {
        func value(_ text: String?) -> String { CommentRenderer.escape(text ?? "") }
        func field(_ name: String, label: String, input: String) -> String {
            let message =
                errors.first { $0.field == name }.map {
                    "<p class=\"moderato-error\" id=\"\(name)-error\">\(CommentRenderer.escape($0.message))</p>"
                } ?? ""
            return "<div class=\"moderato-field\">\(label)\(input)\(message)</div>\n"
        }
        let describedBy = { (name: String) in
            errors.contains { $0.field == name } ? " aria-invalid=\"true\" aria-describedby=\"\(name)-error\"" : ""
        }
        var body = "<main class=\"moderato-message\">\n<h1>\(CommentRenderer.escape(title))</h1>\n" + intro
        body += "<form class=\"moderato-form\" method=\"post\" action=\"/comments\">\n"
        body += field(
            "body", label: "<label for=\"comment\">Comment <span class=\"required\">*</span></label>",
            input:
                "<textarea id=\"comment\" name=\"comment\" rows=\"8\" required\(describedBy("body"))>\(value(submission.body))</textarea>")
        body += field(
            "author", label: "<label for=\"author\">Name <span class=\"required\">*</span></label>",
            input:
                "<input id=\"author\" name=\"author\" type=\"text\" value=\"\(value(submission.author))\" required autocomplete=\"name\"\(describedBy("author"))>"
        )
        body += field(
            "email", label: "<label for=\"email\">Email <span class=\"required\">*</span></label>",
            input:
                "<input id=\"email\" name=\"email\" type=\"email\" value=\"\(value(submission.email))\" required autocomplete=\"email\"\(describedBy("email"))>"
        )
        body += field(
            "url", label: "<label for=\"url\">Website</label>",
            input:
                "<input id=\"url\" name=\"url\" type=\"url\" value=\"\(value(submission.url))\" autocomplete=\"url\"\(describedBy("url"))>")
        let others = errors.filter { !["body", "author", "email", "url"].contains($0.field) }
        for error in others {
            body += "<p class=\"moderato-error\">\(CommentRenderer.escape(error.message))</p>\n"
        }
        body += "<input type=\"hidden\" name=\"comment_post_ID\" value=\"\(value(submission.post))\">\n"
        body += "<input type=\"hidden\" name=\"comment_parent\" value=\"\(value(submission.parent))\">\n"
        if let redirectTo {
            body += "<input type=\"hidden\" name=\"redirect_to\" value=\"\(value(redirectTo))\">\n"
        }
        body += "<p><button type=\"submit\">Post Comment</button></p>\n</form>\n"
        if let link {
            body += "<p><a href=\"\(CommentRenderer.escape(link))\">Go back to the article</a></p>\n"
        }
        body += "</main>"
        return HTMLPage.response(status: status, html: HTMLPage.document(title: title, body: body), headers: headers)
    }
}
