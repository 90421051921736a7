/// Maximum sizes of the submitted fields, in UTF-8 bytes (WordPress's limits by default).
public struct SubmissionLimits: Sendable, Equatable {
    public var author: Int
    public var email: Int
    public var url: Int
    public var body: Int

    /// The longest thread key accepted, in bytes.
    public static let maxPostBytes = 512

    public init(author: Int = 245, email: Int = 100, url: Int = 200, body: Int = 65525) {
        self.author = author
        self.email = email
        self.url = url
        self.body = body
    }
}
