import Foundation
import Testing

@testable import ModeratoImport

/// The streaming XML reader under the importers: what it accepts and what it refuses.
@Suite("XML event reader")
struct XMLEventReaderTests {
    let folder = TemporaryFolder()

    /// Records every element, and the text of `a`, `c` and `t`.
    final class Recorder: XMLEventHandler {
        var events: [String] = []
        var texts: [String: String] = [:]
        var attributes: [String: [String: String]] = [:]

        func start(_ name: XMLName, attributes: [String: String], depth: Int, line: Int) throws -> Bool {
            events.append("<\(name.namespace.map { "{\($0)}" } ?? "")\(name.local)@\(line)")
            if !attributes.isEmpty { self.attributes[name.local] = attributes }
            return ["a", "c", "t"].contains(name.local)
        }

        func end(_ name: XMLName, text: String?, depth: Int, line: Int) throws {
            events.append("/\(name.local)")
            if let text { texts[name.local] = text }
        }

        func finish() throws { events.append("finish") }
    }

    func read(_ xml: String) throws -> Recorder {
        let recorder = Recorder()
        try XMLEventReader.read(file: folder.file("doc.xml", contents: xml), handler: recorder, progress: nil)
        return recorder
    }

    func problem(_ xml: String) -> String? {
        do {
            _ = try read(xml)
            return nil
        } catch ImportError.malformedXML(_, let line, let problem) {
            return "\(line): \(problem)"
        } catch {
            return "\(error)"
        }
    }

    @Test func namespacesCDATAReferencesAndLineEnds() throws {
        let recorder = try read(
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <!DOCTYPE rss [ <!ENTITY x "y"> ]>
            <!-- a comment -->
            <rss xmlns:wp="http://wordpress.org/export/1.2/" xmlns="urn:default">
            <wp:a id='1' wp:b="x&amp;y\tz">A &lt;b&gt; &#12354;&#x1F600; <![CDATA[<p>]]]]><![CDATA[>]]></wp:a>
            <c xmlns="">line\r\none\rtwo</c><empty/>
            </rss>
            <?pi after?>
            """)
        #expect(
            recorder.events == [
                "<{urn:default}rss@4", "<{http://wordpress.org/export/1.2/}a@5", "/a", "<c@6", "/c",
                // CR LF and a lone CR each end a line.
                "<{urn:default}empty@8", "/empty", "/rss", "finish",
            ])
        #expect(recorder.texts["a"] == "A <b> あ😀 <p>]]>")
        #expect(recorder.texts["c"] == "line\none\ntwo")
        #expect(recorder.attributes["a"] == ["id": "1", "b": "x&y z"])
    }

    @Test(arguments: [
        ("<a><b></a>", "1: </a> closes <b> opened at line 1"),
        ("<a>\n<b>text", "2: the file ends inside <b> opened at line 2 (truncated?)"),
        ("<a><![CDATA[x", "1: an unfinished CDATA section opened at line 1 (truncated?)"),
        ("<a b=\"1\" b=\"2\"/>", "1: an attribute given twice"),
        ("<a b=1/>", "1: an attribute value without quotes"),
        ("<a>&nbsp;</a>", "1: the entity &nbsp; that XML does not define (HTML names such as &nbsp; need CDATA)"),
        ("<a>AT&T</a>", "1: an & that starts no entity (write &amp;)"),
        ("<a>&#0;</a>", "1: a character reference &#0; to no character XML allows"),
        ("<a>\u{1}</a>", "1: a character XML does not allow (U+0001)"),
        ("<a>]]></a>", "1: ]]> outside a CDATA section"),
        ("<wp:a/>", "1: the namespace prefix wp: is not declared"),
        ("<a/><b/>", "1: a second root element after the end of the document"),
        ("<a/>text", "1: text after the end of the document"),
        ("hello", "1: no XML element where the document should start"),
        ("<?xml version=\"1.0\"?>\n<!-- only a comment -->\n", "3: no XML element in the file"),
        (
            "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a/>",
            "1: the file is in iso-8859-1; only UTF-8 is read (convert it first, e.g. with iconv)"
        ),
        ("<a", "1: the file ends inside the tag <a> of line 1 (truncated?)"),
    ])
    func malformedDocuments(_ xml: String, _ expected: String) {
        #expect(problem(xml) == expected)
    }

    @Test func utf16AndInvalidUTF8AreRefused() throws {
        let utf16 = folder.file("utf16.xml")
        try Data([0xFF, 0xFE, 0x3C, 0x00, 0x61, 0x00]).write(to: URL(fileURLWithPath: utf16))
        #expect(throws: ImportError.malformedXML(file: utf16, line: 1, problem: "the file is UTF-16; only UTF-8 is read")) {
            try XMLEventReader.read(file: utf16, handler: Recorder(), progress: nil)
        }
        let latin1 = folder.file("latin1.xml")
        try Data(Array("<a>caf".utf8) + [0xE9] + Array("</a>".utf8)).write(to: URL(fileURLWithPath: latin1))
        #expect(throws: ImportError.malformedXML(file: latin1, line: 1, problem: "text that is not valid UTF-8 in <a>")) {
            try XMLEventReader.read(file: latin1, handler: Recorder(), progress: nil)
        }
    }

    @Test func textAndCDATALongerThanTheWindowArriveWhole() throws {
        let long = String(repeating: "停戦交渉 & ]] > ", count: 40_000)  // ~720 KB, several windows
        let escaped = long.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: ">", with: "&gt;")
        let recorder = try read("<r><t>\(escaped)</t><c><![CDATA[\(long)]]></c></r>")
        #expect(recorder.texts["t"] == long)
        #expect(recorder.texts["c"] == long)
    }

    /// Cut anywhere, the WordPress fixture is refused with an error, never read as if complete.
    @Test func everyTruncationOfAnExportIsAnError() throws {
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: Fixture.path("wordpress.xml"))))
        let end = bytes.count - "</channel>\n</rss>\n".utf8.count
        for length in stride(from: 0, to: end, by: 61) {
            let file = folder.file("cut.xml")
            try Data(bytes[..<length]).write(to: URL(fileURLWithPath: file))
            #expect(throws: ImportError.self, "cut at \(length)") { try Fixture.read(.wordpress, file) }
        }
    }
}
