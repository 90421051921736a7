import HTTPTypes
import Hummingbird

/// Headers every response carries: `X-Content-Type-Options: nosniff`; HTML pages also get a strict
/// Content-Security-Policy (no inline script or style, no framing).
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
        var response = try await next(request, context)
        response.headers[.xContentTypeOptions] = "nosniff"
        if response.headers[.contentType]?.hasPrefix("text/html") == true {
            response.headers[.contentSecurityPolicy] = contentSecurityPolicy
            response.headers[.xFrameOptions] = "DENY"
            response.headers[.referrerPolicy] = "strict-origin-when-cross-origin"
        }
        return response
    }
}

extension HTTPField.Name {
    static let xFrameOptions = HTTPField.Name("X-Frame-Options")!
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
}
