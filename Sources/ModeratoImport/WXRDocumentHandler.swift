import Foundation
import ModeratoCore

/// The WXR reader's state while the parser walks `rss > channel > item > wp:comment`.
final class WXRDocumentHandler: XMLEventHandler {
    private let file: String
    private let options: ImportOptions
    private let visit: (ImportRecord) throws -> Void
    private var assembler: ThreadAssembler
    private var sawWordPressNamespace = false
    private var item: Item?
    /// The current item's post, worked out at its first comment (once per item, not per comment).
    private var itemPost: (post: ImportedPost, sourceID: String)??
    private var comment = CommentFields()
    private var currentField: WritableKeyPath<CommentFields, Field?>?
    private var commentLine = 0
    private var websites = WebsiteCache()
    private var lastNamespace = ""
    private var lastNamespaceIsWordPress = false
    private(set) var skips = ImportSkips()

    /// The fields of the current `<item>` that decide its post.
    private struct Item {
        var line: Int
        var title: String?
        var link: String?
        var postID: String?
        var postIDLine = 0
        var commentStatus: String?
        var postType: String?
        /// `<wp:status>`: publish, draft, pending, private, future, trash …
        var status: String?
    }

    private struct Field {
        var text: String
        var line: Int
    }

    /// The children of `<wp:comment>` that matter, by their local names.
    private struct CommentFields {
        var id, author, email, url, ip, date, dateGMT, content, approved, type, parent: Field?

        /// The field an element fills, or `nil` for one that does not matter (`commentmeta` …).
        static func keyPath(_ local: String) -> WritableKeyPath<CommentFields, Field?>? {
            switch local {
            case "comment_id": return \.id
            case "comment_author": return \.author
            case "comment_author_email": return \.email
            case "comment_author_url": return \.url
            case "comment_author_IP": return \.ip
            case "comment_date": return \.date
            case "comment_date_gmt": return \.dateGMT
            case "comment_content": return \.content
            case "comment_approved": return \.approved
            case "comment_type": return \.type
            case "comment_parent": return \.parent
            default: return nil
            }
        }
    }

    init(file: String, options: ImportOptions, visit: @escaping (ImportRecord) throws -> Void) {
        self.file = file
        self.options = options
        self.visit = visit
        assembler = ThreadAssembler(file: file, system: .wordpress)
    }

    func start(_ name: XMLName, attributes: [String: String], depth: Int, line: Int) throws -> Bool {
        let isWordPress = isWordPressNamespace(name.namespace)
        if isWordPress { sawWordPressNamespace = true }
        switch depth {
        case 1:
            guard name.local == "rss", name.namespace == nil else {
                throw ImportError.notFormat(file: file, expected: .wordpress, found: "<\(name.local)> at line \(line)")
            }
            return false
        case 3 where name.local == "item" && name.namespace == nil:
            item = Item(line: line)
            itemPost = nil
            return false
        case 4 where item != nil:
            if name.namespace == nil { return name.local == "title" || name.local == "link" }
            guard isWordPress else { return false }
            switch name.local {
            case "comment":
                comment = CommentFields()
                commentLine = line
                return false
            case "post_id":
                item?.postIDLine = line
                return true
            case "comment_status", "post_type", "status":
                return true
            default:
                return false
            }
        case 5 where item != nil:
            currentField = isWordPress ? CommentFields.keyPath(name.local) : nil
            return currentField != nil
        default:
            return false
        }
    }

    func end(_ name: XMLName, text: String?, depth: Int, line: Int) throws {
        switch depth {
        case 3 where name.local == "item" && name.namespace == nil:
            try endItem()
            item = nil
        case 4 where item != nil:
            if name.local == "comment", isWordPressNamespace(name.namespace) {
                try endComment()
                return
            }
            guard let text else { return }
            // A field read after the post was worked out (not where WordPress writes it) redoes it.
            itemPost = nil
            switch (name.namespace == nil, name.local) {
            case (true, "title"): item?.title = text
            case (true, "link"): item?.link = text
            case (false, "post_id"): item?.postID = text.trimmed()
            case (false, "comment_status"): item?.commentStatus = text.trimmed()
            case (false, "post_type"): item?.postType = text.trimmed()
            case (false, "status"): item?.status = text.trimmed()
            default: break
            }
        case 5 where item != nil:
            // Only wanted fields come with text, and the one being ended is the one last started.
            if let text, let field = currentField { comment[keyPath: field] = Field(text: text, line: line) }
        default:
            break
        }
    }

    /// Namespace strings repeat (one per declaration), so the last answer is kept.
    private func isWordPressNamespace(_ namespace: String?) -> Bool {
        guard let namespace else { return false }
        if namespace != lastNamespace {
            lastNamespace = namespace
            lastNamespaceIsWordPress = WXRReader.namespaces.contains(namespace)
        }
        return lastNamespaceIsWordPress
    }

    func finish() throws {
        guard sawWordPressNamespace else {
            throw ImportError.notFormat(file: file, expected: .wordpress, found: "an RSS feed without the WordPress export namespace")
        }
        skips = try assembler.finish(visit)
    }

    // MARK: Items and comments

    /// The Moderato post of the current item, or `nil` when it has no usable key (`--post-key
    /// path` with a missing or unusable link): its comments are then skipped and counted.
    private func currentPost() throws -> (post: ImportedPost, sourceID: String)? {
        if let itemPost { return itemPost }
        let post = try workOutPost()
        itemPost = .some(post)
        return post
    }

