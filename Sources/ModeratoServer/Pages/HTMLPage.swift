import Hummingbird
import ModeratoCore

/// Small server-rendered pages for people using a plain form (no JavaScript needed).
enum HTMLPage {
    /// A complete, self-contained page in `language` (`<html lang>`, matching `Content-Language`).
    /// Styles come from `/moderato.css` so that a strict Content-Security-Policy (no inline styles
    /// or scripts) holds. `head` adds elements such as feed links.
    static func document(title: String, language: String, head: String = "", body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="\(CommentRenderer.escape(language))">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(CommentRenderer.escape(title))</title>
        <link rel="stylesheet" href="/moderato.css">
        <link rel="icon" href="data:,">
        \(head)</head>
        <body>
        \(body)
        </body>
        </html>

        """
    }

    static func response(status: HTTPResponse.Status, html: String, headers: HTTPFields = [:], localizer: Localizer) -> Response {
        var fields = headers
        fields[.contentType] = "text/html; charset=utf-8"
        fields[.cacheControl] = "no-store"
        localizer.label(&fields)
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// A page explaining a refusal in one or more sentences, with a link back.
    static func problem(_ problem: Problem, backTo link: String?, localizer: Localizer) -> Response {
        let words = Problem.Worded(problem, localizer)
        var body = "<main class=\"moderato-message\">\n<h1>\(CommentRenderer.escape(words.title))</h1>\n"
        body += "<p>\(CommentRenderer.escape(words.detail))</p>\n"
        if let link {
            body += backLink(link, localizer: localizer)
        }
        body += "</main>"
        return response(
            status: problem.status, html: document(title: words.title, language: localizer.language, body: body), headers: problem.headers,
            localizer: localizer)
    }

    static func backLink(_ link: String, localizer: Localizer) -> String {
        "<p><a href=\"\(CommentRenderer.escape(link))\">\(localizer.html(Message("page.back_to_article")))</a></p>\n"
    }
}
