import Foundation
import ModeratoCore
import ModeratoStore
import Synchronization
import Testing

/// `StoreMaintenance.importComments`: all or nothing, idempotent, parents by source id.
@Suite("Contract: import")
struct ImportContractTests {
    struct Malformed: Error {}

    static func incoming(
        _ id: String, parent: String? = nil, post: PostKey = "/p/", sourcePost: String = "4", status: CommentStatus = .approved,
        email: String? = "e1"
    ) -> IncomingComment {
        IncomingComment(
            system: "wordpress", sourcePost: sourcePost, sourceID: id, parentSourceID: parent, post: post, author: "A", url: nil,
            emailHash: email, ipHash: nil, createdAt: Date(timeIntervalSince1970: 1_700_000_000), status: status, body: "comment \(id)"
        )
    }

    @Test(arguments: StoreEngine.allCases)
    func commentsComeInWithTheirParentsOnceAndPublish(engine: StoreEngine) async throws {
        let store = try await engine.makeStore().store
        let heard = TestCounter()
        store.observeChanges { _ in heard.increment() }
        var stored: [Bool] = []
        try await store.importComments(dryRun: false) { importer in
            try importer.post("/p/", closed: false)
            try importer.post("/closed/", closed: true)
            stored.append(try importer.comment(Self.incoming("1")))
            stored.append(try importer.comment(Self.incoming("2", parent: "1", status: .pending, email: nil)))
            stored.append(try importer.comment(Self.incoming("1", post: "/other/", sourcePost: "5")))
        }
        #expect(stored == [true, true, true], "the same comment id in another source post is another comment")
        #expect(heard.value > 0, "imported published comments reach the caches")
        let page = try await store.moderationQueue(QueueFilter(status: nil, post: "/p/"))
        #expect(page.comments.map(\.body) == ["comment 1", "comment 2"])
        #expect(page.comments[1].parent == page.comments[0].id)
        #expect(page.comments[0].createdAt == Date(timeIntervalSince1970: 1_700_000_000))
        #expect(page.comments[1].reason == .imported, "a held imported comment says why")
        #expect(page.comments[0].reason == nil)
        #expect(try await store.isPostClosed("/closed/"))
        #expect(try await store.approvedCounts(posts: ["/p/"]) == ["/p/": 1])

        try await store.importComments(dryRun: false) { importer in
            stored = [try importer.comment(Self.incoming("1")), try importer.comment(Self.incoming("3", parent: "2"))]
        }
        #expect(stored == [false, true], "already imported; a newer export adds only what is new")
        #expect(try await store.moderationQueue(QueueFilter(status: nil, post: "/p/")).comments.last?.parent != nil)
    }

    @Test(arguments: StoreEngine.allCases)
    func aFailureHalfwayOrADryRunKeepsNothing(engine: StoreEngine) async throws {
        let store = try await engine.makeStore().store
        await #expect(throws: Malformed.self) {
            try await store.importComments(dryRun: false) { importer in
                try importer.post("/p/", closed: true)
                _ = try importer.comment(Self.incoming("1"))
                throw Malformed()
            }
        }
        var seen: [Bool] = []
        try await store.importComments(dryRun: true) { importer in
            seen = [try importer.comment(Self.incoming("1")), try importer.comment(Self.incoming("1"))]
        }
        #expect(seen == [true, false], "a dry run sees its own comments")
        #expect(try await store.statusCounts(post: nil).values.reduce(0, +) == 0)
        #expect(try await store.posts().isEmpty)
        #expect(try await store.publicationChanges(since: 0).posts.isEmpty)
    }

    @Test(arguments: StoreEngine.allCases)
    func anErasedImportedCommentDoesNotComeBack(engine: StoreEngine) async throws {
        let store = try await engine.makeStore().store
        try await store.importComments(dryRun: false) { importer in _ = try importer.comment(Self.incoming("1", email: "gone")) }
        #expect(try await store.forgetEmail(hash: "gone", actor: "cli:ana") == 1)
        var again = true
        try await store.importComments(dryRun: false) { importer in again = try importer.comment(Self.incoming("1", email: "gone")) }
        #expect(!again, "the old export does not bring an erased comment back")
        #expect(try await store.statusCounts(post: nil).values.reduce(0, +) == 0)
    }
}

/// A counter observers can bump from any thread.
final class TestCounter: Sendable {
    private let count = Mutex(0)
    func increment() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}
