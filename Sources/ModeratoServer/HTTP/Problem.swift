import Foundation
import Hummingbird
import ModeratoCore

/// An RFC 9457 problem: the one shape of every error Moderato answers with (SPEC §3).
///
/// It holds messages, not words: `title`, `detail` and each `errors[].message` are worded in the
/// reader's language when the answer is written (`response(in:)`); `errors[].field` is always
/// the JSON field name.
public struct Problem: HTTPResponseError, Sendable {
    public var status: HTTPResponse.Status
    public var title: Message
    /// `nil`: the field errors' messages, one after another (a 422's summary in one line).
    public var detail: Message?
    public var errors: [FieldError]
    /// Extra headers, such as `Retry-After` or `WWW-Authenticate`.
    public var headers: HTTPFields = [:]

    /// `title` defaults to the status's own title.
    public init(_ status: HTTPResponse.Status, title: Message? = nil, detail: Message?, errors: [FieldError] = []) {
        self.status = status
        self.title = title ?? Self.title(of: status)
        self.detail = detail
        self.errors = errors
    }

    /// Only reached when an error escapes `ProblemMiddleware` (it answers every route, in the
    /// request's language), so the configuration's language is out of reach here.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        response(in: Localization.standard.localizer(for: request))
    }

    /// application/problem+json in `localizer`'s language, with `Content-Language`.
    func response(in localizer: Localizer) -> Response {
        var fields = headers
        fields[.contentType] = "application/problem+json"
        localizer.label(&fields)
        let body = (try? JSONEncoder.moderato.encode(Worded(self, localizer))) ?? Data()
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// The problem as it is sent: every message worded.
    struct Worded: Encodable {
        struct Field: Encodable {
            var field: String
            var message: String
        }

        var type = "about:blank"
        var title: String
        var status: Int
        var detail: String
        var errors: [Field]

        init(_ problem: Problem, _ localizer: Localizer) {
            title = localizer(problem.title)
            status = Int(problem.status.code)
            errors = problem.errors.map { Field(field: $0.field, message: localizer($0.message)) }
            detail = problem.detail.map { localizer($0) } ?? localizer.sentences(problem.errors.map(\.message))
        }
    }

    /// The title of a status people may meet, in the catalogues; the reason phrase for others.
    static func title(of status: HTTPResponse.Status) -> Message {
        switch status.code {
        case 400: Message("status.bad_request")
        case 401: Message("status.unauthorized")
        case 403: Message("status.forbidden")
        case 404: Message("status.not_found")
        case 405: Message("status.method_not_allowed")
        case 408: Message("status.request_timeout")
        case 409: Message("status.conflict")
        case 413: Message("status.content_too_large")
        case 415: Message("status.unsupported_media_type")
        case 422: Message("status.unprocessable_content")
        case 429: Message("status.too_many_requests")
        case 500: Message("status.internal_server_error")
        case 503: Message("status.service_unavailable")
        default: Message("status.other", ["code": String(status.code), "reason": status.reasonPhrase])
        }
    }
}

extension Problem {
    static func badRequest(_ detail: Message) -> Problem {
        Problem(.badRequest, title: Message("problem.malformed.title"), detail: detail)
    }

    /// 422 with every failing field; the detail repeats their messages, for clients that show one line.
    static func invalid(_ errors: [FieldError]) -> Problem {
        Problem(.unprocessableContent, title: Message("problem.invalid.title"), detail: nil, errors: errors)
    }
}

extension JSONEncoder {
    /// Moderato's JSON: snake_case keys written explicitly, RFC 3339 UTC dates, `/` unescaped.
    public static var moderato: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(RFC3339.string(from: date))
        }
        return encoder
    }
}
