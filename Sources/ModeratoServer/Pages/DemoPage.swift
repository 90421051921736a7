import Foundation
import ModeratoCore

/// The demo article at `/demo/` (SPEC §3.5): a short timeline in the shape of
/// `shared/seed-page.txt` (our own words), its approved comments rendered on the server, and the
/// ordinary comment form — it all works with JavaScript off; `embed.js` improves it when on.
enum DemoPage {
    static let post: PostKey = "/demo/"
    static let title = "トランプ政権下の停戦・和平交渉の経緯"

    /// One dated step of the timeline: a heading and its points.
    struct Step {
        var date: String
        var heading: String
        var points: [String]
    }

    static let timeline: [Step] = [
        Step(
            date: "2月18日", heading: "米露だけの協議",
            points: [
                "リヤドで米国とロシアの代表が停戦について話し合い、ウクライナは席に招かれなかった。",
                "この会合をきっかけに、米国とウクライナの首脳の間で非難の言葉が行き交うようになった。",
            ]),
        Step(
            date: "2月28日", heading: "ホワイトハウスでの首脳会談が物別れに",
            points: [
                "会談は途中で激しい口論となり、予定されていた署名と共同会見は取りやめになった。"
            ]),
        Step(
            date: "3月25日", heading: "黒海の航行をめぐる合意",
            points: [
                "米国の仲介で、双方が黒海での船舶の安全とエネルギー施設への攻撃停止に向けて歩み寄った。",
                "ただし停戦がいつ始まるかは決まらなかった。",
            ]),
        Step(
            date: "5月16日", heading: "三年ぶりの直接交渉",
            points: [
                "イスタンブールで両国の代表団が顔を合わせ、大規模な捕虜交換で一致したが、停戦には届かなかった。"
            ]),
        Step(
            date: "8月15日", heading: "アラスカでの米露首脳会談",
            points: [
                "三時間近い話し合いのあとも具体的な合意は示されなかった。"
            ]),
        Step(
            date: "11月", heading: "和平案の提示と修正",
            points: [
                "米国の28項目の案が報じられ、その後の協議で19項目に絞り込まれた。",
                "領土と同盟加盟の扱いは首脳どうしの判断に委ねられた。",
            ]),
        Step(
            date: "12月2日", heading: "モスクワでの協議",
            points: [
                "米国の特使がモスクワを訪れたが、領土と安全保障をめぐる隔たりは埋まらなかった。"
            ]),
    ]

    /// The language of the demo article, whatever `site.language` says: it stands for the seed
    /// page, a Japanese WordPress article.
    static let language = "ja"

    /// The whole page. `comments` are the post's approved comments, oldest first.
    static func html(
        comments: [Comment], keyring: Keyring, pending: Bool, closed: Bool, selfURL: String, localizer: Localizer
    ) -> String {
        var body = "<main>\n<article class=\"moderato-article\">\n<h1>\(CommentRenderer.escape(title))</h1>\n"
        body += "<p class=\"moderato-meta\">2025年2月以降の動き（Moderato のデモ記事）</p>\n<ul class=\"moderato-timeline\">\n"
        for step in timeline {
            body += "<li><strong>\(step.date)：\(CommentRenderer.escape(step.heading))</strong>\n<ul>\n"
            for point in step.points {
                body += "<li>\(CommentRenderer.escape(point))</li>\n"
            }
            body += "</ul></li>\n"
        }
        body += "</ul>\n</article>\n"

        body += "<section id=\"comments\" class=\"moderato-comments-section\">\n"
        body += "<h2>\(localizer.html(Message("comments.heading"))) <span id=\"moderato-count\">\(comments.count)</span></h2>\n"
        body +=
            "<ol id=\"moderato-comments\" class=\"moderato-comments\">\n\(thread(comments, keyring: keyring, localizer: localizer))</ol>\n"
        body += "<h2>\(localizer.html(Message("form.heading")))</h2>\n"
        body += "<div id=\"moderato-notice\" class=\"moderato-notice\" role=\"status\" aria-live=\"polite\">"
        if pending { body += "<p>\(localizer.html(Message("notice.pending")))</p>" }
        body += "</div>\n"
        if closed {
            body += "<p class=\"moderato-closed\">\(localizer.html(Message("comments.closed")))</p>\n"
        } else {
            body += form(selfURL: selfURL, localizer: localizer)
        }
        body += "</section>\n</main>\n<script src=\"/embed.js\" data-moderato-post=\"\(post.text)\" defer></script>"
        return HTMLPage.document(title: title, language: localizer.language, head: feedLinks(localizer), body: body)
    }

