import HTTPTypes
import Hummingbird
import Logging
import ModeratoCore
import NIOHTTP1

/// The one place errors become responses: problem+json for ours (`Problem`) and Hummingbird's own
/// (404, 405, 413 …), a quiet 400 for broken HTTP, and a plain 500 that names nothing internal for
/// anything unexpected — each worded in the language the request asks for (`Localization`).
///
/// It is the innermost of the router's middlewares, so every middleware above it — telemetry,
/// security headers, CORS — deals with a response, never with an error: the log records the
/// status the client got, and an error answer carries CORS headers a page's script can read.
struct ProblemMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    let localization: Localization

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            return Self.problem(for: error, context: context).response(in: localization.localizer(for: request))
        }
    }

    static func problem(for error: any Error, context: Context) -> Problem {
        switch error {
        case let problem as Problem:
            return problem
        case let error as HTTPError:
            // Hummingbird's own wording (error.body) is English only; ours is said in every language.
            var problem = Problem(error.status, detail: detail(for: error.status))
            problem.headers = error.headers
            return problem
        case let error as any HTTPResponseError:
            return Problem(error.status, detail: detail(for: error.status))
        case is HTTPParserError:
            // The client sent broken HTTP or went away mid-request: its fault, not ours.
            context.logger.debug("malformed or interrupted request")
            return Problem.badRequest(Message("problem.not_http.detail"))
        default:
            context.logger.error("unexpected error", metadata: ["error": "\(String(reflecting: type(of: error)))"])
            return Problem(.internalServerError, detail: Message("problem.internal.detail"))
        }
    }

    static func detail(for status: HTTPResponse.Status) -> Message {
        switch status {
        case .notFound: Message("problem.not_found.detail")
        case .methodNotAllowed: Message("problem.method_not_allowed.detail")
        default: Message("problem.status.detail", ["code": String(status.code), "reason": status.reasonPhrase])
        }
    }
}
