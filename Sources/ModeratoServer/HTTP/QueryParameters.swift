import Hummingbird
import ModeratoCore

/// A request's query string, decoded strictly, with the checks shared by the read endpoints.
/// Every failure is a 400 problem naming the parameter.
struct QueryParameters {
    let fields: FormFields

    init(_ request: Request) throws(Problem) {
        do {
            fields = try FormFields(query: request.uri.query)
        } catch {
            throw Problem.badRequest("The query string is malformed: \(error.message)")
        }
    }

    static func missing(_ name: String, _ message: String) -> Problem {
        var problem = Problem.badRequest(message)
        problem.errors = [FieldError(field: name, message: message)]
        return problem
    }

    /// A thread key, by the same rule as a submission's `post` (SPEC §3.1).
    static func post(_ raw: String, parameter: String = "post") throws(Problem) -> String {
        let text = raw.trimmingWhitespace()
        guard !text.isEmpty else {
            throw missing(parameter, "The post parameter is empty; give the thread key, such as ?post=/2025/11/my-article/.")
        }
        guard text.utf8.count <= SubmissionLimits.maxPostBytes, !text.containsControlCharacters,
              text.utf8.first == UInt8(ascii: "/") || text.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw missing(parameter, "The post parameter must be a path starting with / or a number, at most \(SubmissionLimits.maxPostBytes) bytes.")
        }
        return text
    }

    /// The one required `post`.
    func post() throws(Problem) -> String {
        guard let text = fields["post"] else {
            throw Self.missing("post", "The post parameter is required, such as ?post=/2025/11/my-article/.")
        }
        return try Self.post(text)
    }

    /// An optional integer parameter within `range`.
    func integer(_ name: String, in range: ClosedRange<Int>, default value: Int) throws(Problem) -> Int {
        guard let text = fields[name] else { return value }
        guard text.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int(text), range.contains(number) else {
            throw Self.missing(name, "The \(name) parameter must be a whole number from \(range.lowerBound) to \(range.upperBound).")
        }
        return number
    }
}
