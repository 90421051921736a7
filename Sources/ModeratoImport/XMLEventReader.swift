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
        try handler.finish()
    }

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
        qualifiedName: String?, attributes: [String: String] = [:]
    ) {
        guard failure == nil else { return }
        depth += 1
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
        failure = ImportError.malformedXML(file: file, line: parser.lineNumber, problem: Self.problem(code))
    }

    private func fail(_ parser: XMLParser, _ error: Error) {
        failure = error
        parser.abortParsing()
    }

    /// libxml2's error, in words a person editing the file can act on.
    private static func problem(_ code: Int) -> String {
        switch XMLParser.ErrorCode(rawValue: code) {
        case .prematureDocumentEndError?: return "the file ends inside the document (truncated?)"
        case .emptyDocumentError?, .documentStartError?: return "no XML document in the file"
        case .undeclaredEntityError?, .entityRefAtEOFError?, .entityRefLoopError?, .entityNotStartedError?:
            return "an entity that XML does not define (HTML names such as &nbsp; need CDATA)"
        case .tagNameMismatchError?, .notWellBalancedError?: return "an element is closed by the wrong end tag"
        case .invalidCharacterError?: return "a character XML does not allow"
        case .ltRequiredError?, .gtRequiredError?, .ltSlashRequiredError?: return "a broken tag"
        case .attributeNotStartedError?, .attributeNotFinishedError?, .attributeRedefinedError?:
            return "a broken attribute"
        case .unfinishedTagError?: return "an unfinished tag"
        case .cdataNotFinishedError?: return "an unfinished CDATA section"
        case .commentNotFinishedError?: return "an unfinished comment"
        default: return "libxml2 error \(code)"
        }
    }
}
