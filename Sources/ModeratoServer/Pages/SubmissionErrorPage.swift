import Hummingbird
import ModeratoCore

/// The page a browser gets when a plain form post is refused after its body was read: what went
/// wrong, and the form again with what was typed, so nothing is lost and the reader can fix it
/// and send it again (or copy the text, when the post has closed meanwhile).
enum SubmissionErrorPage {
    /// 422: every failing field, each message next to its field.
    static func invalid(
        errors: [FieldError], submission: Submission, redirectTo: String?, backTo link: String?, localizer: Localizer
    ) -> Response {
        var intro = "<p>\(localizer.html(Message("page.invalid.intro")))</p>\n<ul class=\"moderato-errors\">\n"
        for error in errors {
            intro += "<li>\(localizer.html(error.message))</li>\n"
        }
        intro += "</ul>\n"
        return page(
            status: .unprocessableContent, title: localizer(Message("page.invalid.title")), intro: intro, errors: errors,
            submission: submission, redirectTo: redirectTo, backTo: link, headers: [:], localizer: localizer
        )
    }

    /// Any other refusal of a readable form (post closed, duplicate, too fast, not stored just now):
    /// the problem's own title and explanation, its status and headers (`Retry-After`), and the text.
    static func refused(
        _ problem: Problem, submission: Submission, redirectTo: String?, backTo link: String?, localizer: Localizer
    ) -> Response {
        let words = Problem.Worded(problem, localizer)
        return page(
            status: problem.status, title: words.title, intro: "<p>\(CommentRenderer.escape(words.detail))</p>\n",
            errors: [], submission: submission, redirectTo: redirectTo, backTo: link, headers: problem.headers, localizer: localizer
        )
    }

    private static func page(
        status: HTTPResponse.Status, title: String, intro: String, errors: [FieldError], submission: Submission,
        redirectTo: String?, backTo link: String?, headers: HTTPFields, localizer: Localizer
    ) -> Response {
        func value(_ text: String?) -> String { CommentRenderer.escape(text ?? "") }
        func field(_ name: String, label: String, input: String) -> String {
            let message =
                errors.first { $0.field == name }.map {
                    "<p class=\"moderato-error\" id=\"\(name)-error\">\(localizer.html($0.message))</p>"
                } ?? ""
            return "<div class=\"moderato-field\">\(label)\(input)\(message)</div>\n"
        }
        let label = { (id: String, message: Message, required: Bool) in
            FormLabels.label(for: id, message, required: required, localizer: localizer)
        }
        let describedBy = { (name: String) in
            errors.contains { $0.field == name } ? " aria-invalid=\"true\" aria-describedby=\"\(name)-error\"" : ""
        }
        var body = "<main class=\"moderato-message\">\n<h1>\(CommentRenderer.escape(title))</h1>\n" + intro
        body += "<form class=\"moderato-form\" method=\"post\" action=\"/comments\">\n"
        body += field(
            "body", label: label("comment", Message("form.comment"), true),
            input:
                "<textarea id=\"comment\" name=\"comment\" rows=\"8\" required\(describedBy("body"))>\(value(submission.body))</textarea>")
        body += field(
            "author", label: label("author", Message("form.author"), true),
            input:
                "<input id=\"author\" name=\"author\" type=\"text\" value=\"\(value(submission.author))\" required autocomplete=\"name\"\(describedBy("author"))>"
        )
        body += field(
            "email", label: label("email", Message("form.email"), true),
            input:
                "<input id=\"email\" name=\"email\" type=\"email\" value=\"\(value(submission.email))\" required autocomplete=\"email\"\(describedBy("email"))>"
        )
        body += field(
            "url", label: label("url", Message("form.url"), false),
            input:
                "<input id=\"url\" name=\"url\" type=\"url\" value=\"\(value(submission.url))\" autocomplete=\"url\"\(describedBy("url"))>")
        let others = errors.filter { !["body", "author", "email", "url"].contains($0.field) }
        for error in others {
            body += "<p class=\"moderato-error\">\(localizer.html(error.message))</p>\n"
        }
        body += "<input type=\"hidden\" name=\"comment_post_ID\" value=\"\(value(submission.post))\">\n"
        body += "<input type=\"hidden\" name=\"comment_parent\" value=\"\(value(submission.parent))\">\n"
        if let redirectTo {
            body += "<input type=\"hidden\" name=\"redirect_to\" value=\"\(value(redirectTo))\">\n"
        }
        body += "<p><button type=\"submit\">\(localizer.html(Message("form.submit")))</button></p>\n</form>\n"
        if let link {
            body += HTMLPage.backLink(link, localizer: localizer)
        }
        body += "</main>"
        return HTMLPage.response(
            status: status, html: HTMLPage.document(title: title, language: localizer.language, body: body), headers: headers,
            localizer: localizer)
    }
}
