/// A post as the WXR writer needs it: its key and whether it takes new comments.
public struct ExportedPost: Sendable, Hashable {
    public var key: String
    public var closed: Bool

    public init(key: String, closed: Bool) {
        self.key = key
        self.closed = closed
    }
}
