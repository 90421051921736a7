import Hummingbird

/// Which methods each known path answers, read off `router.routes` once every route is added, so
/// a new route can never be missing from it.
///
/// A path is matched the way Hummingbird's trie router matches it: the raw path split on `/` with
/// empty segments dropped (so `/demo/` is `/demo`), a literal segment before a parameter one.
struct MethodTable: Sendable {
    /// One route pattern and the methods it answers.
    struct Entry: Sendable, Equatable {
        /// The pattern as the router names it (`/comments/{id}`), for logs and metrics.
        var pattern: String
        var segments: [Segment]
        /// What `Allow` lists: the routes' methods, HEAD where GET is answered, and OPTIONS.
        var methods: Set<HTTPRequest.Method>

        /// The `Allow` header: the usual methods in their usual order, then any others by name.
        var allow: String {
            methods.sorted { lhs, rhs in
                let (left, right) = (Self.rank(lhs), Self.rank(rhs))
                return left != right ? left < right : lhs.rawValue < rhs.rawValue
            }
            .map(\.rawValue).joined(separator: ", ")
        }

        static func rank(_ method: HTTPRequest.Method) -> Int {
            [.get, .head, .post, .put, .patch, .delete, .options].firstIndex(of: method) ?? 7
        }
    }

    enum Segment: Sendable, Equatable {
        case literal(String)
        /// `{id}`, `*` and their kin: any one segment. (Moderato's routes use `{name}` only.)
        case parameter

        var isLiteral: Bool { if case .literal = self { true } else { false } }
    }

    let entries: [Entry]

    /// - Parameter preflightEverywhere: whether OPTIONS is answered on every path (CORS preflight
    ///   and a plain `OPTIONS` listing `Allow`), and so belongs in every `Allow`.
    init(routes: [Router<AppRequestContext>.RouteDescription], preflightEverywhere: Bool = true) {
        var byPattern: [String: Entry] = [:]
        for route in routes {
            let pattern = route.path.description
            let segments = route.path.components.map { element -> Segment in
                let text = element.description
                return text.contains("{") || text.contains("*") ? .parameter : .literal(text)
            }
            byPattern[pattern, default: Entry(pattern: pattern, segments: segments, methods: [])].methods.insert(route.method)
        }
        entries = byPattern.values.map { entry in
            var entry = entry
            if entry.methods.contains(.get) { entry.methods.insert(.head) }
            if preflightEverywhere { entry.methods.insert(.options) }
            return entry
        }
        // Literal segments first at each level, as the router tries them.
        .sorted { $0.segments.lexicographicallyPrecedes($1.segments) { $0.isLiteral && !$1.isLiteral } }
    }

    /// The entry the router would resolve `path` to, or `nil` for a path no route has.
    func resolve(_ path: String) -> Entry? {
        let components = path.split(separator: "/", omittingEmptySubsequences: true)
        return entries.first { entry in
            entry.segments.count == components.count
                && zip(entry.segments, components).allSatisfy { segment, component in
                    switch segment {
                    case .literal(let text): text == component
                    case .parameter: true
                    }
                }
        }
    }
}
