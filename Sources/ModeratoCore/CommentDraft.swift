/// A valid submission with its personal data replaced by keyed hashes: what the store receives.
/// From here on nothing holds the plain email or IP.
public struct CommentDraft: Sendable, Equatable {
    public var post: PostKey
    public var parent: Int64?
    public var author: String
    public var url: String?
    public var body: String
    public var emailHash: String
    public var ipHash: String?
    public var isHoneypotFilled: Bool

    public init(
        post: PostKey, parent: Int64?, author: String, url: String?, body: String,
        emailHash: String, ipHash: String?, isHoneypotFilled: Bool = false
    ) {
        self.post = post
        self.parent = parent
        self.author = author
        self.url = url
        self.body = body
        self.emailHash = emailHash
        self.ipHash = ipHash
        self.isHoneypotFilled = isHoneypotFilled
    }
}

extension ValidSubmission {
    /// Hashes the email (and the client IP, when known) and drops the plain address.
    public func draft(keyring: Keyring, clientIP: String?) -> CommentDraft {
        CommentDraft(
            post: post, parent: parent, author: author, url: url, body: body,
            emailHash: keyring.emailHash(normalizedEmail: normalizedEmail),
            ipHash: clientIP.map(keyring.ipHash), isHoneypotFilled: isHoneypotFilled
        )
    }
}

/// Why the store turned a valid submission away. Each case maps to one HTTP status in one place.
public enum SubmissionRefusal: Error, Sendable, Equatable {
    /// The post is closed for comments (403).
    case postClosed
    /// The parent does not exist, is not approved, or belongs to another post (422 on `parent`).
    case parentNotFound
    /// Same post, parent, email hash and body as an existing comment not in the trash (409).
    case duplicate
    /// The same client or email commented less than `limits.flood_seconds` ago (429);
    /// `retryAfter` is the whole seconds left.
    case flood(retryAfter: Int)
}
