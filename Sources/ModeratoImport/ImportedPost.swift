/// A post (thread) read from another system.
///
/// Readers hand a post out before its first comment. The same key can come more than once (two
/// WordPress items or Disqus threads with the same path, or a closed status found after the
/// comments): the consumer keeps one post per key, closed if any record says so.
public struct ImportedPost: Sendable, Hashable {
    /// Moderato's post key (NFC, 1–512 bytes, a path or a number).
    public var key: String
    public var closed: Bool
    /// The title in the source, for messages; Moderato does not store it.
    public var title: String?

    public init(key: String, closed: Bool, title: String? = nil) {
        self.key = key
        self.closed = closed
        self.title = title
    }
}

/// One thing a reader hands out, in the order the consumer can store it: a post before its
/// comments, a parent before its replies.
public enum ImportRecord: Sendable, Hashable {
    case post(ImportedPost)
    case comment(ImportedComment)
}