    private func workOutPost() throws -> (post: ImportedPost, sourceID: String)? {
        guard let item else { return nil }
        // WordPress takes no comments on a post that is not published (trash, draft, private …):
        // neither will Moderato. Attachments ("inherit") follow their open/closed setting.
        let published = item.status.map { ["publish", "inherit"].contains($0) } ?? true
        let closed = item.commentStatus == "closed" || !published
        // Titles are HTML in WordPress (`&amp;`, `&#8217;`); only for messages, decoded once.
        let title = item.title.map { HTMLEntities.decode($0).trimmed() }
        switch options.wordpressPostKey {
        case .id:
            guard let postID = item.postID else {
                throw ImportError.missingElement(file: file, line: item.line, element: "wp:post_id", within: "item")
            }
            guard !postID.isEmpty, postID.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
                let key = ImportPostKey.validated(postID)
            else {
                throw ImportError.invalidValue(
                    file: file, line: item.postIDLine, element: "wp:post_id", value: postID, expected: "a number"
                )
            }
            return (ImportedPost(key: key, closed: closed, title: title), postID)
        case .path:
            guard let link = item.link, let path = ImportPostKey.path(ofLink: link, keepingQuery: true),
                let key = ImportPostKey.validated(path)
            else { return nil }
            return (ImportedPost(key: key, closed: closed, title: title), item.postID ?? key)
        }
    }

    private func endItem() throws {
        // An item whose key is unusable had its comments fail or skipped already; alone it is
        // no error (menu items, attachments …).
        guard let item, let (post, _) = try? currentPost() else { return }
        // A closed post or page matters without comments (no new ones may come); a closed menu
        // item or attachment does not.
        let type = item.postType ?? "post"
        try assembler.post(post, standalone: post.closed && (type == "post" || type == "page"), visit)
    }

    private func endComment() throws {
        // The fields (the plain address and IP among them) are not kept past their comment.
        defer { comment = CommentFields() }
        guard let id = comment.id?.text.trimmed(), !id.isEmpty else {
            throw ImportError.missingElement(file: file, line: commentLine, element: "wp:comment_id", within: "wp:comment")
        }
        let parentText = comment.parent?.text.trimmed() ?? ""
        let parent = parentText.isEmpty || parentText == "0" ? nil : parentText

        guard let (post, postSourceID) = try currentPost() else {
            assembler.count(.invalidPostKey)
            return
        }
        let source = CommentSource(system: .wordpress, post: postSourceID, comment: id)
        switch comment.type?.text.trimmed() ?? "" {
        case "", "comment":
            break
        case "pingback":
            return try assembler.skip(source, parentSourceID: parent, reason: .pingback, line: commentLine, visit)
        case "trackback":
            return try assembler.skip(source, parentSourceID: parent, reason: .trackback, line: commentLine, visit)
        default:
            return try assembler.skip(source, parentSourceID: parent, reason: .otherType, line: commentLine, visit)
        }

        let status = try self.status()
        let createdAt = try date()
        let body = CommentHTML.plainText(fromHTML: comment.content?.text ?? "")
        guard !body.isEmpty else {
            let reason: SkipReason = status == .trash ? .deletedWithoutText : .emptyText
            return try assembler.skip(source, parentSourceID: parent, reason: reason, line: commentLine, visit)
        }
        // The plain address and IP go no further than these two calls.
        let emailHash = comment.email.flatMap { options.hasher.email($0.text) }
        let ipHash = comment.ip.flatMap { options.hasher.ip($0.text) }
        let imported = ImportedComment(
            source: source, post: post.key, parentSourceID: parent,
            // WordPress stores names escaped (`_wp_specialchars`) and addresses `esc_url`-ed
            // (`&#038;`); the reader saw them decoded.
            author: ImportedFields.author(comment.author.map { HTMLEntities.decode($0.text) }),
            url: websites.website(comment.url.map { HTMLEntities.decode($0.text) }),
            emailHash: emailHash, ipHash: ipHash, createdAt: createdAt, status: status, body: body
        )
        try assembler.add(imported, of: post, line: commentLine, visit)
    }

    private func status() throws -> CommentStatus {
        guard let field = comment.approved else {
            throw ImportError.missingElement(file: file, line: commentLine, element: "wp:comment_approved", within: "wp:comment")
        }
        switch field.text.trimmed() {
        case "1": return .approved
        case "0": return .pending
        case "spam": return .spam
        case "trash", "post-trashed": return .trash
        default:
            throw ImportError.invalidValue(
                file: file, line: field.line, element: "wp:comment_approved", value: field.text,
                expected: "1, 0, spam, trash or post-trashed"
            )
        }
    }

    private func date() throws -> Date {
        let expected = "a date YYYY-MM-DD HH:MM:SS"
        if let gmt = comment.dateGMT {
            switch TimestampText.wordpress(gmt.text.trimmed()) {
            case .date(let date): return date
            case .invalid:
                throw ImportError.invalidValue(
                    file: file, line: gmt.line, element: "wp:comment_date_gmt", value: gmt.text, expected: expected)
            case .zero: break
            }
        }
        guard let local = comment.date else {
            throw ImportError.missingElement(file: file, line: commentLine, element: "wp:comment_date_gmt", within: "wp:comment")
        }
        guard case .date(let date) = TimestampText.wordpress(local.text.trimmed()) else {
            throw ImportError.invalidValue(
                file: file, line: local.line, element: "wp:comment_date", value: local.text,
                expected: expected + " (the GMT date is zero)"
            )
        }
        return date
    }
}
