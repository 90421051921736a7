import Foundation
import Testing

@testable import ModeratoServer

@Suite("The per-install secret")
struct SecretKeyFileTests {
    let folder = NSTemporaryDirectory() + "moderato-secret-tests-" + UUID().uuidString

    @Test func createdOnFirstUseWithMode0600AndReusedAfter() throws {
        let path = folder + "/data/secret.key"
        let first = try SecretKeyFile.loadOrCreate(path: path)
        #expect(first.count == 32)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect(try SecretKeyFile.loadOrCreate(path: path) == first)
        let other = try SecretKeyFile.loadOrCreate(path: folder + "/other.key")
        #expect(other != first, "random per install")
    }

    @Test func refusesFilesOthersCanRead() throws {
        let path = folder + "/open.key"
        _ = try SecretKeyFile.loadOrCreate(path: path)
        for mode in [0o644, 0o640, 0o604] as [mode_t] {
            chmod(path, mode)
            #expect(throws: SecretKeyError.tooOpen(path, mode: mode)) { try SecretKeyFile.loadOrCreate(path: path) }
        }
    }

    @Test func refusesEmptyAndShortFiles() throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let empty = folder + "/empty.key"
        _ = FileManager.default.createFile(atPath: empty, contents: Data(), attributes: [.posixPermissions: 0o600])
        #expect(throws: SecretKeyError.empty(empty)) { try SecretKeyFile.loadOrCreate(path: empty) }
        let short = folder + "/short.key"
        _ = FileManager.default.createFile(atPath: short, contents: Data(repeating: 1, count: 16), attributes: [.posixPermissions: 0o600])
        #expect(throws: SecretKeyError.tooShort(short, 16)) { try SecretKeyFile.loadOrCreate(path: short) }
    }

    @Test func theServerRefusesToStartWithABadSecret() async throws {
        let env = TestEnvironment()
        try FileManager.default.createDirectory(atPath: env.folder + "/data", withIntermediateDirectories: true)
        _ = FileManager.default.createFile(
            atPath: env.configuration.secretKeyFile, contents: Data(), attributes: [.posixPermissions: 0o600])
        await #expect(throws: SecretKeyError.self) {
            try await env.run { _ in }
        }
    }
}
