/// Reads a WordPress WXR export (1.0–1.2), streaming.
///
/// Comments are keyed by `<wp:post_id>` or by the path of the item's `<link>` (`--post-key`);
/// `comment_approved` gives the status (`1` approved, `0` pending, `spam`, `trash` and
/// `post-trashed` trash); the date is `comment_date_gmt`, or `comment_date` read as UTC when the
/// GMT one is zero; pingbacks, trackbacks and other comment types are skipped and counted.
public struct WXRReader: CommentImportReader, Sendable {
    public var file: String
    public var options: ImportOptions

    /// The namespaces of WXR 1.0, 1.1 and 1.2.
    public static let namespaces: Set<String> = [
        "http://wordpress.org/export/1.0/", "http://wordpress.org/export/1.1/", "http://wordpress.org/export/1.2/",
    ]

    public init(file: String, options: ImportOptions) {
        self.file = file
        self.options = options
    }

    public func read(_ visit: (ImportRecord) throws -> Void) throws -> ImportSkips {
        try withoutActuallyEscaping(visit) { visit in
            let handler = WXRDocumentHandler(file: file, options: options, visit: visit)
            try XMLEventReader.read(file: file, handler: handler, progress: options.progress)
            return handler.skips
        }
    }
}
