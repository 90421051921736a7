import ModeratoCore

/// Where a browser is sent after a form post: only ever to an allowed origin (SPEC §3.1).
struct RedirectTarget: Sendable {
    /// Allowed origins, normalised (`WebAddress.origin`).
    var allowedOrigins: Set<String>
    /// The blog's base URL; a post's page is `siteURL + post`.
    var siteURL: String

    /// `candidate` (from `redirect_to` or `Referer`) made absolute and without its fragment, when
    /// it is on an allowed origin; `nil` when it must not be followed.
    func allowed(_ candidate: String?) -> String? {
        guard let candidate, !candidate.isEmpty else { return nil }
        var absolute = candidate
        // A path on the blog itself, such as "/2025/11/post/"; "//host" and "/\host" are other hosts.
        if candidate.hasPrefix("/") {
            guard !candidate.hasPrefix("//"), !candidate.hasPrefix("/\\"), let site = WebAddress(siteURL) else { return nil }
            absolute = site.origin + candidate
        }
        guard let address = WebAddress(absolute), allowedOrigins.contains(address.origin) else { return nil }
        return address.withoutFragment
    }

    /// The post's own page, the fallback target.
    func page(of post: String) -> String {
        PostPage.url(of: post, siteURL: siteURL)
    }

    /// The page plus `#comment-ID`, for a published comment.
    static func published(_ base: String, id: Int64) -> String {
        base + "#comment-\(id)"
    }

    /// The page with `moderato=pending` in its query and `#comments`, for a held comment.
    static func pending(_ base: String) -> String {
        let parts = base.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        var query = parts.count > 1 ? parts[1].split(separator: "&").filter { !$0.hasPrefix("moderato=") }.map(String.init) : []
        query.append("moderato=pending")
        return parts[0] + "?" + query.joined(separator: "&") + "#comments"
    }
}

/// Where a post's page is on the blog: `site.url` + post (SPEC §1), for redirects and feed links.
enum PostPage {
    static func url(of post: String, siteURL: String) -> String {
        // Numeric posts (WordPress ids) have no path of their own; `?p=ID` is WordPress's permalink.
        post.hasPrefix("/") ? siteURL + post : siteURL + "/?p=" + post
    }
}
