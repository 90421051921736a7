import Hummingbird
import ModeratoCore

import Foundation

/// A submission as decoded from either body format, with what the response needs to know.
struct DecodedSubmission: Sendable {
    var submission: Submission
    /// Field errors found while decoding (a JSON number where text belongs, say); merged with the
    /// validator's so the client still sees every problem at once.
    var typeErrors: [FieldError] = []
    /// The form's `redirect_to`, untrusted until checked against `site.origins`.
    var redirectTo: String?
    var isJSON: Bool
}

/// Reads a submission body — urlencoded form (WordPress field names) or JSON — within the size limit.
struct SubmissionDecoder: Sendable {
    var maxBodyBytes: Int

    enum BodyFormat {
        case form, json
    }

    func decode(_ request: inout Request) async throws -> DecodedSubmission {
        let format = try Self.format(of: request)
        let bytes = try await readBody(&request)
        switch format {
        case .form: return try decodeForm(bytes)
        case .json: return try decodeJSON(bytes)
        }
    }

    static func format(of request: Request) throws(Problem) -> BodyFormat {
        let raw = request.headers[.contentType] ?? ""
        let parameters = raw.lowercased().split(separator: ";").map { String($0).trimmingWhitespace() }
        let mediaType = parameters.first ?? ""
        let charset = parameters.dropFirst().first { $0.hasPrefix("charset=") }?.dropFirst("charset=".count)
        if let charset, charset.filter({ $0 != "\"" }) != "utf-8" {
            throw Problem(.unsupportedMediaType, detail: "Send the comment as UTF-8 text (charset=\(charset) is not supported).")
        }
        switch mediaType {
        case "application/x-www-form-urlencoded": return .form
        case "application/json": return .json
        case "":
            throw Problem(.unsupportedMediaType, detail: "The request has no Content-Type; send application/x-www-form-urlencoded or application/json.")
        default:
            throw Problem(.unsupportedMediaType, detail: "Content-Type \(mediaType) is not supported; send application/x-www-form-urlencoded or application/json.")
        }
    }

    /// The body, refusing it with 413 as soon as it is known to be too large: from `Content-Length`
    /// before reading anything, otherwise while streaming, before the rest is buffered.
    func readBody(_ request: inout Request) async throws -> ByteBuffer {
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > maxBodyBytes {
            throw tooLarge
        }
        do {
            return try await request.collectBody(upTo: maxBodyBytes)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw tooLarge
        }
    }

    private var tooLarge: Problem {
        Problem(.contentTooLarge, detail: "The request body is larger than \(maxBodyBytes) bytes.")
    }

    func decodeForm(_ body: ByteBuffer) throws -> DecodedSubmission {
        let fields: FormFields
        do {
            fields = try FormFields(parsing: body.readableBytesView)
        } catch {
            throw Problem.badRequest(error.message)
        }
        return DecodedSubmission(
            submission: Submission(
                body: fields["comment"], author: fields["author"], email: fields["email"], url: fields["url"],
                post: fields["comment_post_ID"] ?? fields["post"], parent: fields["comment_parent"],
                honeypot: fields[Self.honeypotField]
            ),
            redirectTo: fields["redirect_to"],
            isJSON: false
        )
    }

    func decodeJSON(_ body: ByteBuffer) throws -> DecodedSubmission {
        // Foundation's decoder quietly replaces invalid UTF-8 with U+FFFD; we refuse it instead.
        guard String(validating: body.readableBytesView, as: UTF8.self) != nil else {
            throw Problem.badRequest("The request body is not valid UTF-8 text.")
        }
        let object: [String: JSONScalar]
        do {
            object = try JSONDecoder().decode([String: JSONScalar].self, from: Data(body.readableBytesView))
        } catch DecodingError.typeMismatch {
            throw Problem.badRequest("The request body must be a JSON object, such as {\"body\": \"…\", \"author\": \"…\"}.")
        } catch {
            throw Problem.badRequest("The request body is not valid JSON.")
        }
        var typeErrors: [FieldError] = []
        func text(_ name: String, numbersAllowed: Bool = false) -> String? {
            switch object[name] {
            case nil, .null: return nil
            case .string(let value): return value
            case .integer(let value) where numbersAllowed: return String(value)
            default:
                typeErrors.append(FieldError(field: name, message: numbersAllowed ? "\(name) must be a number or text." : "\(name) must be text."))
                return nil
            }
        }
        let submission = Submission(
            body: text("body"), author: text("author"), email: text("email"), url: text("url"),
            post: text("post", numbersAllowed: true), parent: text("parent", numbersAllowed: true),
            honeypot: text(Self.honeypotField)
        )
        return DecodedSubmission(submission: submission, typeErrors: typeErrors, isJSON: true)
    }

    /// The hidden field that only bots fill in.
    static let honeypotField = "moderato_hp"
}

/// A top-level JSON value of a submission. Nested arrays and objects are recognised but not
/// decoded: no field of ours holds one, and skipping them keeps hostile nesting cheap.
enum JSONScalar: Decodable, Sendable {
    case string(String)
    case integer(Int64)
    case otherNumber
    case bool(Bool)
    case null
    case structured

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .integer(value)
        } else if (try? container.decode(Double.self)) != nil {
            self = .otherNumber
        } else {
            self = .structured
        }
    }
}
