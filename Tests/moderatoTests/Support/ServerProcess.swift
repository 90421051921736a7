import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `moderato serve` running as a real process on a free port, for tests of the CLI against a live
/// server sharing the same database file.
final class ServerProcess {
    let process = Process()
    let port: Int
    let log: Pipe = Pipe()

    /// Where the server's output goes when the test reads it while the server runs (see `logText`).
    let logFile: String?

    init(folder: WorkingFolder, environment: [String: String] = [:], arguments: [String] = [], logFile: String? = nil) throws {
        port = try Self.freePort()
        self.logFile = logFile
        process.executableURL = URL(fileURLWithPath: CommandRunner.binary)
        process.arguments = ["serve", "--port", String(port)] + arguments
        process.currentDirectoryURL = URL(fileURLWithPath: folder.path)
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("MODERATO_") }
        // Every test posts from 127.0.0.1 in quick succession: the flood and rate rules are tested
        // through the HTTP stack elsewhere, and are off here unless a test turns them on.
        env["MODERATO_LIMITS_FLOOD_SECONDS"] = "0"
        env["MODERATO_LIMITS_RATE_PER_MINUTE"] = "0"
        env.merge(environment) { $1 }
        process.environment = env
        if let logFile {
            if !FileManager.default.fileExists(atPath: logFile) {  // a restarted server adds to it
                _ = FileManager.default.createFile(atPath: logFile, contents: nil)
            }
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: logFile))
            handle.seekToEndOfFile()
            process.standardOutput = handle
            process.standardError = handle
        } else {
            process.standardOutput = log
            process.standardError = log
        }
        try process.run()
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            if let response = try? request("GET", "/healthz"), response.status == 200 { return }
            guard process.isRunning else { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        stop()
        throw ServerProcessError.didNotStart(
            logFile.map(Self.read) ?? String(decoding: log.fileHandleForReading.availableData, as: UTF8.self))
    }

    /// Everything the server has written so far (with `logFile`).
    var logText: String {
        logFile.map(Self.read) ?? ""
    }

    private static func read(_ file: String) -> String {
        (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
    }

    /// SIGTERM, then wait: the server shuts down gracefully. One that has not exited after
    /// `timeout` seconds is killed and reported as `SIGKILL` (9), so a hung shutdown fails the test
    /// that expected a clean one instead of hanging the whole run.
    @discardableResult
    func stop(timeout: TimeInterval = 30) -> Int32 {
        guard process.isRunning else { return process.terminationStatus }
        process.terminate()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return SIGKILL
        }
        return process.terminationStatus
    }

    deinit { stop() }

    var endpoint: ServerEndpoint { ServerEndpoint(port: port) }

    func request(_ method: String, _ path: String, headers: [String: String] = [:], body: Data? = nil) throws -> ServerEndpoint.Reply {
        try endpoint.request(method, path, headers: headers, body: body)
    }

    func submit(
        body: String, author: String = "Reader", email: String, post: String = "/p/", parent: Int? = nil
    ) throws -> ServerEndpoint.Reply {
        try endpoint.submit(body: body, author: author, email: email, post: post, parent: parent)
    }

    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        guard bound == 0 else { throw ServerProcessError.noPort }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

enum ServerProcessError: Error {
    case didNotStart(String)
    case noResponse
    case noPort
}

private final class ResultBox: @unchecked Sendable {
    // @unchecked: written once by URLSession's delegate queue before `signal`, read only after `wait`.
    private let semaphore = DispatchSemaphore(value: 0)
    var data: Data?
    var response: HTTPURLResponse?
    var error: (any Error)?

    func set(data: Data?, response: HTTPURLResponse?, error: (any Error)?) {
        self.data = data
        self.response = response
        self.error = error
        semaphore.signal()
    }

    func wait() { semaphore.wait() }
}

private final class NoRedirects: NSObject, URLSessionTaskDelegate {
    func urlSession(
        _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void
    ) {
        completionHandler(nil)
    }
}

/// Where a test server listens, with the HTTP calls tests make; Sendable, so several threads may
/// post at once.
struct ServerEndpoint: Sendable {
    let port: Int
    var baseURL: String { "http://127.0.0.1:\(port)" }

    struct Reply {
        var status: Int
        var headers: [String: String]
        var body: Data
        var text: String { String(decoding: body, as: UTF8.self) }
        func json() throws -> Any { try JSONSerialization.jsonObject(with: body) }
    }

    /// One HTTP exchange, synchronously, without following redirects.
    func request(_ method: String, _ path: String, headers: [String: String] = [:], body: Data? = nil) throws -> Reply {
        var request = URLRequest(url: URL(string: baseURL + path)!)
        request.httpMethod = method
        request.httpBody = body
        request.timeoutInterval = 10
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let box = ResultBox()
        let configuration = URLSessionConfiguration.ephemeral
        configuration.urlCache = nil  // every request must reach the server: freshness is under test
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        let session = URLSession(configuration: configuration, delegate: NoRedirects(), delegateQueue: nil)
        session.dataTask(with: request) { data, response, error in
            box.set(data: data, response: response as? HTTPURLResponse, error: error)
        }.resume()
        box.wait()
        session.finishTasksAndInvalidate()
        if let error = box.error { throw error }
        guard let response = box.response else { throw ServerProcessError.noResponse }
        var fields: [String: String] = [:]
        for (key, value) in response.allHeaderFields { fields[String(describing: key).lowercased()] = String(describing: value) }
        return Reply(status: response.statusCode, headers: fields, body: box.data ?? Data())
    }

    /// POSTs a JSON comment and returns its id.
    func submit(body: String, author: String = "Reader", email: String, post: String = "/p/", parent: Int? = nil) throws -> Reply {
        var object: [String: Any] = ["body": body, "author": author, "email": email, "post": post]
        if let parent { object["parent"] = parent }
        return try request(
            "POST", "/comments", headers: ["Content-Type": "application/json"], body: try JSONSerialization.data(withJSONObject: object))
    }

}
