/// Every rule a submission must pass, in one place, returning every failing field at once.
///
/// Field names in errors are the canonical (JSON) names of SPEC §3.1: `body`, `author`, `email`,
/// `url`, `post`, `parent`, whichever names the form used.
public struct SubmissionValidator: Sendable {
    public var limits: SubmissionLimits

    public init(limits: SubmissionLimits) {
        self.limits = limits
    }

    /// Characters that end or break out of an HTML attribute, refused in a website address.
    static let unsafeInLinks: Set<UInt8> = Set("\"'<>`".utf8)

    public func validate(_ submission: Submission) -> Result<ValidSubmission, SubmissionErrors> {
        var errors: [FieldError] = []
        func fail(_ field: String, _ message: Message) {
            errors.append(FieldError(field: field, message: message))
        }
        func bytes(_ limit: Int, _ text: String) -> [String: String] {
            ["limit": String(limit), "count": String(text.utf8.count)]
        }

        // Line endings are normalised so the byte limit and the stored text don't depend on the browser.
        let body = (submission.body ?? "").replacingCRLF().trimmingWhitespace()
        if body.isEmpty {
            fail("body", Message("field.body.missing"))
        } else if body.utf8.count > limits.body {
            fail("body", Message("field.body.too_long", bytes(limits.body, body)))
        } else if body.containsControlCharactersExceptLineBreaks {
            fail("body", Message("field.body.control_characters"))
        }

        let author = (submission.author ?? "").trimmingWhitespace()
        if author.isEmpty {
            fail("author", Message("field.author.missing"))
        } else if author.utf8.count > limits.author {
            fail("author", Message("field.author.too_long", bytes(limits.author, author)))
        } else if author.containsControlCharacters {
            fail("author", Message("field.author.control_characters"))
        }

        let email = EmailAddress.normalize(submission.email ?? "")
        if email.isEmpty {
            fail("email", Message("field.email.missing"))
        } else if email.utf8.count > limits.email {
            fail("email", Message("field.email.too_long", bytes(limits.email, email)))
        } else if !EmailAddress.isValid(email) {
            fail("email", Message("field.email.invalid"))
        }

        var url: String?
        let rawURL = (submission.url ?? "").trimmingWhitespace()
        if !rawURL.isEmpty {
            if rawURL.utf8.count > limits.url {
                fail("url", Message("field.url.too_long", bytes(limits.url, rawURL)))
            } else if WebAddress(rawURL) == nil {
                fail("url", Message("field.url.not_web_address"))
            } else if rawURL.utf8.contains(where: Self.unsafeInLinks.contains) {
                // Every consumer of the JSON and feeds gets a URL it can put in an attribute as is.
                fail("url", Message("field.url.unsafe_characters"))
            } else {
                url = rawURL
            }
        }

        var post: PostKey?
        do {
            post = try PostKey(submission.post ?? "")
        } catch .empty {
            fail("post", Message("field.post.missing"))
        } catch {
            fail("post", error.message)
        }

        var parent: Int64?
        let rawParent = (submission.parent ?? "").trimmingWhitespace()
        if !rawParent.isEmpty, rawParent != "0" {
            if rawParent.allSatisfy(\.isASCIIDigit), let id = Int64(rawParent), id > 0 {
                parent = id
            } else {
                fail("parent", Message("field.parent.invalid"))
            }
        }

        guard errors.isEmpty, let post else { return .failure(SubmissionErrors(errors)) }
        return .success(
            ValidSubmission(
                body: body, author: author, normalizedEmail: email, url: url, post: post, parent: parent,
                isHoneypotFilled: !(submission.honeypot ?? "").isEmpty
            )
        )
    }
}

/// The failing fields of one submission, in form order.
public struct SubmissionErrors: Error, Sendable, Equatable {
    public var fields: [FieldError]

    public init(_ fields: [FieldError]) {
        self.fields = fields
    }
}

extension String {
    func replacingCRLF() -> String {
        // Checked on bytes: as a Character, "\r\n" is one grapheme and does not "contain" "\r".
        guard utf8.contains(UInt8(ascii: "\r")) else { return self }
        // "\r\n" is a single Character in Swift, so it is matched whole here.
        return String(map { $0 == "\r\n" || $0 == "\r" ? "\n" : $0 })
    }
}
