import Foundation
import Testing

@Suite("The moderato binary: migrate and startup errors")
struct StartupTests {
    @Test func migrateCreatesTheDatabaseAndIsIdempotent() throws {
        let folder = WorkingFolder()
        let first = try folder.runner.run("migrate")
        #expect(first.status == 0, "\(first.stderr)")
        // Every file of Schema/sqlite, in order: the binary embeds them all.
        let schema = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Schema/sqlite").standardized.path
        let names = try FileManager.default.contentsOfDirectory(atPath: schema).filter { $0.hasSuffix(".sql") }.sorted()
        #expect(names.count >= 6)
        #expect(first.stdout == names.map { "Applied migration \($0.dropLast(4)).\n" }.joined())
        #expect(FileManager.default.fileExists(atPath: folder.path + "/data/moderato.sqlite"))
        #expect(FileManager.default.fileExists(atPath: folder.path + "/data/secret.key"), "a new install gets its secret")
        let second = try folder.runner.run("migrate")
        #expect(second.status == 0)
        #expect(second.stdout == "Database data/moderato.sqlite is up to date.\n")
    }

    @Test func migrateHonoursTheConfigFileAndTheEnvironment() throws {
        let folder = WorkingFolder()
        let config = try folder.write("database:\n  path: db/from-file.sqlite\n", to: "custom.yaml")
        #expect(try folder.runner.run("migrate", "--config", config).status == 0)
        #expect(FileManager.default.fileExists(atPath: folder.path + "/db/from-file.sqlite"))
        var runner = folder.runner
        runner.environment["MODERATO_DATABASE_PATH"] = "env.sqlite"
        #expect(try runner.run("migrate", "--config", config).status == 0)
        #expect(FileManager.default.fileExists(atPath: folder.path + "/env.sqlite"))
    }

    @Test func serveRefusesAnInvalidConfigNamingFileKeyAndProblem() throws {
        let folder = WorkingFolder()
        let config = try folder.write("server:\n  port: eighty\n", to: "bad.yaml")
        let result = try folder.runner.run("serve", "--config", config)
        #expect(result.status == 1)
        #expect(result.stderr == "moderato: configuration error in \(config): server.port must be an integer\n")

        let unknown = try folder.write("limits:\n  bodies: 5\n", to: "unknown.yaml")
        let unknownResult = try folder.runner.run("serve", "--config", unknown)
        #expect(unknownResult.status == 1)
        #expect(unknownResult.stderr.contains("limits.bodies is not a known key"))

        let missing = try folder.runner.run("serve", "--config", folder.path + "/absent.yaml")
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("absent.yaml does not exist"))
    }

    @Test func serveRefusesAWorldReadableSecret() throws {
        let folder = WorkingFolder()
        try FileManager.default.createDirectory(atPath: folder.path + "/data", withIntermediateDirectories: true)
        let secret = folder.path + "/data/secret.key"
        _ = FileManager.default.createFile(atPath: secret, contents: Data(repeating: 9, count: 32), attributes: [.posixPermissions: 0o644])
        let result = try folder.runner.run("serve", "--port", "0")
        #expect(result.status == 1)
        #expect(result.stderr.contains("secret file data/secret.key is readable by other users (mode 644)"))
    }

    @Test func usageErrorsExitWith2() throws {
        let folder = WorkingFolder()
        let badValue = try folder.runner.run("serve", "--port", "not-a-number")
        #expect(badValue.status == 2)
        #expect(badValue.stderr.contains("--port"))
        let unknown = try folder.runner.run("frobnicate")
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("Usage:") || unknown.stderr.contains("USAGE"))
        let help = try folder.runner.run("--help")
        #expect(help.status == 0)
        #expect(help.stdout.contains("serve"))
    }
}
