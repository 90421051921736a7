/// Where an imported comment came from: enough to recognise it when the same export is imported again.
///
/// The post is part of the identity because hand-edited exports repeat comment ids across posts,
/// and both comments must come in.
public struct CommentSource: Sendable, Hashable, CustomStringConvertible {
    public var system: ImportFormat
    /// The source system's id of the post: a WordPress `wp:post_id`, a Disqus thread's `dsq:id`,
    /// an Isso thread id.
    public var post: String
    /// The source system's id of the comment within that post.
    public var comment: String

    public init(system: ImportFormat, post: String, comment: String) {
        self.system = system
        self.post = post
        self.comment = comment
    }

    public var description: String { "\(system.rawValue) post \(post) comment \(comment)" }
}
