import ArgumentParser
import Foundation
import ModeratoCore
import ModeratoImport
import ModeratoServer
import ModeratoStore

/// `moderato import FILE`: a site's comments from WordPress, Disqus or Isso, all or nothing.
struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Bring in comments from a WordPress (WXR) or Disqus export, or an Isso database.",
        discussion: """
            The format is detected from the content unless --from names it. Emails and IPs are hashed with \
            this install's secret as they are read. A file malformed anywhere imports nothing. Importing \
            the same file again adds nothing; a newer export adds only what is new.
            """
    )

    @OptionGroup var options: ConfigOptions
    @Argument(help: "The export file, or Isso's database file.") var file: String
    @Option(help: "wordpress, disqus or isso (detected from the content when absent).") var from: SourceFormat?
    @Option(name: .customLong("post-key"), help: "WordPress only: key posts by their id (what comment_post_ID sends) or path.")
    var postKey: PostKeySource = .id
    @Flag(help: "Read and check everything and print the summary; write nothing.") var dryRun = false
    @OptionGroup var output: TableOrJSON

    enum SourceFormat: String, ExpressibleByArgument, CaseIterable {
        case wordpress, disqus, isso
        var format: ImportFormat { ImportFormat(rawValue: rawValue)! }
    }

    enum PostKeySource: String, ExpressibleByArgument, CaseIterable {
        case id, path
        var key: WordPressPostKey { WordPressPostKey(rawValue: rawValue)! }
    }

    func run() async throws {
        let context = try await CommandContext.open(options)
        let format: ImportFormat
        do {
            format = try Self.format(of: file, claimed: from?.format)
        } catch {
            fail("\(error)")
        }
        let keyring = context.keyring()
        let progress = ImportProgress(file: file)
        let reader = format.reader(
            file: file,
            options: ImportOptions(
                hasher: PersonalDataHasher(keyring: keyring, ipv6Prefix: context.configuration.limits.ipv6Prefix),
                wordpressPostKey: postKey.key,
                progress: progress.isShown ? progress.report : nil
            )
        )
        var summary = ImportSummary()
        let pipeline = ImportPipeline()
        pipeline.start(reader)
        do {
            try await context.store.importComments(dryRun: dryRun) { importer in
                summary.skipped = try pipeline.drain { record in
                    switch record {
                    case .post(let post):
                        let key = try Self.key(post.key)
                        summary.posts.insert(key)
                        try importer.post(key, closed: post.closed)
                    case .comment(let comment):
                        let incoming = try IncomingComment(comment)
                        summary.posts.insert(incoming.post)
                        summary.add(comment.status, stored: try importer.comment(incoming))
                    }
                }.total
            }
        } catch let error as ImportError {
            progress.finish()
            fail("\(error) — nothing was imported")
        } catch {
            progress.finish()
            fail("\(file): \(error) — nothing was imported")
        }
        progress.finish()
        if output.isJSON {
            try printJSON(summary)
        } else {
            print(summary.table(dryRun: dryRun))
        }
        FileHandle.standardError.write(
            Data(
                ("Note: \(file) itself still holds the commenters' email and IP addresses (Moderato kept only keyed "
                    + "hashes); delete it or keep it somewhere safe.\n").utf8))
    }

    /// The content's format; `--from` must agree with it.
    static func format(of file: String, claimed: ImportFormat?) throws -> ImportFormat {
        let detected = try ImportFormat.detect(file: file)
        if let claimed, claimed != detected {
            throw ImportError.notFormat(file: file, expected: claimed, found: detected.description)
        }
        return detected
    }

    /// Readers hand out keys that already pass the rule; this states it once more for the store.
    static func key(_ text: String) throws -> PostKey {
        try PostKey(text)
    }
}

extension IncomingComment {
    /// The store's view of a comment read by `ModeratoImport`.
    init(_ comment: ImportedComment) throws {
        self.init(
            system: comment.source.system.rawValue, sourcePost: comment.source.post, sourceID: comment.source.comment,
            parentSourceID: comment.parentSourceID, post: try PostKey(comment.post), author: comment.author, url: comment.url,
            emailHash: comment.emailHash, ipHash: comment.ipHash, createdAt: comment.createdAt, status: comment.status,
            body: comment.body
        )
    }
}

/// What an import did: the summary `moderato import` prints.
struct ImportSummary: Encodable {
    var imported = 0
    var approved = 0
    var pending = 0
    var spam = 0
    var trash = 0
    var skipped = 0
    var alreadyImported = 0
    var posts = Set<PostKey>()

    mutating func add(_ status: CommentStatus, stored: Bool) {
        guard stored else {
            alreadyImported += 1
            return
        }
        imported += 1
        switch status {
        case .approved: approved += 1
        case .pending: pending += 1
        case .spam: spam += 1
        case .trash: trash += 1
        }
    }

    func table(dryRun: Bool) -> String {
        var table = Table(dryRun ? "WOULD IMPORT" : "IMPORTED", "COUNT")
        for (name, count) in [
            ("comments", imported), ("posts", posts.count), ("approved", approved), ("pending", pending), ("spam", spam),
            ("trash", trash), ("skipped", skipped), ("already imported", alreadyImported),
        ] {
            table.add(name, String(count))
        }
        return table.render() + (dryRun ? "\n(dry run: nothing was written)" : "")
    }

    enum CodingKeys: String, CodingKey {
        case imported, posts, approved, pending, spam, trash, skipped
        case alreadyImported = "already_imported"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(imported, forKey: .imported)
        try container.encode(posts.count, forKey: .posts)
        try container.encode(approved, forKey: .approved)
        try container.encode(pending, forKey: .pending)
        try container.encode(spam, forKey: .spam)
        try container.encode(trash, forKey: .trash)
        try container.encode(skipped, forKey: .skipped)
        try container.encode(alreadyImported, forKey: .alreadyImported)
    }
}

/// One line on stderr that keeps count while a long import runs, when stderr is a terminal.
struct ImportProgress: Sendable {
    let file: String
    let isShown = isatty(STDERR_FILENO) == 1

    var report: @Sendable (Int64, Int64) -> Void {
        { done, total in
            let percent = total > 0 ? Int(done * 100 / total) : 0
            FileHandle.standardError.write(Data("\r\u{1B}[Kimporting \(file): \(percent)%".utf8))
        }
    }

    func finish() {
        if isShown { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
