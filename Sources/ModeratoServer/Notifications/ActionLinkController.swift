import Foundation
import Hummingbird
import ModeratoCore
import ModeratoStore

/// One-click moderation (issue 15): `GET /moderation/act/{token}` shows the comment and a button
/// and changes nothing; `POST` to the same address acts, once. The token is the credential — no
/// login, no cookie — and binds the comment, the action, the status the comment had when the
/// moderator was told, and an expiry (`ActionLink`).
///
/// Malformed → 404, not signed by this install → 403, expired, used or the comment gone → 410,
/// the comment moderated since → 409.
struct ActionLinkController: Sendable {
    let store: any OneClickModeration
    let keyring: Keyring
    let metrics: ServerMetrics
    let siteURL: String
    let localization: Localization
    let now: @Sendable () -> Date

    /// The audit log's actor for decisions taken through a link.
    static let actor = "link"

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/moderation/act/:token", use: show)
        router.post("/moderation/act/:token", use: act)
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let page = ActionLinkPage(localization.localizer(for: request))
        let (link, id): (ActionLink, String)
        switch read(context, page) {
        case .failure(let refusal): return refusal.response
        case .success(let read): (link, id) = read
        }
        if try await store.isActionLinkUsed(id) { return Self.used(page) }
        guard let comment = try await store.comment(id: link.commentID) else { return Self.gone(page) }
        guard comment.status == link.status else { return Self.changed(comment, link, page) }
        return page.confirm(link, comment: comment, postURL: postURL(of: comment))
    }

    @Sendable func act(_ request: Request, context: AppRequestContext) async throws -> Response {
        let page = ActionLinkPage(localization.localizer(for: request))
        let (link, id): (ActionLink, String)
        switch read(context, page) {
        case .failure(let refusal): return refusal.response
        case .success(let read): (link, id) = read
        }
        switch try await store.redeemActionLink(link, id: id, actor: Self.actor) {
        case .acted(let comment):
            metrics.moderation(link.action.rawValue, source: "link")
            context.logger.info(
                "moderated through a one-click link", metadata: ["comment": "\(comment.id)", "action": "\(link.action.rawValue)"])
            return page.done(link.action, comment: comment, postURL: postURL(of: comment))
        case .alreadyUsed: return Self.used(page)
        case .statusChanged(let comment): return Self.changed(comment, link, page)
        case .noComment: return Self.gone(page)
        }
    }

    /// The link in the path, checked: signature first, then expiry.
    private func read(_ context: AppRequestContext, _ page: ActionLinkPage) -> Result<(ActionLink, String), RefusalPage> {
        let token = context.parameters.get("token") ?? ""
        let texts = page.texts
        switch ActionLink.read(token, keyring: keyring) {
        case .failure(.malformed):
            return .failure(RefusalPage(page.refused(.notFound, title: texts.malformedTitle, detail: texts.malformed)))
        case .failure(.forged):
            return .failure(RefusalPage(page.refused(.forbidden, title: texts.forgedTitle, detail: texts.forged)))
        case .success(let (link, id)):
            guard !link.isExpired(at: now()) else {
                let expired = texts.expired(on: page.localizer.dateTime(link.expiresAt))
                return .failure(RefusalPage(page.refused(.gone, title: texts.expiredTitle, detail: expired)))
            }
            return .success((link, id))
        }
    }

    private func postURL(of comment: Comment) -> String {
        PostPage.url(of: PostKey(stored: comment.post), siteURL: siteURL)
    }

    static func used(_ page: ActionLinkPage) -> Response {
        page.refused(.gone, title: page.texts.usedTitle, detail: page.texts.used)
    }

    static func gone(_ page: ActionLinkPage) -> Response {
        page.refused(.gone, title: page.texts.goneTitle, detail: page.texts.gone)
    }

    static func changed(_ comment: Comment, _ link: ActionLink, _ page: ActionLinkPage) -> Response {
        page.refused(.conflict, title: page.texts.changedTitle, detail: page.texts.changed(now: comment.status, then: link.status))
    }
}

/// A refusal page, as the error side of reading a link.
struct RefusalPage: Error {
    let response: Response
    init(_ response: Response) { self.response = response }
}
