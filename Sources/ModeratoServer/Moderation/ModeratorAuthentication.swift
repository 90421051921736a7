import Foundation
import Hummingbird
import ModeratoCore
import ModeratoStore

/// Bearer-token authentication for `/moderation/…` (SPEC §3.3).
///
/// The presented token is hashed and compared in constant time with every active token's stored
/// hash; a missing, unknown or revoked token is a 401 with `WWW-Authenticate: Bearer`.
struct ModeratorAuthentication: RouterMiddleware {
    typealias Context = AppRequestContext

    let tokens: any ModerationTokens

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") else {
            throw Self.unauthorized(detail: Message("problem.token_missing.detail"), invalid: false)
        }
        let presented = APITokenSecret.hash(String(header.dropFirst("bearer ".count)).trimmingWhitespace())
        var match: ActiveToken?
        // Every stored hash is compared, whether or not one already matched.
        for token in try await tokens.activeTokenHashes() where APITokenSecret.constantTimeEquals(token.hash, presented) {
            match = token
        }
        guard let name = match?.name else {
            throw Self.unauthorized(detail: Message("problem.token_invalid.detail"), invalid: true)
        }
        // "Last used" to the minute is enough; a write on every request would queue behind comments.
        if (match?.lastUsedAt).map({ Date().timeIntervalSince($0) > 60 }) ?? true {
            try? await tokens.touchToken(name: name)
        }
        var context = context
        context.moderator = "token:\(name)"
        return try await next(request, context)
    }

    static func unauthorized(detail: Message, invalid: Bool) -> Problem {
        var problem = Problem(.unauthorized, title: Message("problem.unauthorized.title"), detail: detail)
        problem.headers[.wwwAuthenticate] = invalid ? "Bearer realm=\"moderato\", error=\"invalid_token\"" : "Bearer realm=\"moderato\""
        return problem
    }
}
