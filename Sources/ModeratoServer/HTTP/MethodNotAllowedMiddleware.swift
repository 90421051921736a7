import Hummingbird
import ModeratoCore

/// What the router answers when no route has the request's path *and* method: `405` with `Allow`
/// for a path that exists (RFC 9110 §15.5.6), `204` with `Allow` for a plain `OPTIONS` there, and
/// the usual `404` for a path that does not. A `HEAD` request gets the head of that answer only.
///
/// Added to the router after every route (see `Router.answerWrongMethods()`), so it wraps nothing
/// but the router's not-found responder; the telemetry, security-header and CORS middlewares,
/// added first, still wrap it.
struct MethodNotAllowedMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    let table: MethodTable
    let localization: Localization

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        if let entry = table.resolve(request.uri.path) {
            // Logs and metrics name the route, as for any other request to it.
            context.coreContext.endpointPath.value = entry.pattern
            if request.method == .options {
                response = Response(status: .noContent, headers: [.allow: entry.allow])
            } else {
                var problem = Problem(
                    .methodNotAllowed, detail: Message("problem.method_not_allowed.allow_detail", ["allow": entry.allow])
                )
                problem.headers[.allow] = entry.allow
                response = problem.response(in: localization.localizer(for: request))
            }
        } else {
            do {
                response = try await next(request, context)
            } catch {
                // Converted here (by the one function that does it) so a HEAD 404 loses its body too.
                response = ProblemMiddleware.problem(for: error, context: context).response(in: localization.localizer(for: request))
            }
        }
        // A response to HEAD has no content (RFC 9110 §9.3.2); routes with GET get theirs from the
        // router's generated HEAD endpoints, everything else here.
        return request.method == .head ? response.createHeadResponse() : response
    }
}

extension Router where Context == AppRequestContext {
    /// Answers wrong methods on known paths with 405 and `Allow`. Call it once, after the last route
    /// is added: the method table is read off `routes` at that moment.
    func answerWrongMethods(localization: Localization) {
        add(middleware: MethodNotAllowedMiddleware(table: MethodTable(routes: routes), localization: localization))
    }
}
