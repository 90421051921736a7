import Crypto
import Foundation
import ModeratoCore
import ModeratoStore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The per-install HMAC secret: 32 random bytes in a file only its owner can read.
///
/// Created on first start and reused ever after; losing it means email hashes can no longer be
/// matched (first-time moderation, blocks and erasure start over), so it belongs in backups.
public enum SecretKeyFile {
    public static let byteCount = 32

    /// Reads the secret at `path`, creating it (mode 0600) when the file does not exist.
    ///
    /// Only a new install may create it: with comments already stored, a fresh secret would
    /// silently unlink every email hash from its author (trust, blocks and erasure requests).
    public static func loadOrCreate(path: String) throws(SecretKeyError) -> [UInt8] {
        try load(path: path, createIfMissing: true)
    }

    /// Reads the secret at `path`; a missing file is an error unless `createIfMissing`.
    public static func load(path: String, createIfMissing: Bool = false) throws(SecretKeyError) -> [UInt8] {
        switch OwnerOnlyFile.read(path) {
        case .failure(.missing):
            guard createIfMissing else { throw .missing(path) }
            return try create(path: path)
        case .failure(.unreadable(let reason)): throw .unreadable(path, reason)
        case .failure(.notAFile): throw .notAFile(path)
        case .failure(.tooOpen(let mode)): throw .tooOpen(path, mode: mode)
        case .success(let data):
            guard !data.isEmpty else { throw .empty(path) }
            guard data.count >= byteCount else { throw .tooShort(path, data.count) }
            return data
        }
    }

    private static func create(path: String) throws(SecretKeyError) -> [UInt8] {
        do {
            try DataFolder.create(containing: path)
        } catch {
            throw .cannotCreate(path, "cannot create folder \(parentFolder(of: path))")
        }
        let secret = SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }
        if let reason = OwnerOnlyFile.create(path, bytes: secret) { throw .cannotCreate(path, reason) }
        return secret
    }
}

/// Why the secret cannot be used; each is a startup error telling the operator what to do.
public enum SecretKeyError: Error, CustomStringConvertible, Equatable {
    case missing(String)
    case unreadable(String, String)
    case notAFile(String)
    case tooOpen(String, mode: mode_t)
    case empty(String)
    case tooShort(String, Int)
    case cannotCreate(String, String)

    public var description: String {
        switch self {
        case .missing(let path):
            return
                "secret file \(path) is missing; restore it from your backup (email hashes of stored comments need it; only a new install creates one)"
        case .unreadable(let path, let reason):
            return "secret file \(path) cannot be read: \(reason)"
        case .notAFile(let path):
            return "secret file \(path) is not a regular file"
        case .tooOpen(let path, let mode):
            return "secret file \(path) is readable by other users (mode \(String(mode, radix: 8))); run: chmod 600 \(path)"
        case .empty(let path):
            return
                "secret file \(path) is empty; restore it from a backup, or delete it to start with a new secret (existing email hashes will no longer match)"
        case .tooShort(let path, let count):
            return "secret file \(path) holds \(count) bytes, at least \(SecretKeyFile.byteCount) are needed"
        case .cannotCreate(let path, let reason):
            return "secret file \(path) cannot be created: \(reason)"
        }
    }
}
