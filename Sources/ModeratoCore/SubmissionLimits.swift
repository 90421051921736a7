/// Maximum sizes of the submitted fields, in UTF-8 bytes (WordPress's limits by default).
public struct SubmissionLimits: Sendable, Equatable {
    public var author: Int
    public var email: Int
    public var url: Int
    public var body: Int

    /// The largest request body a valid comment can need: a byte of text may take three once
    /// %-encoded by a form (`あ` is 3 bytes, `%E3%81%82` is 9) or escaped in JSON, plus the field
    /// names, the hidden fields and a long `redirect_to`.
    public var largestRequestBody: Int {
        3 * (body + author + email + url + PostKey.maxBytes) + 4096
    }

    public init(author: Int = 245, email: Int = 100, url: Int = 200, body: Int = 65525) {
        self.author = author
        self.email = email
        self.url = url
        self.body = body
    }
}
