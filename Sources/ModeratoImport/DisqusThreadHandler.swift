/// First pass over a Disqus export: every `<thread>`'s post key, closed flag and title.
final class DisqusThreadHandler: XMLEventHandler {
    private let file: String
    private(set) var threads: [String: DisqusReader.Thread] = [:]
    private var current: (id: String, fields: [String: String])?

    private static let fields: Set<String> = ["link", "title", "isClosed"]

    init(file: String) {
        self.file = file
    }

    func start(_ name: XMLName, attributes: [String: String], depth: Int, line: Int) throws -> Bool {
        switch depth {
        case 1:
            guard name.local == "disqus" else {
                throw ImportError.notFormat(file: file, expected: .disqus, found: "<\(name.local)> at line \(line)")
            }
            return false
        case 2 where name.local == "thread":
            guard let id = DisqusReader.disqusID(attributes), !id.isEmpty else {
                throw ImportError.missingElement(file: file, line: line, element: "dsq:id attribute", within: "thread")
            }
            current = (id, [:])
            return false
        case 3 where current != nil:
            return Self.fields.contains(name.local)
        default:
            return false
        }
    }

    func end(_ name: XMLName, text: String?, depth: Int, line: Int) throws {
        if depth == 3, let text, current != nil {
            current?.fields[name.local] = text
        } else if depth == 2, name.local == "thread", let (id, fields) = current {
            current = nil
            let key = fields["link"]
                .flatMap { ImportPostKey.path(ofLink: $0, keepingQuery: false) }
                .flatMap(ImportPostKey.validated)
            let title = fields["title"]?.trimmed()
            threads[id] = DisqusReader.Thread(
                post: key.map { ImportedPost(key: $0, closed: DisqusReader.isTrue(fields["isClosed"]), title: title) }
            )
        }
    }

    func finish() throws {}
}
