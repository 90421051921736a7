import Crypto
import Hummingbird
import ModeratoCore
import Synchronization

/// A public response rendered once: its bytes, their strong ETag, and the headers of both of its
/// answers (200 and 304), built once too — a cached read only picks them up.
struct RenderedResponse: Sendable {
    let body: ByteBuffer
    let etag: String
    let contentType: String
    /// `Content-Language`, for text people read (a feed, a page); `nil` for data.
    let contentLanguage: String?
    private let okHeaders: HTTPFields
    private let notModifiedHeaders: HTTPFields

    /// - Parameter maxAge: `Cache-Control: public, max-age=…`; `nil` for `no-cache`.
    init(bytes: some Collection<UInt8> & Sendable, contentType: String, contentLanguage: String? = nil, maxAge: Int?) {
        body = ByteBuffer(bytes: bytes)
        // Strong: derived from the exact bytes, so equal ETags mean equal bodies, across restarts too.
        etag = "\"" + SHA256.hash(data: Array(bytes)).prefix(12).hexString + "\""
        self.contentType = contentType
        self.contentLanguage = contentLanguage
        let cacheControl = maxAge.map { "public, max-age=\($0)" } ?? "no-cache"
        notModifiedHeaders = [.eTag: etag, .cacheControl: cacheControl]
        var headers = notModifiedHeaders
        headers[.contentType] = contentType
        if let contentLanguage { headers[.contentLanguage] = contentLanguage }
        okHeaders = headers
    }

    /// 200 with the body, or 304 when the client already holds these bytes.
    func response(to request: Request) -> Response {
        if let condition = request.headers[.ifNoneMatch], Self.matches(condition, etag: etag) {
            return Response(status: .notModified, headers: notModifiedHeaders)
        }
        return Response(status: .ok, headers: okHeaders, body: .init(byteBuffer: body))
    }

    /// `If-None-Match` uses the weak comparison (RFC 9110 §13.1.2): `W/` is ignored.
    static func matches(_ condition: String, etag: String) -> Bool {
        condition.split(separator: ",").contains { candidate in
            var tag = String(candidate).trimmingWhitespace()
            if tag == "*" { return true }
            if tag.hasPrefix("W/") { tag.removeFirst(2) }
            return tag == etag
        }
    }
}

/// Rendered public responses, each valid for the versions of the posts it shows.
///
/// Bounded by bytes, not entries: the least recently used responses go first when the budget is
/// passed, so a crawler asking for endless distinct pages cannot grow memory without limit.
final class ResponseCache: Sendable {
    private struct Entry {
        var response: RenderedResponse
        var versions: [Int64]
        var lastUse: UInt64
        var size: Int
    }

    private struct State {
        var entries: [String: Entry] = [:]
        var bytes = 0
        var clock: UInt64 = 0
    }

    private let state = Mutex(State())
    let budget: Int
    let metrics: ServerMetrics?

    init(budgetBytes: Int = 16 << 20, metrics: ServerMetrics? = nil) {
        budget = budgetBytes
        self.metrics = metrics
    }

    /// The cached response for `key` when it was rendered at exactly `versions`.
    func lookup(_ key: String, versions: [Int64]) -> RenderedResponse? {
        let found: RenderedResponse? = state.withLock { state in
            state.clock &+= 1
            guard var entry = state.entries[key], entry.versions == versions else { return nil }
            entry.lastUse = state.clock
            state.entries[key] = entry
            return entry.response
        }
        metrics?.cache(hit: found != nil)
        return found
    }

    func store(_ response: RenderedResponse, for key: String, versions: [Int64]) {
        let size = response.body.readableBytes + key.utf8.count + 128
        guard size <= budget / 4 else { return }
        state.withLock { state in
            state.clock &+= 1
            if let old = state.entries[key] { state.bytes -= old.size }
            state.entries[key] = Entry(response: response, versions: versions, lastUse: state.clock, size: size)
            state.bytes += size
            if state.bytes > budget { Self.evict(&state, downTo: budget * 3 / 4) }
        }
    }

    private static func evict(_ state: inout State, downTo target: Int) {
        for (key, entry) in state.entries.sorted(by: { $0.value.lastUse < $1.value.lastUse }) {
            guard state.bytes > target else { break }
            state.entries[key] = nil
            state.bytes -= entry.size
        }
    }

    var count: Int { state.withLock { $0.entries.count } }
    var bytes: Int { state.withLock { $0.bytes } }
}
