import Foundation
import HTTPTypes
import HummingbirdTesting
import ModeratoCore
import ModeratoStore
import Testing

@testable import ModeratoServer

/// `GET /feed.atom` read by a real feed library: Python's `feedparser` (from PyPI), installed once
/// in a virtual environment under `.venv/` (git-ignored) the first time these tests run.
@Suite("Atom feed")
struct AtomFeedTests {
    @Test(.enabled(if: FeedParser.python3 != nil, "python3 is not installed: the Atom feed is not checked by feedparser"))
    func feedparserReadsTheSameItemsAsTheJSONFeedWithIDsDatesAuthorsAndEscapedContent() async throws {
        let env = TestEnvironment {
            $0.site.name = "My Blog"
            $0.site.url = "https://blog.example.org"
            $0.server.publicURL = "https://comments.example.org"
            $0.site.language = "ja"
        }
        let bodies = [
            "Plain words.",
            "<script>alert(\"x\")</script> & 'quotes' \"double\" ]]> <![CDATA[",
            "日本語のコメントです。\n\n二段落目、改行も\nあります。 https://example.org/?a=1&b=2",
            "Tabs\tand ünïcödé, emoji 🎌, a lone & and &amp; written out.",
        ]
        try await env.seedVaried(bodies, post: "/2025/11/peace/")
        try await env.seed([.approved], post: "/other/")
        try await env.run { client async throws in
            for query in ["", "?post=/2025/11/peace/"] {
                let json = try await client.execute(uri: "/feed.json" + query, method: .get).json()
                let items = try #require(json["items"] as? [[String: Any]])
                let atom = try await client.execute(uri: "/feed.atom" + query, method: .get)
                #expect(atom.status == .ok)
                #expect(atom.headers[.contentType] == "application/atom+xml")
                #expect(atom.headers[.contentLanguage] == "ja")
                let parsed = try FeedParser.parse(atom.text)

                #expect(parsed["bozo"] as? Int == 0, "well-formed: \(parsed["bozo_exception"] ?? "")")
                #expect(parsed["version"] as? String == "atom10")
                let feed = try #require(parsed["feed"] as? [String: Any])
                #expect(feed["title"] as? String == json["title"] as? String)
                #expect(feed["language"] as? String == "ja")
                #expect(feed["id"] as? String == "https://comments.example.org/feed.atom" + query)
                let links = feed["links"] as? [[String: String]] ?? []
                #expect(links.contains { $0["rel"] == "self" && $0["href"] == "https://comments.example.org/feed.atom" + query })
                #expect(links.contains { $0["rel"] == "alternate" && $0["href"] == json["home_page_url"] as? String })

                let entries = try #require(parsed["entries"] as? [[String: Any]])
                #expect(entries.count == items.count, "the same items as the JSON Feed")
                #expect(entries.count == (query.isEmpty ? bodies.count + 1 : bodies.count))
                #expect(feed["updated"] as? Int == entries.compactMap { $0["updated"] as? Int }.max(), "the newest entry")
                #expect(Set(entries.compactMap { $0["id"] as? String }).count == entries.count, "ids are unique")
                for (entry, item) in zip(entries, items) {
                    let id = try #require(item["id"] as? String)
                    let authors = try #require(item["authors"] as? [[String: Any]])
                    #expect(entry["link"] as? String == item["url"] as? String)
                    #expect((entry["id"] as? String)?.hasPrefix("tag:blog.example.org,20") == true)
                    #expect((entry["id"] as? String)?.hasSuffix(":comment:\(id)") == true)
                    #expect(entry["content_type"] as? String == "text/html")
                    #expect(entry["content"] as? String == item["content_html"] as? String, "escaped once in XML, exact after parsing")
                    #expect(entry["author"] as? String == authors.first?["name"] as? String)
                    #expect(entry["author_href"] as? String == authors.first?["url"] as? String)
                    let published = try #require(item["date_published"] as? String)
                    #expect(entry["updated"] as? Int == Int(try Date(published, strategy: .iso8601).timeIntervalSince1970))
                    #expect(entry["published"] as? Int == entry["updated"] as? Int)
                    #expect((entry["title"] as? String)?.contains(authors.first?["name"] as? String ?? "?") == true)
                }
            }
            // An id is the comment's for good: a later comment leaves the earlier ids as they were.
            let before = try FeedParser.parse(try await client.execute(uri: "/feed.atom", method: .get).text)
            try await env.seed([.approved], post: "/2025/11/peace/")
            var after = before
            let deadline = ContinuousClock.now + .seconds(5)
            while (after["entries"] as? [Any])?.count == (before["entries"] as? [Any])?.count, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
                after = try FeedParser.parse(try await client.execute(uri: "/feed.atom", method: .get).text)
            }
            let oldIDs = (before["entries"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            let newIDs = (after["entries"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            #expect(newIDs.count == oldIDs.count + 1)
            #expect(Array(newIDs.dropFirst()) == oldIDs)
        }
    }

    @Test func theAtomFeedIsCachedAndRevalidatedLikeTheOtherPublicReads() async throws {
        let env = TestEnvironment()
        try await env.seed([.approved, .pending], post: "/p/")
        try await env.run { client async throws in
            let first = try await client.execute(uri: "/feed.atom?post=/p/", method: .get)
            #expect(first.headers[.cacheControl] == "public, max-age=5")
            let etag = try #require(first.headers[.eTag])
            let again = try await client.execute(uri: "/feed.atom?post=/p/", method: .get, headers: [.ifNoneMatch: etag])
            #expect(again.status == .notModified)
            #expect(again.body.readableBytes == 0)
            #expect(try await client.execute(uri: "/feed.json?post=/p/", method: .get).headers[.eTag] != etag, "its own document")

            try await env.setStatus(.approved, ids: [2])
            var fresh = first
            let deadline = ContinuousClock.now + .seconds(5)
            while fresh.headers[.eTag] == etag, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
                fresh = try await client.execute(uri: "/feed.atom?post=/p/", method: .get, headers: [.ifNoneMatch: etag])
            }
            #expect(fresh.status == .ok, "a newly approved comment changes the feed")
            #expect(fresh.text.components(separatedBy: "<entry>").count == 3)

            let bad = try await client.execute(uri: "/feed.atom?post=nope", method: .get)
            #expect(bad.status == .badRequest)
            #expect(try bad.errorFields() == ["post"])
        }
    }

    @Test func textThatXMLCannotHoldIsReplacedNotSentBroken() {
        #expect(AtomFeed.escape("a<b>&\"'") == "a&lt;b&gt;&amp;&quot;&apos;")
        #expect(AtomFeed.escape("x\u{FFFE}y\u{FFFF}z\u{1}") == "x\u{FFFD}y\u{FFFD}z\u{FFFD}")
        #expect(AtomFeed.escape("改行\nと\tタブ 🎌") == "改行\nと\tタブ 🎌")
        #expect(AtomFeed.tagAuthority(siteURL: "https://blog.example.org:8443/x") == "blog.example.org")
        #expect(
            AtomFeed.tagURI(authority: "blog.example.org", date: Date(timeIntervalSince1970: 1_764_219_780), specific: "comment:7")
                == "tag:blog.example.org,2025-11-27:comment:7")
    }
}

extension TestEnvironment {
    /// Approved comments with the given bodies, varied authors (with and without a website).
    @discardableResult
    func seedVaried(_ bodies: [String], post: PostKey) async throws -> [Int64] {
        let store = try await self.store()
        let keyring = try Keyring(secret: SecretKeyFile.loadOrCreate(path: configuration.secretKeyFile))
        var ids: [Int64] = []
        for (index, body) in bodies.enumerated() {
            let draft = CommentDraft(
                post: post, parent: ids.last, author: index % 2 == 0 ? "山田 & <太郎> \(index)" : "Reader \"\(index)\"",
                url: index % 2 == 0 ? "https://taro.example.org/?a=1&b=\(index)" : nil, body: body,
                emailHash: keyring.emailHash(normalizedEmail: "reader\(index)@example.org"), ipHash: nil
            )
            ids.append(try await store.submit(draft, rules: SubmissionRules(policy: ModerationPolicy(mode: .none, maxLinks: 0))).get().id)
        }
        return ids
    }
}

/// Python's feedparser in a virtual environment of its own, made once per checkout.
enum FeedParser {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized

