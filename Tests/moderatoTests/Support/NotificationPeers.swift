import Foundation

/// The other ends of notifications, as real programs on loopback (`Tests/Notifications`): a
/// webhook endpoint that verifies each delivery with the reference Standard Webhooks library, and
/// an SMTP server (aiosmtpd). Both run in a Python venv the tests make on first use.
enum NotificationPeers {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../..").standardized.path

    /// The venv's python, made (pip install) once per test run.
    static let python: Result<String, PeerError> = {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [root + "/Tests/Notifications/venv.sh"]
        let output = Pipe()
        process.standardOutput = output
        do {
            try process.run()
        } catch {
            return .failure(.venv("cannot run venv.sh: \(error)"))
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let path = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard process.terminationStatus == 0, FileManager.default.isExecutableFile(atPath: path) else {
            return .failure(.venv("Tests/Notifications/venv.sh failed (status \(process.terminationStatus))"))
        }
        return .success(path)
    }()

    /// Starts a script of `Tests/Notifications` and waits for the port it writes.
    static func start(_ script: String, arguments: [String], portFile: String) throws -> (Process, Int) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try python.get())
        process.arguments = [root + "/Tests/Notifications/" + script] + arguments + ["--port-file", portFile]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if let text = try? String(contentsOfFile: portFile, encoding: .utf8), let port = Int(text) { return (process, port) }
            guard process.isRunning else { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        kill(process.processIdentifier, SIGKILL)
        throw PeerError.didNotStart(script)
    }
}

enum PeerError: Error {
    case venv(String)
    case didNotStart(String)
}

/// `webhook_receiver.py`: a Standard Webhooks consumer on loopback.
final class WebhookReceiver {
    enum Mode: String { case answer, hang, garbage }

    let process: Process
    let port: Int
    let logFile: String

    /// `port` 0 picks a free one; a receiver restarted on the same port appends to the same log.
    init(folder: String, secretFile: String, mode: Mode = .answer, failFirst: Int = 0, port: Int = 0) throws {
        logFile = folder + "/webhook-received.jsonl"
        let portFile = folder + "/webhook-port-" + UUID().uuidString
        (process, self.port) = try NotificationPeers.start(
            "webhook_receiver.py",
            arguments: [
                "--secret-file", secretFile, "--log", logFile, "--mode", mode.rawValue, "--fail-first", String(failFirst), "--port",
                String(port),
            ],
            portFile: portFile)
    }

    var url: String { "http://127.0.0.1:\(port)/hooks/moderato" }

    /// Every request received so far, oldest first: `headers`, `body`, `verified`, `payload`, `answer`.
    var received: [[String: Any]] {
        ((try? String(contentsOfFile: logFile, encoding: .utf8)) ?? "").split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }

    /// SIGKILL: a test peer needs no goodbye, and a signal that could be blocked would hang the test.
    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    deinit { stop() }
}

/// `smtp_sink.py`: an SMTP server on loopback that keeps each message, parsed back.
final class SMTPSink {
    let process: Process
    let port: Int
    let folder: String

    init(folder: String) throws {
        self.folder = folder + "/smtp"
        try FileManager.default.createDirectory(atPath: self.folder, withIntermediateDirectories: true)
        (process, port) = try NotificationPeers.start(
            "smtp_sink.py", arguments: ["--folder", self.folder], portFile: folder + "/smtp-port")
    }

    /// Each message: `mail_from`, `rcpt_tos`, `headers` (decoded), `content_type`, `charset`, `text`.
    var messages: [[String: Any]] {
        var found: [[String: Any]] = []
        var index = 1
        while let data = FileManager.default.contents(atPath: "\(folder)/\(index).json"),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        {
            found.append(object)
            index += 1
        }
        return found
    }

    func raw(_ index: Int) -> String {
        (try? String(contentsOfFile: "\(folder)/\(index).eml", encoding: .utf8)) ?? ""
    }

    /// SIGKILL: a test peer needs no goodbye, and a signal that could be blocked would hang the test.
    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    deinit { stop() }
}

/// Waits until `condition` holds, up to `timeout` seconds; whether it did.
func eventually(within timeout: TimeInterval, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if try condition() { return true }
        Thread.sleep(forTimeInterval: 0.1)
    }
    return try condition()
}
