import Foundation
import Testing

/// A sendmail-compatible program for tests: records its arguments and each message it is given,
/// and exits 75 (EX_TEMPFAIL, "try again later") for its first `failures` runs.
struct FakeSendmail {
    let folder: String
    var path: String { folder + "/sendmail" }

    init(in parent: String, failures: Int = 0) throws {
        folder = parent + "/sendmail-runs"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let script = """
            #!/bin/sh
            dir="$(dirname "$0")"
            n=$(( $(cat "$dir/count" 2>/dev/null || echo 0) + 1 ))
            printf '%s\\n' "$@" > "$dir/args-$n"
            cat > "$dir/mail-$n"
            echo "$n" > "$dir/count"  # last: a run counts once its files are complete
            [ "$n" -le \(failures) ] && exit 75
            exit 0

            """
        try script.write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o755)
    }

    /// How many times it ran.
    var runs: Int {
        (try? String(contentsOfFile: folder + "/count", encoding: .utf8)).flatMap {
            Int($0.trimmingCharacters(in: .whitespacesAndNewlines))
        } ?? 0
    }

    func message(_ run: Int) -> String? {
        try? String(contentsOfFile: folder + "/mail-\(run)", encoding: .utf8)
    }

    func arguments(_ run: Int) -> [String] {
        ((try? String(contentsOfFile: folder + "/args-\(run)", encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    /// The message as a mail client reads it: Python's email package parses it.
    func parsed(_ run: Int) throws -> ParsedMail {
        try ParsedMail(file: folder + "/mail-\(run)")
    }
}

/// A mail parsed back by Python's email package (`Tests/Notifications/parse_mail.py`).
struct ParsedMail {
    let headers: [String: String]
    let defects: [String]
    let contentType: String
    let charset: String?
    let text: String
    let longestLine: Int

    init(file: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", repositoryRoot + "/Tests/Notifications/parse_mail.py", file]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        headers = object["headers"] as? [String: String] ?? [:]
        defects = object["defects"] as? [String] ?? []
        contentType = object["content_type"] as? String ?? ""
        charset = object["charset"] as? String
        text = object["text"] as? String ?? ""
        longestLine = object["longest_line"] as? Int ?? 0
    }
}

let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../..").standardized.path

/// Waits until `condition` holds, up to `timeout` seconds; whether it did.
func eventually(within timeout: TimeInterval, _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(100))
    }
    return try await condition()
}

/// The one-click links in a text, by the label before them.
func actionLinks(in text: String) -> [String: String] {
    var links: [String: String] = [:]
    for line in text.split(whereSeparator: \.isNewline) {
        let parts = line.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 2, parts[1].contains("/moderation/act/") else { continue }
        links[parts[0].lowercased().trimmingCharacters(in: CharacterSet(charactersIn: ":"))] = String(parts[1])
    }
    return links
}
