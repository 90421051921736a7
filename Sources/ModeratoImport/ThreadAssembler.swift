/// Puts a reader's comments in an order the store can insert, and resolves their parents.
///
/// Every comment is handed out after its post and after the comment it replies to. A reply to a
/// comment that was skipped (a deleted one without text, a pingback …) attaches to the nearest
/// ancestor that was imported, at any depth; a reply to a comment that is not in the file at all
/// (WordPress's exporter leaves spam out) becomes top-level and, with its own replies, is held for
/// moderation: the source never showed it to readers (WordPress hides a thread whose parent it has
/// not), so an import must not publish it out of its thread. Memory holds ids only — two small integers per comment — except for a reply
/// that comes before its parent in the file, which waits, body and all, until the parent is read.
struct ThreadAssembler {
    private let file: String
    private let system: ImportFormat
    private var ids = SourceIDTable()
    private var emitted = Set<SourceIDTable.Key>()
    /// Skipped comments and the raw parent each had: the way up for their replies.
    private var skipped: [SourceIDTable.Key: Parent] = [:]
    /// Replies waiting for the comment they name to be read.
    private var waiting: [SourceIDTable.Key: [Waiting]] = [:]
    /// Each waiting comment's key, and the key it waits for.
    private var waitingFor: [SourceIDTable.Key: SourceIDTable.Key] = [:]
    /// Posts handed out so far, and whether closed.
    private var postsOut: [String: Bool] = [:]
    private(set) var skips = ImportSkips()

    private struct Parent { var key: SourceIDTable.Key? }

    private struct Waiting {
        var comment: ImportedComment
        var post: ImportedPost
        var key: SourceIDTable.Key
    }

    typealias Visit = (ImportRecord) throws -> Void

    init(file: String, system: ImportFormat) {
        self.file = file
        self.system = system
    }

    /// Adds a comment to be imported. Its `parentSourceID` is the raw one from the file; the one
    /// handed out is resolved. `line` only places a duplicate in the error message.
    mutating func add(_ comment: ImportedComment, of post: ImportedPost, line: Int, _ visit: Visit) throws {
        let key = try newKey(comment.source, line: line)
        let rawParent = comment.parentSourceID.map { ids.key(post: comment.source.post, comment: $0) }
        var pending = Waiting(comment: comment, post: post, key: key)
        pending.comment.parentSourceID = nil
        switch resolve(rawParent == key ? nil : rawParent) {
        case .parent(let parent):
            try emit(pending, parent: parent, visit)
        case .wait(let awaited):
            waiting[awaited, default: []].append(pending)
            waitingFor[key] = awaited
        }
    }

    /// Records a comment that is not imported, so that its replies find their way past it.
    mutating func skip(_ source: CommentSource, parentSourceID: String?, reason: SkipReason, line: Int, _ visit: Visit) throws {
        let key = try newKey(source, line: line)
        skipped[key] = Parent(key: parentSourceID.map { ids.key(post: source.post, comment: $0) })
        skips.count(reason)
        try release(key, visit)
    }

    /// Counts a comment that cannot even be placed (no post to belong to).
    mutating func count(_ reason: SkipReason) {
        skips.count(reason)
    }

    /// Hands out a post without waiting for a comment (a closed post with none), or again when it
    /// turns out closed after it was handed out open.
    mutating func post(_ post: ImportedPost, standalone: Bool, _ visit: Visit) throws {
        if let closed = postsOut[post.key] {
            if post.closed, !closed { try emitPost(post, visit) }
        } else if standalone {
            try emitPost(post, visit)
        }
    }

    /// Places the replies still waiting: a parent never read counts as missing (the reply moves
    /// up, held with everything below it), and a cycle of parents (only a hand-edited file has
    /// one) is broken at its smallest id.
    mutating func finish(_ visit: Visit) throws -> ImportSkips {
        while !waiting.isEmpty {
            let awaited = waiting.keys.filter { waitingFor[$0] == nil }.min()
            if let missing = awaited {
                skipped[missing] = Parent(key: nil)
                try release(missing, holding: true, visit)
            } else {
                let first = waiting.keys.min()!
                let awaitedByFirst = waitingFor[first]!
                var list = waiting[awaitedByFirst]!
                let index = list.firstIndex { $0.key == first }!
                let pending = list.remove(at: index)
                waiting[awaitedByFirst] = list.isEmpty ? nil : list
                waitingFor[first] = nil
                try emit(pending, parent: nil, visit)
            }
        }
        return skips
    }

    // MARK: Resolution

    private enum Resolution {
        case parent(SourceIDTable.Key?)
        case wait(SourceIDTable.Key)
    }

    private func resolve(_ raw: SourceIDTable.Key?) -> Resolution {
        var current = raw
        var steps = 0
        while let key = current {
            if emitted.contains(key) { return .parent(key) }
            guard let up = skipped[key] else { return .wait(key) }
            steps += 1
            // Skipped comments whose parents form a cycle: no imported ancestor exists.
            guard steps <= skipped.count else { return .parent(nil) }
            current = up.key
        }
        return .parent(nil)
    }

    private mutating func newKey(_ source: CommentSource, line: Int) throws -> SourceIDTable.Key {
        let key = ids.key(post: source.post, comment: source.comment)
        guard !emitted.contains(key), skipped[key] == nil, waitingFor[key] == nil else {
            throw ImportError.duplicateComment(file: file, line: line, post: source.post, comment: source.comment)
        }
        return key
    }

    /// Hands the comment out, then the replies that waited for it.
    private mutating func emit(_ pending: Waiting, parent: SourceIDTable.Key?, _ visit: Visit) throws {
        try emitOne(pending, parent: parent, visit)
        try release(pending.key, visit)
    }

    private mutating func emitOne(_ pending: Waiting, parent: SourceIDTable.Key?, holding: Bool = false, _ visit: Visit) throws {
        if postsOut[pending.post.key] == nil { try emitPost(pending.post, visit) }
        var comment = pending.comment
        comment.parentSourceID = parent.map { ids.commentID(of: $0) }
        if holding, comment.status == .approved { comment.status = .pending }
        try visit(.comment(comment))
        emitted.insert(pending.key)
    }

    private mutating func emitPost(_ post: ImportedPost, _ visit: Visit) throws {
        postsOut[post.key] = post.closed || postsOut[post.key] == true
        try visit(.post(post))
    }

    /// Now that `key` is decided, re-resolves the replies that waited for it (and theirs, in turn);
    /// `holding` keeps every one of them from being published.
    private mutating func release(_ key: SourceIDTable.Key, holding: Bool = false, _ visit: Visit) throws {
        var work = [key]
        while let decided = work.popLast() {
            guard let replies = waiting.removeValue(forKey: decided) else { continue }
            for reply in replies {
                waitingFor[reply.key] = nil
                switch resolve(decided) {
                case .parent(let parent):
                    // A loop, not recursion: a long chain of replies read before their parents
                    // must not exhaust the stack.
                    try emitOne(reply, parent: parent, holding: holding, visit)
                    work.append(reply.key)
                case .wait(let awaited):
                    waiting[awaited, default: []].append(reply)
                    waitingFor[reply.key] = awaited
                }
            }
        }
    }
}
