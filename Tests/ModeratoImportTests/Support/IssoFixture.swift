import Foundation

/// The Isso database made by Isso 0.14.0 itself (`Fixtures/make-isso-db.py`), built once per
/// checkout into the git-ignored `Fixtures/.generated/` and reused.
enum IssoFixture {
    static let path = Fixture.path(".generated/isso-0.14.0.db")

    /// Why the fixture cannot be built here (no python3, no PyPI), or `nil` once it exists.
    /// Any other failure of the script is not a reason to skip: it leaves the file missing and
    /// the tests fail on it.
    static let unavailable: String? = {
        if FileManager.default.fileExists(atPath: path) { return nil }
        let python =
            ["/usr/bin/python3", "/usr/local/bin/python3"].first { FileManager.default.isExecutableFile(atPath: $0) }
            ?? ProcessInfo.processInfo.environment["PATH"]?.split(separator: ":")
            .map { "\($0)/python3" }.first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let python else { return "python3 is not installed" }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [Fixture.path("make-isso-db.py"), path]
        do {
            try process.run()
            process.waitUntilExit()
        } catch {
            return "python3 cannot run: \(error)"
        }
        return process.terminationStatus == 3 ? "python's venv, pip or PyPI is unavailable" : nil
    }()
}
