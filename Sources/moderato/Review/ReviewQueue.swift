import Foundation
import ModeratoCore
import ModeratoStore

/// The comments `moderato review` works through, oldest first, and the decisions taken on them.
///
/// Each decision is written at once, through the same store call as `comments approve`, as a
/// compare-and-set from the status the moderator saw: a comment decided elsewhere meanwhile is
/// reported, never decided twice. Undo writes the previous status (and reason) back the same way.
final class ReviewQueue {
    /// Everything the screen shows about one comment.
    struct Item {
        var comment: Comment
        /// The author's comments per status, by email hash.
        var history: [CommentStatus: Int]
        /// The comment it answers; `nil` for a top-level comment or a parent that is gone.
        var parent: Comment?
        /// Comments with the reviewed status (this one included) when it was fetched.
        var queued: Int
    }

    /// What a key did.
    enum Outcome {
        /// Written; the comment as it is now.
        case decided(ModerationAction, Comment)
        /// Decided elsewhere before this decision: nothing written. The comment now and who did it.
        case alreadyChanged(Comment, ModerationEntry?)
        /// Deleted or erased elsewhere meanwhile.
        case gone(ModerationEntry?)
        case left(Comment)
        /// Undo brought this comment back to the status it had.
        case undone(Comment)
        /// The comment was changed again elsewhere since the decision, which therefore stands.
        case cannotUndo(Comment, ModerationEntry?)
        case nothingToUndo
    }

    /// Decisions taken in this session, counted for the summary line.
    struct Tally: Equatable {
        var approved = 0
        var spam = 0
        var trash = 0
        var held = 0
        var left = 0
        var elsewhere = 0

        mutating func count(_ action: ModerationAction, by step: Int) {
            switch action {
            case .approve: approved += step
            case .spam: spam += step
            case .trash: trash += step
            case .hold: held += step
            }
        }

        /// "approved 12, spam 3, trash 1, left 2", and what was decided elsewhere when anything was.
        var summary: String {
            var parts = ["approved \(approved)", "spam \(spam)", "trash \(trash)"]
            if held > 0 { parts.append("held \(held)") }
            parts.append("left \(left)")
            if elsewhere > 0 { parts.append("decided elsewhere \(elsewhere)") }
            return parts.joined(separator: ", ")
        }
    }

    private enum Step {
        case decided(before: Comment, after: Comment, action: ModerationAction)
        case left(Comment)
    }

    let store: any CommentModeration
    let status: CommentStatus
    let post: PostKey?
    let actor: String
    private(set) var tally = Tally()
    private var steps: [Step] = []

    init(store: any CommentModeration, status: CommentStatus, post: PostKey?, actor: String) {
        self.store = store
        self.status = status
        self.post = post
        self.actor = actor
    }

    /// The oldest comment after `id` that still has the reviewed status, read fresh.
    func next(after id: Int64?) async throws -> Item? {
        let page = try await store.moderationQueue(QueueFilter(status: status, post: post, limit: 1, cursorID: id))
        guard let comment = page.comments.first else { return nil }
        return try await item(comment, queued: page.total)
    }

    /// A comment with its author's history and parent.
    func item(_ comment: Comment, queued: Int? = nil) async throws -> Item {
        var total = queued
        if total == nil { total = try await store.moderationQueue(QueueFilter(status: status, post: post, limit: 1)).total }
        return Item(
            comment: comment, history: try await store.authorHistory(emailHash: comment.emailHash),
            parent: try await comment.parent.asyncFlatMap { try await store.comment(id: $0) }, queued: total ?? 0)
    }

    /// Applies `action` to `comment` if it still has the status it was shown with.
    func decide(_ action: ModerationAction, on comment: Comment) async throws -> Outcome {
        let change = ModerationChange(id: comment.id, action: action, actor: actor, expectedStatus: comment.status)
        switch try await store.moderate(change) {
        case .moderated(let after):
            steps.append(.decided(before: comment, after: after, action: action))
            tally.count(action, by: 1)
            return .decided(action, after)
        case .alreadyChanged(let now, let entry):
            tally.elsewhere += 1
            return .alreadyChanged(now, entry)
        case .notFound:
            tally.elsewhere += 1
            return .gone(try await store.history(of: comment.id).last)
        }
    }

    /// Leaves `comment` as it is and goes on.
    func leave(_ comment: Comment) -> Outcome {
        steps.append(.left(comment))
        tally.left += 1
        return .left(comment)
    }

    /// Takes back the last step: a decision is reversed (status and reason as they were), a
    /// comment left is shown again.
    func undo() async throws -> Outcome {
        guard let step = steps.popLast() else { return .nothingToUndo }
        switch step {
        case .left(let comment):
            tally.left -= 1
            return .undone(try await store.comment(id: comment.id) ?? comment)
        case .decided(let before, let after, let action):
            let change = ModerationChange(
                id: before.id, action: .leading(to: before.status), actor: actor, expectedStatus: after.status,
                reason: .restore(before.reason))
            switch try await store.moderate(change) {
            case .moderated(let restored):
                tally.count(action, by: -1)
                return .undone(restored)
            case .alreadyChanged(let now, let entry):
                return .cannotUndo(now, entry)
            case .notFound:
                return .gone(try await store.history(of: before.id).last)
            }
        }
    }
}

extension Optional {
    fileprivate func asyncFlatMap<Result>(_ transform: (Wrapped) async throws -> Result?) async rethrows -> Result? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
