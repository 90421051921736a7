import Hummingbird

/// CORS for the origins in `site.origins` only: the request's `Origin` is echoed when allowed and
/// nothing is added otherwise, so other sites' scripts cannot read Moderato's answers.
struct CORSMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    let allowedOrigins: Set<String>

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let origin = request.headers[.origin].flatMap { allowedOrigins.contains($0) ? $0 : nil }
        if request.method == .options, request.headers[.accessControlRequestMethod] != nil {
            var headers: HTTPFields = [.vary: "Origin"]
            if let origin {
                headers[.accessControlAllowOrigin] = origin
                headers[.accessControlAllowMethods] = "GET, POST, DELETE, OPTIONS"
                headers[.accessControlAllowHeaders] = "Content-Type, Accept, Accept-Language, Authorization, If-None-Match"
                headers[.accessControlMaxAge] = "86400"
            }
            return Response(status: .noContent, headers: headers)
        }
        // Errors arrive as responses (see `ProblemMiddleware`): a page's script can read a 422.
        var response = try await next(request, context)
        response.headers.addVary("Origin")
        if let origin {
            response.headers[.accessControlAllowOrigin] = origin
            response.headers[.accessControlExposeHeaders] = "ETag, Location, Retry-After"
        }
        return response
    }
}
