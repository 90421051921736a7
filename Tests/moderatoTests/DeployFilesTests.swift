import Foundation
import Testing

/// The files in deploy/ are real: the unit verifies and the production config loads.
@Suite("deploy/")
struct DeployFilesTests {
    static let deployFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../deploy").standardized.path

    @Test func theSystemdUnitPassesSystemdAnalyzeVerify() throws {
        let folder = WorkingFolder()
        // The unit names the installed binary; verify it against the one just built.
        let unit = try String(contentsOfFile: Self.deployFolder + "/moderato.service", encoding: .utf8)
            .replacingOccurrences(of: "/usr/local/bin/moderato", with: CommandRunner.binary)
        #expect(unit.contains("DynamicUser=yes") && unit.contains("ProtectSystem=strict") && unit.contains("NoNewPrivileges=yes"))
        #expect(unit.contains("StateDirectory=moderato") && unit.contains("ReadWritePaths=/var/lib/moderato"))
        try Self.expectSystemdAnalyzeVerifies(try folder.write(unit, to: "moderato.service"))
    }

    /// The template for several servers on PostgreSQL: one instance per port, verified as one.
    @Test func theSeveralServersTemplatePassesSystemdAnalyzeVerify() throws {
        let folder = WorkingFolder()
        let unit = try String(contentsOfFile: Self.deployFolder + "/moderato@.service", encoding: .utf8)
            .replacingOccurrences(of: "/usr/local/bin/moderato", with: CommandRunner.binary)
        #expect(unit.contains("--port %i") && unit.contains("EnvironmentFile=/etc/moderato/database.env"))
        #expect(unit.contains("User=moderato") && unit.contains("NoNewPrivileges=yes") && !unit.contains("DynamicUser=yes"))
        try Self.expectSystemdAnalyzeVerifies(try folder.write(unit, to: "moderato@8081.service"))
    }

    /// `systemd-analyze verify` accepts the unit file at `path` without a word.
    static func expectSystemdAnalyzeVerifies(_ path: String) throws {
        let verify = Process()
        verify.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        verify.arguments = ["systemd-analyze", "verify", path]
        let output = Pipe()
        verify.standardOutput = output
        verify.standardError = output
        try verify.run()
        verify.waitUntilExit()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(verify.terminationStatus == 0, "systemd-analyze verify (install the systemd package): \(text)")
        #expect(text.isEmpty, "no warnings: \(text)")
    }

    @Test func theProductionConfigLoadsWithEveryKey() throws {
        let folder = WorkingFolder()
        var runner = folder.runner
        // Everything else as in the file; the database goes to the test's folder.
        runner.environment = [
            "MODERATO_DATABASE_PATH": folder.path + "/db.sqlite", "MODERATO_SECRET_KEY_FILE": folder.path + "/secret.key",
        ]
        let migrate = try runner.run("migrate", "--config", Self.deployFolder + "/moderato.production.yaml")
        #expect(migrate.status == 0, "\(migrate.stderr)")
        let shipped = try String(contentsOfFile: Self.deployFolder + "/../Config/moderato.yaml", encoding: .utf8)
        let production = try String(contentsOfFile: Self.deployFolder + "/moderato.production.yaml", encoding: .utf8)
        // Every dotted key, from the indentation (two spaces a level): notify.webhook.url.
        func keys(_ yaml: String) -> Set<String> {
            var path: [String] = []
            var found: Set<String> = []
            for line in yaml.split(separator: "\n") where !line.hasPrefix("#") && line.contains(":") {
                let depth = line.prefix { $0 == " " }.count / 2
                path = Array(path.prefix(depth)) + [String(line.drop { $0 == " " }.prefix { $0 != ":" })]
                found.insert(path.joined(separator: "."))
            }
            return found
        }
        #expect(keys(production) == keys(shipped))
        #expect(production.contains("demo: false"))
    }
}
