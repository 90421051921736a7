/// A system whose comments Moderato can read: the values of `moderato import --from`.
public enum ImportFormat: String, Sendable, Hashable, CaseIterable, Codable, CustomStringConvertible {
    case wordpress
    case disqus
    case isso

    /// What the format is, as a person would name it in a message.
    public var description: String {
        switch self {
        case .wordpress: return "a WordPress WXR export"
        case .disqus: return "a Disqus export"
        case .isso: return "an Isso database"
        }
    }

    /// Reads `options` and returns the reader of this format for `file`.
    public func reader(file: String, options: ImportOptions) -> any CommentImportReader {
        switch self {
        case .wordpress: return WXRReader(file: file, options: options)
        case .disqus: return DisqusReader(file: file, options: options)
        case .isso: return IssoReader(file: file, options: options)
        }
    }
}
