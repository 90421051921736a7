/// Reads a Disqus export (`<disqus>` with `<thread>` and `<post>` elements), streaming.
///
/// Two passes over the file: the first remembers each thread's post key and whether it is
/// closed (threads are few, and a post may name a thread written after it), the second reads the
/// comments. The key is the path of the thread's `<link>`; comments of a thread that is missing
/// or has no usable link are skipped and counted. `isSpam` → spam, else `isDeleted` → trash,
/// else approved; a deleted comment whose text is gone is skipped, its replies moving up.
public struct DisqusReader: CommentImportReader, Sendable {
    public var file: String
    public var options: ImportOptions

    public init(file: String, options: ImportOptions) {
        self.file = file
        self.options = options
    }

    public func read(_ visit: (ImportRecord) throws -> Void) throws -> ImportSkips {
        let threads = DisqusThreadHandler(file: file)
        let halfProgress = options.progress.map { report in
            { @Sendable (done: Int64, total: Int64) in report(done / 2, total) }
        }
        try XMLEventReader.read(file: file, handler: threads, progress: halfProgress)
        return try withoutActuallyEscaping(visit) { visit in
            let secondHalf = options.progress.map { report in
                { @Sendable (done: Int64, total: Int64) in report(total / 2 + done / 2, total) }
            }
            let handler = DisqusPostHandler(file: file, threads: threads.threads, hasher: options.hasher, visit: visit)
            try XMLEventReader.read(file: file, handler: handler, progress: secondHalf)
            return handler.skips
        }
    }

    /// What a Disqus thread contributes: its post (or `nil` without a usable link).
    struct Thread {
        var post: ImportedPost?
    }

    /// Disqus ids are `dsq:id` attributes (its internals namespace); the XML reader keys
    /// attributes by local name.
    static func disqusID(_ attributes: [String: String]) -> String? {
        attributes["id"]?.trimmed()
    }

    static func isTrue(_ text: String?) -> Bool {
        let value = (text ?? "").trimmed().lowercased()
        return value == "true" || value == "1"
    }
}
