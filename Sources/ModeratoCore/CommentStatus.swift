/// Where a comment stands in moderation. Only `approved` comments are ever public.
public enum CommentStatus: String, Sendable, Codable, CaseIterable, Hashable {
    case pending
    case approved
    case spam
    case trash
}
