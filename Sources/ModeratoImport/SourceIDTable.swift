/// Source ids as small integers, so that remembering every comment of a large export costs a few
/// bytes each instead of two strings.
///
/// A canonical decimal comment id (WordPress, Disqus, Isso all use them) is its own number; any
/// other id gets a negative number from a table. Post ids are interned (there are few posts).
struct SourceIDTable {
    struct Key: Hashable, Comparable {
        var post: Int32
        var comment: Int64

        static func < (lhs: Key, rhs: Key) -> Bool {
            (lhs.post, lhs.comment) < (rhs.post, rhs.comment)
        }
    }

    private var posts: [String: Int32] = [:]
    private var otherComments: [String: Int64] = [:]
    private var otherCommentNames: [String] = []

    mutating func key(post: String, comment: String) -> Key {
        Key(post: postNumber(post), comment: commentNumber(comment))
    }

    /// The comment id as it was written in the file.
    func commentID(of key: Key) -> String {
        key.comment >= 0 ? String(key.comment) : otherCommentNames[Int(-key.comment - 1)]
    }

    private mutating func postNumber(_ post: String) -> Int32 {
        if let number = posts[post] { return number }
        let number = Int32(posts.count)
        posts[post] = number
        return number
    }

    private mutating func commentNumber(_ comment: String) -> Int64 {
        let bytes = comment.utf8
        let isCanonical =
            !bytes.isEmpty && bytes.count <= 18
            && bytes.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
            && (bytes.first != UInt8(ascii: "0") || bytes.count == 1)
        if isCanonical, let number = Int64(comment) { return number }
        if let number = otherComments[comment] { return number }
        otherCommentNames.append(comment)
        let number = -Int64(otherCommentNames.count)
        otherComments[comment] = number
        return number
    }
}
