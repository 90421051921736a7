/// Reads one export and hands out its posts and comments, one at a time, as it goes.
///
/// Readers stream: memory holds ids (to resolve parents), not the document or the bodies. A reply
/// that comes before its parent in the file is held until the parent is read.
public protocol CommentImportReader: Sendable {
    /// Calls `visit` for every post and comment, a post before its comments and a parent before
    /// its replies, and returns what was skipped. Throws `ImportError` when the file is malformed
    /// (after records may already have been handed out: the consumer keeps them in one
    /// transaction, or checks with a first pass), and rethrows whatever `visit` throws.
    func read(_ visit: (ImportRecord) throws -> Void) throws -> ImportSkips
}

/// What the caller decides about an import.
public struct ImportOptions: Sendable {
    /// Hashes emails and IPs with the install's keyring.
    public var hasher: PersonalDataHasher
    /// How WordPress items become post keys (`--post-key`).
    public var wordpressPostKey: WordPressPostKey
    /// Told how far the reader is, now and then: bytes read of the file's size (rows for Isso).
    public var progress: (@Sendable (_ done: Int64, _ total: Int64) -> Void)?

    public init(
        hasher: PersonalDataHasher, wordpressPostKey: WordPressPostKey = .id,
        progress: (@Sendable (_ done: Int64, _ total: Int64) -> Void)? = nil
    ) {
        self.hasher = hasher
        self.wordpressPostKey = wordpressPostKey
        self.progress = progress
    }
}

/// `--post-key`: which part of a WordPress item keys its comments in Moderato.
public enum WordPressPostKey: String, Sendable, Hashable, CaseIterable {
    /// `<wp:post_id>`: what a WordPress theme's form sends as `comment_post_ID`.
    case id
    /// The path and query of the item's `<link>`, exactly as written (`location.pathname`).
    case path
}
