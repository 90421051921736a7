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
    let now: @Sendable () -> Date

    /// The audit log's actor for decisions taken through a link.
    static let actor = "link"

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/moderation/act/:token", use: show)
        router.post("/moderation/act/:token", use: act)
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (link, id): (ActionLink, String)
        switch read(context) {
        case .failure(let refusal): return refusal.response
        case .success(let read): (link, id) = read
        }
        if try await store.isActionLinkUsed(id) { return Self.used }
        guard let comment = try await store.comment(id: link.commentID) else { return Self.gone }
        guard comment.status == link.status else { return Self.changed(comment, link) }
        return ActionLinkPage.confirm(link, comment: comment, postURL: postURL(of: comment))
    }

    @Sendable func act(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (link, id): (ActionLink, String)
        switch read(context) {
        case .failure(let refusal): return refusal.response
        case .success(let read): (link, id) = read
        }
        switch try await store.redeemActionLink(link, id: id, actor: Self.actor) {
        case .acted(let comment):
            metrics.moderation(link.action.rawValue, source: "link")
            context.logger.info(
                "moderated through a one-click link", metadata: ["comment": "\(comment.id)", "action": "\(link.action.rawValue)"])
            return ActionLinkPage.done(link.action, comment: comment, postURL: postURL(of: comment))
        case .alreadyUsed: return Self.used
        case .statusChanged(let comment): return Self.changed(comment, link)
        case .noComment: return Self.gone
        }
    }

    /// The link in the path, checked: signature first, then expiry.
    private func read(_ context: AppRequestContext) -> Result<(ActionLink, String), RefusalPage> {
        let token = context.parameters.get("token") ?? ""
        switch ActionLink.read(token, keyring: keyring) {
        case .failure(.malformed):
            return .failure(
                RefusalPage(ActionLinkPage.refused(.notFound, title: ActionLinkTexts.malformedTitle, detail: ActionLinkTexts.malformed)))
        case .failure(.forged):
            return .failure(
                RefusalPage(ActionLinkPage.refused(.forbidden, title: ActionLinkTexts.forgedTitle, detail: ActionLinkTexts.forged)))
        case .success(let (link, id)):
            guard !link.isExpired(at: now()) else {
                return .failure(
                    RefusalPage(
                        ActionLinkPage.refused(
                            .gone, title: ActionLinkTexts.expiredTitle,
                            detail: ActionLinkTexts.expired(on: NotificationTexts.readable(link.expiresAt)))))
            }
            return .success((link, id))
        }
    }

    private func postURL(of comment: Comment) -> String {
        PostPage.url(of: PostKey(stored: comment.post), siteURL: siteURL)
    }

    static var used: Response { ActionLinkPage.refused(.gone, title: ActionLinkTexts.usedTitle, detail: ActionLinkTexts.used) }
    static var gone: Response { ActionLinkPage.refused(.gone, title: ActionLinkTexts.goneTitle, detail: ActionLinkTexts.gone) }

    static func changed(_ comment: Comment, _ link: ActionLink) -> Response {
        ActionLinkPage.refused(
            .conflict, title: ActionLinkTexts.changedTitle, detail: ActionLinkTexts.changed(now: comment.status, then: link.status))
    }
}

/// A refusal page, as the error side of reading a link.
struct RefusalPage: Error {
    let response: Response
    init(_ response: Response) { self.response = response }
}
