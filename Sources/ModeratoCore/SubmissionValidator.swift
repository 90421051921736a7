/// Every rule a submission must pass, in one place, returning every failing field at once.
///
/// Field names in errors are the canonical (JSON) names of SPEC §3.1: `body`, `author`, `email`,
/// `url`, `post`, `parent`, whichever names the form used.
public struct SubmissionValidator: Sendable {
    public var limits: SubmissionLimits

    public init(limits: SubmissionLimits) {
        self.limits = limits
    }

    public func validate(_ submission: Submission) -> Result<ValidSubmission, SubmissionErrors> {
        var errors: [FieldError] = []
        func fail(_ field: String, _ message: String) {
            errors.append(FieldError(field: field, message: message))
        }

        // Line endings are normalised so the byte limit and the stored text don't depend on the browser.
        let body = (submission.body ?? "").replacingCRLF().trimmingWhitespace()
        if body.isEmpty {
            fail("body", "Please write a comment.")
        } else if body.utf8.count > limits.body {
            fail("body", "The comment is too long: at most \(limits.body) bytes, this one has \(body.utf8.count).")
        } else if body.containsControlCharactersExceptLineBreaks {
            fail("body", "The comment contains control characters; please remove them.")
        }

        let author = (submission.author ?? "").trimmingWhitespace()
        if author.isEmpty {
            fail("author", "Please enter your name.")
        } else if author.utf8.count > limits.author {
            fail("author", "The name is too long: at most \(limits.author) bytes, this one has \(author.utf8.count).")
        } else if author.containsControlCharacters {
            fail("author", "The name contains control characters; please remove them.")
        }

        let email = EmailAddress.normalize(submission.email ?? "")
        if email.isEmpty {
            fail("email", "Please enter your email address. It will not be published.")
        } else if email.utf8.count > limits.email {
            fail("email", "The email address is too long: at most \(limits.email) bytes.")
        } else if !EmailAddress.isValid(email) {
            fail("email", "Please enter a valid email address, such as name@example.org.")
        }

        var url: String?
        let rawURL = (submission.url ?? "").trimmingWhitespace()
        if !rawURL.isEmpty {
            if rawURL.utf8.count > limits.url {
                fail("url", "The website address is too long: at most \(limits.url) bytes.")
            } else if WebAddress(rawURL) == nil {
                fail("url", "The website must be a full address starting with http:// or https://.")
            } else {
                url = rawURL
            }
        }

        let post = (submission.post ?? "").trimmingWhitespace()
        if post.isEmpty {
            fail("post", "The form does not say which article the comment is for.")
        } else if post.utf8.count > SubmissionLimits.maxPostBytes {
            fail("post", "The article key is too long: at most \(SubmissionLimits.maxPostBytes) bytes.")
        } else if post.containsControlCharacters || !(post.utf8.first == UInt8(ascii: "/") || post.allSatisfy(\.isASCIIDigit)) {
            fail("post", "The article key must be a path starting with / or a number.")
        }

        var parent: Int64?
        let rawParent = (submission.parent ?? "").trimmingWhitespace()
        if !rawParent.isEmpty, rawParent != "0" {
            if rawParent.allSatisfy(\.isASCIIDigit), let id = Int64(rawParent), id > 0 {
                parent = id
            } else {
                fail("parent", "The comment you are replying to does not exist.")
            }
        }

        guard errors.isEmpty else { return .failure(SubmissionErrors(errors)) }
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