    static let python3: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/python3" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    /// `.venv/feedparser/bin/python`, created with feedparser on first use (once per test run).
    static let python: Result<String, FeedParserError> = {
        guard let python3 else { return .failure(FeedParserError("python3 is not installed")) }
        let venv = root.appendingPathComponent(".venv/feedparser").path
        let python = venv + "/bin/python"
        if (try? run(python, ["-c", "import feedparser"]))?.status == 0 { return .success(python) }
        do {
            var made = try run(python3, ["-m", "venv", venv])
            guard made.status == 0 else {
                return .failure(FeedParserError("python3 -m venv failed (Debian: apt-get install python3-venv): \(made.output)"))
            }
            made = try run(python, ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "feedparser"])
            guard made.status == 0 else { return .failure(FeedParserError("pip install feedparser failed: \(made.output)")) }
            return .success(python)
        } catch {
            return .failure(FeedParserError("\(error)"))
        }
    }()

    /// What feedparser makes of an Atom document: the parts the tests compare, as JSON (dates as
    /// seconds since 1970, UTC).
    static let script = """
        import calendar, json, sys, feedparser
        d = feedparser.parse(open(sys.argv[1], "rb").read(), sanitize_html=False, resolve_relative_uris=False)
        seconds = lambda t: calendar.timegm(t) if t else None
        f = d.feed
        print(json.dumps({
            "bozo": int(d.bozo), "bozo_exception": str(d.get("bozo_exception", "")), "version": d.version,
            "feed": {"id": f.get("id"), "title": f.get("title"), "updated": seconds(f.get("updated_parsed")),
                     "language": f.get("language"),
                     "links": [{"rel": l.get("rel"), "href": l.get("href")} for l in f.get("links", [])]},
            "entries": [{"id": e.get("id"), "title": e.get("title"), "link": e.get("link"),
                         "updated": seconds(e.get("updated_parsed")), "published": seconds(e.get("published_parsed")),
                         "author": e.get("author"), "author_href": e.get("author_detail", {}).get("href"),
                         "content_type": (e.get("content") or [{}])[0].get("type"),
                         "content": (e.get("content") or [{}])[0].get("value")} for e in d.entries],
        }))
        """

    static func parse(_ xml: String) throws -> [String: Any] {
        let python = try python.get()
        let folder = NSTemporaryDirectory() + "moderato-atom-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try script.write(toFile: folder + "/read.py", atomically: true, encoding: .utf8)
        try xml.write(toFile: folder + "/feed.atom", atomically: true, encoding: .utf8)
        // Warnings on stderr stay out of the JSON.
        let result = try run(python, [folder + "/read.py", folder + "/feed.atom"], errors: FileHandle.nullDevice)
        guard result.status == 0, let object = try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any] else {
            throw FeedParserError("feedparser failed: \(result.output)")
        }
        return object
    }

    /// Runs a command; stdout (and stderr, unless sent elsewhere) is its output.
    static func run(_ executable: String, _ arguments: [String], errors: FileHandle? = nil) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        if let errors {
            process.standardError = errors
        } else {
            process.standardError = pipe
        }
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }
}

struct FeedParserError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
