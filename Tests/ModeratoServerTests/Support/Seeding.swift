import Foundation
import GRDB
import ModeratoCore
import ModeratoStore

@testable import ModeratoServer

extension TestEnvironment {
    /// Stores comments directly (as the server would) with the given statuses; returns their ids.
    @discardableResult
    func seed(
        _ statuses: [CommentStatus], post: PostKey = "/p/", body: (Int) -> String = { "comment \($0)" },
        parent: Int64? = nil, email: String = "seed@example.org"
    ) async throws -> [Int64] {
        let store = try await self.store()
        let keyring = try Keyring(secret: SecretKeyFile.loadOrCreate(path: configuration.secretKeyFile))
        var ids: [Int64] = []
        for (index, status) in statuses.enumerated() {
            let draft = CommentDraft(
                post: post, parent: parent, author: "Seeder \(index)", url: nil, body: body(index),
                emailHash: keyring.emailHash(normalizedEmail: email), ipHash: keyring.ipHash("192.0.2.1")
            )
            let comment = try await store.submit(draft, rules: SubmissionRules(policy: ModerationPolicy(mode: .none, maxLinks: 0))).get()
            ids.append(comment.id)
            if status != .approved {
                try await setStatus(status, ids: [comment.id])
            }
        }
        return ids
    }

    /// Changes statuses through a second store on the same file — what the `moderato` CLI does
    /// from another process.
    func setStatus(_ status: CommentStatus, ids: [Int64]) async throws {
        let secondStore = try await store()
        let action = ModerationAction.allCases.first { $0.targetStatus == status }!
        for id in ids {
            _ = try await secondStore.moderate(id: id, action: action, actor: "test")
        }
    }
}
