import Hummingbird
import ModeratoCore

/// Small server-rendered pages for people using a plain form (no JavaScript needed).
enum HTMLPage {
    /// A complete, self-contained page. Styles come from `/moderato.css` so that a strict
    /// Content-Security-Policy (no inline styles or scripts) holds.
    static func document(title: String, language: String = "en", body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="\(language)">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(CommentRenderer.escape(title))</title>
        <link rel="stylesheet" href="/moderato.css">
        <link rel="icon" href="data:,">
        </head>
        <body>
        \(body)
        </body>
        </html>

        """
    }

    static func response(status: HTTPResponse.Status, html: String, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "text/html; charset=utf-8"
        fields[.cacheControl] = "no-store"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// A page explaining a refusal in one or more sentences, with a link back.
    static func problem(_ problem: Problem, backTo link: String?) -> Response {
        var body = "<main class=\"moderato-message\">\n<h1>\(CommentRenderer.escape(problem.title))</h1>\n"
        body += "<p>\(CommentRenderer.escape(problem.detail))</p>\n"
        if let link {
            body += "<p><a href=\"\(CommentRenderer.escape(link))\">Go back to the article</a></p>\n"
        }
        body += "</main>"
        return response(status: problem.status, html: document(title: problem.title, body: body), headers: problem.headers)
    }
}
