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

    /// A 400 naming the parameter that is missing or wrong.
    static func invalid(_ name: String, _ message: String) -> Problem {
        var problem = Problem.badRequest(message)
        problem.errors = [FieldError(field: name, message: message)]
        return problem
    }

    /// A thread key, by the same rule as a submission's `post` (`PostKey`, normalised to NFC).
    static func post(_ text: String, parameter: String = "post") throws(Problem) -> PostKey {
        do {
            return try PostKey(text)
        } catch .empty {
            throw invalid(parameter, "The post parameter is empty; give the thread key, such as ?post=/2025/11/my-article/.")
        } catch {
            throw invalid(parameter, "The post parameter must be a path starting with / or a number, at most \(PostKey.maxBytes) bytes.")
        }
    }

    /// The one required `post`.
    func post() throws(Problem) -> PostKey {
        guard let text = fields["post"] else {
            throw Self.invalid("post", "The post parameter is required, such as ?post=/2025/11/my-article/.")
        }
        return try Self.post(text)
    }

    /// An optional integer parameter within `range`.
    func integer(_ name: String, in range: ClosedRange<Int>, default value: Int) throws(Problem) -> Int {
        guard let text = fields[name] else { return value }
        guard text.isASCIIDigits, let number = Int(text), range.contains(number) else {
            throw Self.invalid(name, "The \(name) parameter must be a whole number from \(range.lowerBound) to \(range.upperBound).")
        }
        return number
    }
}
