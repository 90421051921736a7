/// A comment as it arrived over HTTP: raw strings, nothing checked yet.
///
/// `email` is the only place a plain address ever lives, and only for the length of one request:
/// validation turns it into a normalised address that the `Keyring` hashes straight away.
public struct Submission: Sendable, Equatable {
    public var body: String?
    public var author: String?
    public var email: String?
    public var url: String?
    public var post: String?
    public var parent: String?
    /// The hidden `moderato_hp` field; people leave it empty, naive bots fill it in.
    public var honeypot: String?

    public init(
        body: String? = nil, author: String? = nil, email: String? = nil, url: String? = nil,
        post: String? = nil, parent: String? = nil, honeypot: String? = nil
    ) {
        self.body = body
        self.author = author
        self.email = email
        self.url = url
        self.post = post
        self.parent = parent
        self.honeypot = honeypot
    }
}

/// One problem with one field, for the person who filled in the form.
public struct FieldError: Sendable, Equatable {
    /// The canonical (JSON) field name, whatever the form called it.
    public var field: String
    /// What to tell her; worded in her language where it is answered.
    public var message: Message

    public init(field: String, message: Message) {
        self.field = field
        self.message = message
    }
}

/// A submission that passed every rule. The email is normalised (trimmed, lower-cased) and about to be hashed.
public struct ValidSubmission: Sendable, Equatable {
    public var body: String
    public var author: String
    public var normalizedEmail: String
    public var url: String?
    public var post: PostKey
    /// `nil` for a top-level comment.
    public var parent: Int64?
    public var isHoneypotFilled: Bool
}
