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
            switch error {
            case .badPercentEncoding: throw Problem.badRequest(Message("query.bad_percent_escape"))
            case .invalidUTF8: throw Problem.badRequest(Message("query.invalid_utf8"))
            case .tooManyFields(let limit): throw Problem.badRequest(Message("query.too_many_parameters", ["limit": String(limit)]))
            }
        }
    }

    /// A 400 naming the parameter that is missing or wrong.
    static func invalid(_ name: String, _ message: Message) -> Problem {
        var problem = Problem.badRequest(message)
        problem.errors = [FieldError(field: name, message: message)]
        return problem
    }

    /// A thread key, by the same rule as a submission's `post` (`PostKey`, normalised to NFC).
    static func post(_ text: String, parameter: String = "post") throws(Problem) -> PostKey {
        do {
            return try PostKey(text)
        } catch .empty {
            throw invalid(parameter, Message("query.post.empty", ["parameter": parameter]))
        } catch {
            throw invalid(parameter, Message("query.post.invalid", ["parameter": parameter, "limit": String(PostKey.maxBytes)]))
        }
    }

    /// The one required `post`.
    func post() throws(Problem) -> PostKey {
        guard let text = fields["post"] else {
            throw Self.invalid("post", Message("query.post.required"))
        }
        return try Self.post(text)
    }

    /// An optional integer parameter within `range`.
    func integer(_ name: String, in range: ClosedRange<Int>, default value: Int) throws(Problem) -> Int {
        guard let text = fields[name] else { return value }
        guard text.isASCIIDigits, let number = Int(text), range.contains(number) else {
            throw Self.invalid(
                name, Message("query.integer", ["parameter": name, "min": String(range.lowerBound), "max": String(range.upperBound)]))
        }
        return number
    }
}
