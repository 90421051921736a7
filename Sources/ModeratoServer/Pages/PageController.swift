import Foundation
import Hummingbird
import ModeratoCore
import ModeratoStore

/// The page side of SPEC §3.5: the demo article, the embed script and the stylesheet.
struct PageController: Sendable {
    let store: any PublicCommentReading
    let keyring: Keyring
    let versions: PublicationVersions
    let cache: ResponseCache
    let demoEnabled: Bool
    let publicURL: String

    static let script = RenderedResponse(bytes: PackageResources.embed_js, contentType: "text/javascript; charset=utf-8")
    static let stylesheet = RenderedResponse(bytes: PackageResources.moderato_css, contentType: "text/css; charset=utf-8")
    /// Assets change only with a new binary; their ETag tells browsers when that happened.
    static let assetMaxAge = 86_400

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/embed.js") { request, _ in Self.script.response(to: request, maxAge: Self.assetMaxAge) }
        router.get("/moderato.css") { request, _ in Self.stylesheet.response(to: request, maxAge: Self.assetMaxAge) }
        guard demoEnabled else { return }
        // Hummingbird matches /demo and /demo/ alike.
        router.get("/demo/", use: demo)
    }

    @Sendable func demo(_ request: Request, context: AppRequestContext) async throws -> Response {
        let pending = (try? FormFields(query: request.uri.query))?["moderato"] == "pending"
        let key = "demo\u{0}\(pending)"
        let pageVersions = [versions.version(of: DemoPage.post)]
        let rendered: RenderedResponse
        if let cached = cache.lookup(key, versions: pageVersions) {
            rendered = cached
        } else {
            let page = try await store.approvedThread(post: DemoPage.post, afterID: nil, limit: 500)
            let closed = try await store.isPostClosed(DemoPage.post)
            let html = DemoPage.html(
                comments: page.comments, keyring: keyring, pending: pending, closed: closed, selfURL: publicURL + DemoPage.post.text)
            rendered = RenderedResponse(bytes: Array(html.utf8), contentType: "text/html; charset=utf-8")
            cache.store(rendered, for: key, versions: pageVersions)
        }
        var response = rendered.response(to: request, maxAge: 0)
        response.headers[.cacheControl] = "no-cache"
        return response
    }
}