    /// The post's comment feeds, for feed readers and browsers that look for them.
    static func feedLinks(_ localizer: Localizer) -> String {
        let query = "?post=" + FeedController.queryEncode(post.text)
        return """
            <link rel="alternate" type="\(AtomFeed.contentType)" title="\(localizer.html(Message("feed.link.atom")))" href="/feed.atom\(query)">
            <link rel="alternate" type="\(JSONFeed.contentType)" title="\(localizer.html(Message("feed.link.json")))" href="/feed.json\(query)">

            """
    }

    /// Comments nested by `parent`, as `embed.js` renders them too.
    static func thread(_ comments: [Comment], keyring: Keyring, localizer: Localizer) -> String {
        let ids = Set(comments.map(\.id))
        var children: [Int64?: [Comment]] = [:]
        for comment in comments {
            // A reply whose parent is not shown (deleted, unpublished) goes to the top level.
            let parent = comment.parent.flatMap { ids.contains($0) ? $0 : nil }
            children[parent, default: []].append(comment)
        }
        func render(_ parent: Int64?) -> String {
            var html = ""
            for comment in children[parent] ?? [] {
                let avatar = keyring.avatar(emailHash: comment.emailHash)
                let colour = Int(avatar.prefix(2), radix: 16).map { $0 % 8 } ?? 0
                let initial = comment.author.first.map { CommentRenderer.escape(String($0)) } ?? "?"
                let name = CommentRenderer.escape(comment.author)
                let author =
                    comment.url.map {
                        "<a class=\"moderato-author\" href=\"\(CommentRenderer.escape($0))\" rel=\"nofollow ugc noopener\">\(name)</a>"
                    }
                    ?? "<span class=\"moderato-author\">\(name)</span>"
                let time = RFC3339.string(from: comment.createdAt)
                html += "<li class=\"moderato-comment\" id=\"comment-\(comment.id)\">\n<article>\n<header>"
                html += "<span class=\"moderato-avatar moderato-avatar-\(colour)\" aria-hidden=\"true\">\(initial)</span> "
                html +=
                    "\(author) <time datetime=\"\(time)\">\(CommentRenderer.escape(localizer.dateTime(comment.createdAt)))</time></header>\n"
                html += "<div class=\"moderato-body\">\(CommentRenderer.html(comment.body))</div>\n</article>\n"
                let replies = render(comment.id)
                if !replies.isEmpty { html += "<ol class=\"moderato-children\">\n\(replies)</ol>\n" }
                html += "</li>\n"
            }
            return html
        }
        return render(nil)
    }

    /// The ordinary comment form, with WordPress's field names and the seed page's labels.
    static func form(selfURL: String, localizer: Localizer) -> String {
        func label(_ id: String, _ text: Message, required: Bool = true) -> String {
            FormLabels.label(for: id, text, required: required, localizer: localizer)
        }
        let pendingMessage = localizer.html(Message("notice.pending"))
        let notes = localizer.html(Message("form.notes"), markup: ["mark": FormLabels.requiredMark(localizer)])
        return """
            <form id="commentform" class="moderato-form" method="post" action="/wp-comments-post.php" data-moderato-form data-pending-message="\(pendingMessage)" novalidate>
            <p class="moderato-form-notes">\(notes)</p>
            <div class="moderato-field">\(label("comment", Message("form.comment")))
            <textarea id="comment" name="comment" rows="8" maxlength="65525" required></textarea></div>
            <div class="moderato-field">\(label("author", Message("form.author")))
            <input id="author" name="author" type="text" maxlength="245" autocomplete="name" required></div>
            <div class="moderato-field">\(label("email", Message("form.email")))
            <input id="email" name="email" type="email" maxlength="100" autocomplete="email" required></div>
            <div class="moderato-field">\(label("url", Message("form.url"), required: false))
            <input id="url" name="url" type="url" maxlength="200" autocomplete="url"></div>
            <div class="moderato-hp" aria-hidden="true"><label for="moderato_hp">\(localizer.html(Message("form.honeypot")))</label>
            <input id="moderato_hp" name="moderato_hp" type="text" tabindex="-1" autocomplete="off"></div>
            <p class="moderato-consent"><input id="wp-comment-cookies-consent" name="wp-comment-cookies-consent" type="checkbox" value="yes">
            <label for="wp-comment-cookies-consent">\(localizer.html(Message("form.cookies_consent")))</label></p>
            <input type="hidden" name="comment_post_ID" value="\(post.text)">
            <input type="hidden" name="comment_parent" value="0">
            <input type="hidden" name="redirect_to" value="\(CommentRenderer.escape(selfURL))">
            <p><button type="submit">\(localizer.html(Message("form.submit")))</button></p>
            </form>

            """
    }
}
