/// The counts of an import's summary that reading alone can give (`--dry-run` prints them; the
/// store adds `already_imported` and subtracts it from `imported`).
public struct ImportTally: Sendable, Hashable {
    public private(set) var imported = 0
    public private(set) var approved = 0
    public private(set) var pending = 0
    public private(set) var spam = 0
    public private(set) var trash = 0
    public var skipped = 0
    private var postKeys = Set<String>()

    public init() {}

    /// Distinct posts with a record (a post handed out twice counts once).
    public var posts: Int { postKeys.count }

    public mutating func add(_ record: ImportRecord) {
        switch record {
        case .post(let post):
            postKeys.insert(post.key)
        case .comment(let comment):
            imported += 1
            switch comment.status {
            case .approved: approved += 1
            case .pending: pending += 1
            case .spam: spam += 1
            case .trash: trash += 1
            }
        }
    }
}
