import Foundation
import Hummingbird
import ModeratoCore
import NIOCore

typealias DecodedSubmission = SubmissionBody.Parsed

/// Reads a submission body — urlencoded form (WordPress field names) or JSON — within the size limit.
struct SubmissionDecoder: Sendable {
    var maxBodyBytes: Int
    /// How long a client may take to send the whole body; a slow sender gets 408.
    var timeout: Duration = .seconds(10)

    func decode(_ request: inout Request) async throws -> DecodedSubmission {
        let format = try Self.format(of: request)
        return try parse(try await readBody(&request), as: format)
    }

    static func format(of request: Request) throws(Problem) -> SubmissionBody.Format {
        let raw = request.headers[.contentType] ?? ""
        // What browsers and scripts send, compared whole before taking the header apart.
        if raw == "application/x-www-form-urlencoded" { return .form }
        if raw == "application/json" { return .json }
        let parameters = raw.lowercased().split(separator: ";").map { String($0).trimmingWhitespace() }
        let mediaType = parameters.first ?? ""
        let charset = parameters.dropFirst().first { $0.hasPrefix("charset=") }?.dropFirst("charset=".count)
        if let charset, charset.filter({ $0 != "\"" }) != "utf-8" {
            throw Problem(.unsupportedMediaType, detail: Message("problem.charset.detail", ["charset": String(charset)]))
        }
        switch mediaType {
        case "application/x-www-form-urlencoded": return .form
        case "application/json": return .json
        case "":
            throw Problem(.unsupportedMediaType, detail: Message("problem.no_content_type.detail"))
        default:
            throw Problem(.unsupportedMediaType, detail: Message("problem.content_type.detail", ["type": mediaType]))
        }
    }

    /// The body, refusing it with 413 as soon as it is known to be too large: from `Content-Length`
    /// before reading anything, otherwise while streaming, before the rest is buffered.
    func readBody(_ request: inout Request) async throws -> ByteBuffer {
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > maxBodyBytes {
            throw tooLarge
        }
        let body = request.body
        let limit = maxBodyBytes
        let timeout = self.timeout
        do {
            return try await withThrowingTaskGroup(of: ByteBuffer?.self) { group in
                group.addTask { try await body.collect(upTo: limit) }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    return nil
                }
                defer { group.cancelAll() }
                guard let first = try await group.next(), let buffer = first else { throw Self.slowBody }
                return buffer
            }
        } catch is NIOTooManyBytesError {
            throw tooLarge
        }
    }

    /// 408, closing the connection: a client trickling its body must not hold it open.
    static var slowBody: Problem {
        var problem = Problem(.requestTimeout, detail: Message("problem.slow_body.detail"))
        problem.headers[.connection] = "close"
        return problem
    }

    private var tooLarge: Problem {
        Problem(.contentTooLarge, detail: Message("problem.too_large.detail", ["limit": String(maxBodyBytes)]))
    }

    func parse(_ body: ByteBuffer, as format: SubmissionBody.Format) throws(Problem) -> DecodedSubmission {
        do {
            return try SubmissionBody.parse(body.readableBytesView, as: format)
        } catch {
            throw Problem.badRequest(error.message)
        }
    }
}
