import HTTPTypes
import Hummingbird
import Logging
import NIOHTTP1

/// The one place errors become responses: problem+json for ours (`Problem`) and Hummingbird's own
/// (404, 405, 413 …), a quiet 400 for broken HTTP, and a plain 500 that names nothing internal for
/// anything unexpected.
///
/// It is the innermost of the router's middlewares, so every middleware above it — telemetry,
/// security headers, CORS — deals with a response, never with an error: the log records the
/// status the client got, and an error answer carries CORS headers a page's script can read.
struct ProblemMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            return Self.response(for: error, context: context)
        }
    }

    static func response(for error: any Error, context: Context) -> Response {
        switch error {
        case let problem as Problem:
            return problem.problemResponse()
        case let error as HTTPError:
            var problem = Problem(error.status, detail: error.body ?? detail(for: error.status))
            problem.headers = error.headers
            return problem.problemResponse()
        case let error as any HTTPResponseError:
            return Problem(error.status, detail: detail(for: error.status)).problemResponse()
        case is HTTPParserError:
            // The client sent broken HTTP or went away mid-request: its fault, not ours.
            context.logger.debug("malformed or interrupted request")
            return Problem.badRequest("The request is not valid HTTP.").problemResponse()
        default:
            context.logger.error("unexpected error", metadata: ["error": "\(String(reflecting: type(of: error)))"])
            return Problem(.internalServerError, detail: "Something went wrong on our side; nothing was stored.").problemResponse()
        }
    }

    static func detail(for status: HTTPResponse.Status) -> String {
        switch status {
        case .notFound: "There is nothing at this address."
        case .methodNotAllowed: "This address does not accept that method."
        default: status.reasonPhrase
        }
    }
}
