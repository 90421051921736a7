import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A secret kept in a file only its owner can read (the install's secret, the webhook secret):
/// the one place such a file is read, refused when others could read it, and created.
enum OwnerOnlyFile {
    enum ReadFailure: Error, Equatable {
        case missing
        case unreadable(String)
        case notAFile
        /// Readable by group or others; the mode found.
        case tooOpen(mode_t)
    }

    /// The file's bytes, when it is a regular file nobody but its owner can read.
    static func read(_ path: String) -> Result<[UInt8], ReadFailure> {
        var info = stat()
        guard stat(path, &info) == 0 else {
            return .failure(errno == ENOENT ? .missing : .unreadable(String(cString: strerror(errno))))
        }
        guard info.st_mode & S_IFMT == S_IFREG else { return .failure(.notAFile) }
        let permissions = info.st_mode & 0o777
        guard permissions & 0o077 == 0 else { return .failure(.tooOpen(permissions)) }
        guard let data = FileManager.default.contents(atPath: path) else { return .failure(.unreadable("permission denied")) }
        return .success(Array(data))
    }

    /// Writes `bytes` to a new file of mode 0600 and flushes it to disk; the reason when it cannot.
    /// O_EXCL: if another process created the file meanwhile, fail rather than overwrite its secret.
    static func create(_ path: String, bytes: [UInt8]) -> String? {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return String(cString: strerror(errno)) }
        defer { close(fd) }
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count, fsync(fd) == 0 else {
            unlink(path)
            return "could not write the secret"
        }
        return nil
    }
}
