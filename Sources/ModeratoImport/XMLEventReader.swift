import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// An element as the readers see it: local name and namespace (prefixes are the file's choice).
struct XMLName: Equatable {
    var local: String
    var namespace: String?
}

/// What a format's reader does with the elements of a document, in order.
protocol XMLEventHandler: AnyObject {
    /// An element starts at `depth` (the root is 1). Returns whether its text is wanted: then it
    /// comes with `end`, CDATA and character data joined.
    func start(_ name: XMLName, attributes: [String: String], depth: Int, line: Int) throws -> Bool
    func end(_ name: XMLName, text: String?, depth: Int, line: Int) throws
    /// The document ended without a malformation.
    func finish() throws
}

/// Drives `XMLParser` over a file for an `XMLEventHandler`, turning parser and handler failures
/// into one `ImportError`.
///
/// `XMLParser.parse()` on Linux returns `true` for a truncated file (it reports the error to the
/// delegate only), so success here means: no error reported by anyone.
final class XMLEventReader: NSObject, XMLParserDelegate {
    private let file: String
    private let handler: XMLEventHandler
    private var depth = 0
    private var textDepth = 0
    private var text = ""
    private var failure: Error?
    private var sawRoot = false

    private init(file: String, handler: XMLEventHandler) {
        self.file = file
        self.handler = handler
    }

    static func read(file: String, handler: XMLEventHandler, progress: (@Sendable (Int64, Int64) -> Void)?) throws {
        let stream = try XMLFileStream(path: file, progress: progress)
        let reader = XMLEventReader(file: file, handler: handler)
        let parser = XMLParser(stream: stream)
        parser.shouldProcessNamespaces = true
        parser.shouldResolveExternalEntities = false
        parser.delegate = reader
        _ = parser.parse()
        if let readError = stream.readError {
            throw ImportError.unreadable(file: file, reason: XMLFileStream.reason(readError))
        }
        if stream.bytesRead == 0 { throw ImportError.empty(file: file) }
        if let failure = reader.failure { throw failure }
        // libxml2 reports nothing for a document of only whitespace and comments.
        guard reader.sawRoot else {
            throw ImportError.malformedXML(file: file, line: parser.lineNumber, problem: "no XML element in the file")
        }
        try handler.finish()
    }

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
        qualifiedName: String?, attributes: [String: String] = [:]
    ) {
        guard failure == nil else { return }
        depth += 1
        sawRoot = true
        do {
            let name = XMLName(local: elementName, namespace: namespaceURI.flatMap { $0.isEmpty ? nil : $0 })
            if try handler.start(name, attributes: attributes, depth: depth, line: parser.lineNumber), textDepth == 0 {
                textDepth = depth
                text = ""
            }
        } catch {
            fail(parser, error)
        }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        guard failure == nil else { return }
        defer { depth -= 1 }
        var captured: String?
        if textDepth == depth {
            captured = text
            textDepth = 0
            text = ""
        }
        do {
            let name = XMLName(local: elementName, namespace: namespaceURI.flatMap { $0.isEmpty ? nil : $0 })
            try handler.end(name, text: captured, depth: depth, line: parser.lineNumber)
        } catch {
            fail(parser, error)
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if textDepth > 0 { text += string }
    }

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        if textDepth > 0 { text += String(decoding: CDATABlock, as: UTF8.self) }
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) {
        guard failure == nil else { return }
        let code = (parseError as NSError).code
        // Before any element, "the document ends" means there was none.
        let problem = sawRoot ? Self.problem(code) : "no XML element in the file"
        failure = ImportError.malformedXML(file: file, line: parser.lineNumber, problem: problem)
    }

    private func fail(_ parser: XMLParser, _ error: Error) {
        failure = error
        parser.abortParsing()
    }

    /// libxml2's error, in words a person editing the file can act on. The codes are libxml2's
    /// `xmlParserErrors`, which is what FoundationXML reports on Linux (its own `ErrorCode` enum is
    /// numbered one off from them, so it is not used).
    private static func problem(_ code: Int) -> String {
        switch code {
        case 4: return "no XML element where the document should start"
        case 5: return "the document is cut off (truncated file?) or has something after its end"
        case 9: return "a character XML does not allow"
        case 26, 27: return "an entity XML does not define (HTML names such as &nbsp; need CDATA)"
        case 38, 39, 40, 41, 42: return "a broken attribute"
        case 45: return "an unfinished comment (<!-- without -->)"
        case 63: return "an unfinished CDATA section (<![CDATA[ without ]]>)"
        case 68, 73, 65: return "a broken tag"
        case 76: return "an element closed by the wrong end tag"
        case 77: return "an unfinished element (truncated file?)"
        default: return "libxml2 error \(code)"
        }
    }
}
