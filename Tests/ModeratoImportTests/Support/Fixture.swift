import Foundation
import ModeratoCore
import ModeratoImport

/// The fixture files next to the tests, and what reading them gives.
enum Fixture {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures").path

    static func path(_ name: String) -> String { folder + "/" + name }

    static let keyring = try! Keyring(secret: Array(repeating: 7, count: 32))

    /// What the CLI will pass: the install's keyring, hashing exactly as a live submission does.
    static let hasher = PersonalDataHasher(
        email: { raw in
            let normalized = EmailAddress.normalize(raw)
            return normalized.isEmpty ? nil : keyring.emailHash(normalizedEmail: normalized)
        },
        ip: { raw in
            let address = raw.trimmingWhitespace()
            return address.isEmpty ? nil : keyring.ipHash(address)
        }
    )

    static func emailHash(_ address: String) -> String {
        keyring.emailHash(normalizedEmail: EmailAddress.normalize(address))
    }

    static func read(_ format: ImportFormat, _ file: String, postKey: WordPressPostKey = .id) throws -> ReadResult {
        var result = ReadResult()
        let reader = format.reader(file: file, options: ImportOptions(hasher: hasher, wordpressPostKey: postKey))
        result.skips = try reader.read { result.records.append($0) }
        return result
    }
}

/// Everything a reader handed out, in order.
struct ReadResult {
    var records: [ImportRecord] = []
    var skips = ImportSkips()

    var posts: [ImportedPost] {
        records.compactMap { if case .post(let post) = $0 { post } else { nil } }
    }

    var comments: [ImportedComment] {
        records.compactMap { if case .comment(let comment) = $0 { comment } else { nil } }
    }

    func comment(_ id: String, post: String? = nil) -> ImportedComment? {
        comments.first { $0.source.comment == id && (post == nil || $0.source.post == post) }
    }

    /// Every post precedes its comments, every parent its replies, within the same source post.
    var isInInsertableOrder: Bool {
        var posts = Set<String>()
        var seen = Set<CommentSource>()
        for record in records {
            switch record {
            case .post(let post):
                posts.insert(post.key)
            case .comment(let comment):
                guard posts.contains(comment.post) else { return false }
                if let parent = comment.parentSourceID {
                    let source = CommentSource(system: comment.source.system, post: comment.source.post, comment: parent)
                    guard seen.contains(source) else { return false }
                }
                seen.insert(comment.source)
            }
        }
        return true
    }

    /// All that was handed out, as text, to look for personal data in.
    var allText: String {
        records.map { String(describing: $0) }.joined(separator: "\n").lowercased()
    }
}

/// A fresh folder under the system temp directory, removed when the test is done with it.
final class TemporaryFolder: Sendable {
    let path: String

    init() {
        path = NSTemporaryDirectory() + "moderato-import-tests-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func file(_ name: String, contents: String) -> String {
        let file = path + "/" + name
        try! contents.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    func file(_ name: String) -> String { path + "/" + name }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}
