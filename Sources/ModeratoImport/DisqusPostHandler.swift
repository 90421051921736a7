import Foundation
import ModeratoCore

/// Second pass over a Disqus export: every `<post>` (a comment), against the threads of the first.
final class DisqusPostHandler: XMLEventHandler {
    private let file: String
    private let threads: [String: DisqusReader.Thread]
    private let hasher: PersonalDataHasher
    private let visit: (ImportRecord) throws -> Void
    private var assembler: ThreadAssembler
    private var current: Post?
    private(set) var skips = ImportSkips()

    private struct Post {
        var id: String
        var line: Int
        var fields: [String: (text: String, line: Int)] = [:]
        var thread: String?
        var parent: String?
    }

    private static let fields: Set<String> = ["message", "createdAt", "isDeleted", "isSpam", "ipAddress"]
    private static let authorFields: Set<String> = ["name", "email", "username"]

    init(
        file: String, threads: [String: DisqusReader.Thread], hasher: PersonalDataHasher,
        visit: @escaping (ImportRecord) throws -> Void
    ) {
        self.file = file
        self.threads = threads
        self.hasher = hasher
        self.visit = visit
        assembler = ThreadAssembler(file: file, system: .disqus)
    }

    func start(_ name: XMLName, attributes: [String: String], depth: Int, line: Int) throws -> Bool {
        switch depth {
        case 2 where name.local == "post":
            guard let id = DisqusReader.disqusID(attributes), !id.isEmpty else {
                throw ImportError.missingElement(file: file, line: line, element: "dsq:id attribute", within: "post")
            }
            current = Post(id: id, line: line)
            return false
        case 3 where current != nil:
            if name.local == "thread" { current?.thread = DisqusReader.disqusID(attributes) }
            if name.local == "parent" { current?.parent = DisqusReader.disqusID(attributes) }
            return Self.fields.contains(name.local)
        case 4 where current != nil:
            return Self.authorFields.contains(name.local)
        default:
            return false
        }
    }

    func end(_ name: XMLName, text: String?, depth: Int, line: Int) throws {
        switch depth {
        case 3, 4:
            if let text, current != nil {
                // Author fields are kept under their own names: `author.name`, `author.email`.
                current?.fields[depth == 4 ? "author." + name.local : name.local] = (text, line)
            }
        case 2 where name.local == "post":
            if let post = current { try endPost(post) }
            current = nil
        default:
            break
        }
    }

    func finish() throws {
        skips = try assembler.finish(visit)
        // A closed thread matters without comments: no new ones may come.
        for id in threads.keys.sorted() {
            if let post = threads[id]?.post, post.closed { try assembler.post(post, standalone: true, visit) }
        }
    }

    private func endPost(_ post: Post) throws {
        guard let threadID = post.thread else {
            assembler.count(.missingThread)
            return
        }
        let source = CommentSource(system: .disqus, post: threadID, comment: post.id)
        guard let imported = threads[threadID]?.post else {
            return try assembler.skip(source, parentSourceID: post.parent, reason: .missingThread, line: post.line, visit)
        }
        let status: CommentStatus =
            DisqusReader.isTrue(post.fields["isSpam"]?.text)
            ? .spam
            : DisqusReader.isTrue(post.fields["isDeleted"]?.text) ? .trash : .approved
        guard let created = post.fields["createdAt"] else {
            throw ImportError.missingElement(file: file, line: post.line, element: "createdAt", within: "post")
        }
        guard let createdAt = TimestampText.rfc3339(created.text.trimmed()) else {
            throw ImportError.invalidValue(
                file: file, line: created.line, element: "createdAt", value: created.text,
                expected: "a date such as 2012-03-15T11:24:51Z"
            )
        }
        let body = CommentHTML.plainText(fromHTML: post.fields["message"]?.text ?? "")
        guard !body.isEmpty else {
            let reason: SkipReason = DisqusReader.isTrue(post.fields["isDeleted"]?.text) ? .deletedWithoutText : .emptyText
            return try assembler.skip(source, parentSourceID: post.parent, reason: reason, line: post.line, visit)
        }
        let name = post.fields["author.name"]?.text.trimmed() ?? ""
        let comment = ImportedComment(
            source: source, post: imported.key, parentSourceID: post.parent,
            author: ImportedFields.author(name.isEmpty ? post.fields["author.username"]?.text : name),
            url: nil,
            // The plain address and IP go no further than these two calls.
            emailHash: post.fields["author.email"].flatMap { hasher.email($0.text) },
            ipHash: post.fields["ipAddress"].flatMap { hasher.ip($0.text) },
            createdAt: createdAt, status: status, body: body
        )
        try assembler.add(comment, of: imported, line: post.line, visit)
    }
}
