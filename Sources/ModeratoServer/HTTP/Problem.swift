import Foundation
import Hummingbird
import ModeratoCore

/// An RFC 9457 problem: the one shape of every error Moderato answers with (SPEC §3).
public struct Problem: HTTPResponseError, Encodable, Sendable {
    public var status: HTTPResponse.Status
    public var title: String
    public var detail: String
    public var errors: [FieldError]
    /// Extra headers, such as `Retry-After` or `WWW-Authenticate`.
    public var headers: HTTPFields = [:]

    public init(_ status: HTTPResponse.Status, title: String? = nil, detail: String, errors: [FieldError] = []) {
        self.status = status
        self.title = title ?? status.reasonPhrase
        self.detail = detail
        self.errors = errors
    }

    enum CodingKeys: String, CodingKey {
        case type, title, status, detail, errors
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode("about:blank", forKey: .type)
        try container.encode(title, forKey: .title)
        try container.encode(Int(status.code), forKey: .status)
        try container.encode(detail, forKey: .detail)
        try container.encode(errors, forKey: .errors)
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        problemResponse()
    }

    func problemResponse() -> Response {
        var fields = headers
        fields[.contentType] = "application/problem+json"
        let body = (try? JSONEncoder.moderato.encode(self)) ?? Data()
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}

extension Problem {
    static func badRequest(_ detail: String) -> Problem {
        Problem(.badRequest, title: "Malformed request", detail: detail)
    }

    static func invalid(_ errors: [FieldError]) -> Problem {
        Problem(
            .unprocessableContent, title: "The comment could not be accepted",
            detail: errors.map(\.message).joined(separator: " "), errors: errors
        )
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
