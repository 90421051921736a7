import Foundation
import Testing

@testable import ModeratoImport

@Suite("Thread assembler: order and parents by id")
struct ThreadAssemblerTests {
    private var assembler = ThreadAssembler(file: "test.xml", system: .wordpress)
    private var out: [ImportRecord] = []
    private let post = ImportedPost(key: "/p/", closed: false)

    private mutating func add(_ id: String, parent: String?) throws {
        let comment = ImportedComment(
            source: CommentSource(system: .wordpress, post: "1", comment: id), post: "/p/", parentSourceID: parent,
            author: "A", url: nil, emailHash: nil, ipHash: nil, createdAt: Date(timeIntervalSince1970: 0),
            status: .approved, body: "b"
        )
        var records: [ImportRecord] = []
        try assembler.add(comment, of: post, line: 1) { records.append($0) }
        out += records
    }

    private mutating func skip(_ id: String, parent: String?) throws {
        var records: [ImportRecord] = []
        try assembler.skip(
            CommentSource(system: .wordpress, post: "1", comment: id), parentSourceID: parent,
            reason: .deletedWithoutText, line: 1
        ) { records.append($0) }
        out += records
    }

    private mutating func finish() throws -> ImportSkips {
        var records: [ImportRecord] = []
        let skips = try assembler.finish { records.append($0) }
        out += records
        return skips
    }

    private var emitted: [(String, String?)] {
        out.compactMap { if case .comment(let c) = $0 { (c.source.comment, c.parentSourceID) } else { nil } }
    }

    @Test mutating func repliesClimbPastSkippedAncestorsAtAnyDepth() throws {
        try add("1", parent: nil)
        try skip("2", parent: "1")
        try skip("3", parent: "2")
        try add("4", parent: "3")
        _ = try finish()
        #expect(emitted.map(\.0) == ["1", "4"])
        #expect(emitted.map(\.1) == [nil, "1"])
        #expect(out.first == .post(post))
    }

    @Test mutating func aReplyWaitsForAParentLaterInTheFileEvenPastASkippedOne() throws {
        try add("4", parent: "3")
        try skip("3", parent: "2")
        try add("2", parent: "1")
        #expect(emitted.isEmpty)
        try add("1", parent: nil)
        let skips = try finish()
        #expect(emitted.map(\.0) == ["1", "2", "4"])
        #expect(emitted.map(\.1) == [nil, "1", "2"])
        #expect(skips[.deletedWithoutText] == 1)
    }

    @Test mutating func aParentNeverReadMakesATopLevelComment() throws {
        try add("5", parent: "404")
        try add("6", parent: "5")
        _ = try finish()
        #expect(emitted.map(\.0) == ["5", "6"])
        #expect(emitted.map(\.1) == [nil, "5"])
    }

    @Test mutating func cyclesAndSelfParentsAreBroken() throws {
        try add("1", parent: "1")
        try add("2", parent: "3")
        try add("3", parent: "2")
        _ = try finish()
        #expect(emitted.count == 3)
        #expect(emitted[0] == ("1", nil))
        #expect(emitted[1] == ("2", nil))  // the smallest id in the cycle becomes top-level
        #expect(emitted[2] == ("3", "2"))
    }

    @Test mutating func idsThatAreNotCanonicalNumbersStayAsWritten() throws {
        try add("007", parent: nil)
        try add("abc", parent: "007")
        try add("7", parent: "abc")
        _ = try finish()
        #expect(emitted.map(\.0) == ["007", "abc", "7"])
        #expect(emitted.map(\.1) == [nil, "007", "abc"])
    }

    @Test mutating func aLongChainReadBackwardsNeedsNoDeepStack() throws {
        let count = 50_000
        for id in stride(from: count, through: 2, by: -1) { try add(String(id), parent: String(id - 1)) }
        try add("1", parent: nil)
        _ = try finish()
        #expect(emitted.count == count)
        #expect(emitted.last.map { $0.0 } == String(count))
        #expect(emitted.last.map { $0.1 } == String(count - 1))
    }
}
