import HTTPTypes
import Hummingbird
import Logging
import NIOHTTP1

/// Headers every response carries, and the one place errors become responses.
///
/// Every answer gets `X-Content-Type-Options: nosniff`; HTML pages also get a strict
/// Content-Security-Policy (no inline script or style, no framing). Errors thrown anywhere below —
/// ours, or Hummingbird's own 404/405 — are answered as problem+json, and anything unexpected as a
/// plain 500 that names nothing internal.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    let contentSecurityPolicy: String

    init(siteOrigins: [String]) {
        // form-action must allow the blog's origins too: after a form post the 303 leads there,
        // and browsers apply form-action to redirects.
        let formTargets = (["'self'"] + siteOrigins).joined(separator: " ")
        contentSecurityPolicy = [
            "default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
            "connect-src 'self'", "form-action \(formTargets)", "frame-ancestors 'none'", "base-uri 'none'",
        ].joined(separator: "; ")
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            response = Self.response(for: error, context: context)
        }
        response.headers[.xContentTypeOptions] = "nosniff"
        if response.headers[.contentType]?.hasPrefix("text/html") == true {
            response.headers[.contentSecurityPolicy] = contentSecurityPolicy
            response.headers[.xFrameOptions] = "DENY"
            response.headers[.referrerPolicy] = "strict-origin-when-cross-origin"
        }
        return response
    }

    /// Any error as the answer a client gets: problem+json always.
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

extension HTTPField.Name {
    static let xFrameOptions = HTTPField.Name("X-Frame-Options")!
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
}
