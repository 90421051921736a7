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
    let localization: Localization
    /// `embed.js` with the catalogues' strings for it, made once at start.
    let script: RenderedResponse

    init(
        store: any PublicCommentReading, keyring: Keyring, versions: PublicationVersions, cache: ResponseCache, demoEnabled: Bool,
        publicURL: String, localization: Localization
    ) {
        self.store = store
        self.keyring = keyring
        self.versions = versions
        self.cache = cache
        self.demoEnabled = demoEnabled
        self.publicURL = publicURL
        self.localization = localization
        script = RenderedResponse(
            bytes: Array(EmbedScript.source(localization: localization).utf8), contentType: "text/javascript; charset=utf-8",
            maxAge: Self.assetMaxAge)
    }

    static let stylesheet = RenderedResponse(
        bytes: PackageResources.moderato_css, contentType: "text/css; charset=utf-8", maxAge: assetMaxAge)
    /// Assets change only with a new binary; their ETag tells browsers when that happened.
    static let assetMaxAge = 86_400

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/embed.js") { [script] request, _ in script.response(to: request) }
        router.get("/moderato.css") { request, _ in Self.stylesheet.response(to: request) }
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
                comments: page.comments, keyring: keyring, pending: pending, closed: closed, selfURL: publicURL + DemoPage.post.text,
                localizer: localization.localizer(language: DemoPage.language))
            rendered = RenderedResponse(
                bytes: Array(html.utf8), contentType: "text/html; charset=utf-8", contentLanguage: DemoPage.language, maxAge: nil)
            cache.store(rendered, for: key, versions: pageVersions)
        }
        return rendered.response(to: request)
    }
}
