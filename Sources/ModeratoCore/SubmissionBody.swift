/// The body of a comment submission, parsed from either format SPEC §3.1 accepts: an HTML form
/// (`application/x-www-form-urlencoded`, WordPress field names) or a JSON object.
///
/// Pure and total: any bytes give either a `Parsed` submission or a `Malformed` error (400), which
/// is what the fuzz targets in `Tests/Fuzz` hold it to.
public enum SubmissionBody {
    public enum Format: Sendable, Equatable {
        case form, json
    }

    /// A submission as decoded, with what the response needs to know.
    public struct Parsed: Sendable {
        public var submission: Submission
        /// Field errors found while decoding (a JSON number where text belongs, say); merged with
        /// the validator's so the client still sees every problem at once.
        public var typeErrors: [FieldError] = []
        /// The form's `redirect_to`, untrusted until checked against `site.origins`.
        public var redirectTo: String?
    }

    /// Why a body cannot be read at all (400), for a person.
    public struct Malformed: Error, Equatable {
        public var message: Message
    }

    /// The hidden field that only bots fill in.
    public static let honeypotField = "moderato_hp"

    public static func parse(_ bytes: some Collection<UInt8>, as format: Format) throws(Malformed) -> Parsed {
        // One copy into an array: the readers below then run specialised for it, rather than
        // through the generic witnesses of whatever the caller holds (a ByteBuffer's view), which
        // made reading a form a quarter of a form submission's instructions.
        let contiguous = Array(bytes)
        switch format {
        case .form: return try parseForm(contiguous)
        case .json: return try parseJSON(contiguous)
        }
    }

    static func parseForm(_ bytes: [UInt8]) throws(Malformed) -> Parsed {
        let fields: FormFields
        do {
            fields = try FormFields(parsing: bytes)
        } catch {
            throw Malformed(message: error.message)
        }
        return Parsed(
            submission: Submission(
                body: fields["comment"], author: fields["author"], email: fields["email"], url: fields["url"],
                post: fields["comment_post_ID"] ?? fields["post"], parent: fields["comment_parent"],
                honeypot: fields[honeypotField]
            ),
            redirectTo: fields["redirect_to"]
        )
    }

    /// The fields a JSON submission has; any others are read past.
    public static let jsonFields = ["body", "author", "email", "url", "post", "parent", honeypotField]

    static func parseJSON(_ bytes: [UInt8]) throws(Malformed) -> Parsed {
        // Refused before anything else (Foundation's decoder, used here before, would have
        // replaced invalid UTF-8 with U+FFFD).
        guard String(validating: bytes, as: UTF8.self) != nil else {
            throw Malformed(message: Message("body.invalid_utf8"))
        }
        let object: JSONObjectFields
        do {
            object = try JSONObjectFields(parsing: bytes, names: jsonFields)
        } catch .notAnObject {
            throw Malformed(message: Message("body.not_a_json_object"))
        } catch {
            throw Malformed(message: Message("body.invalid_json"))
        }
        var typeErrors: [FieldError] = []
        func text(_ name: String, numbersAllowed: Bool = false) -> String? {
            switch object[name] {
            case nil, .null: return nil
            case .string(let value): return value
            case .integer(let value) where numbersAllowed: return String(value)
            default:
                typeErrors.append(
                    FieldError(
                        field: name,
                        message: numbersAllowed
                            ? Message("field.not_number_or_text", ["field": name]) : Message("field.not_text", ["field": name])))
                return nil
            }
        }
        let submission = Submission(
            body: text("body"), author: text("author"), email: text("email"), url: text("url"),
            post: text("post", numbersAllowed: true), parent: text("parent", numbersAllowed: true),
            honeypot: text(honeypotField)
        )
        return Parsed(submission: submission, typeErrors: typeErrors)
    }
}

/// A top-level JSON value of a submission. Nested arrays and objects are recognised but not
/// decoded: no field of ours holds one, and skipping them keeps hostile nesting cheap.
public enum JSONScalar: Decodable, Sendable, Equatable {
    case string(String)
    case integer(Int64)
    case otherNumber
    case bool(Bool)
    case null
    case structured

    public init(from decoder: any Decoder) throws {
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
