import Foundation
import ModeratoCore

/// The folder that holds the database and the secrets.
public enum DataFolder {
    /// Creates the folder of `path` (and its parents) with mode 0700 when it does not exist: it
    /// holds comments, hashes and keys that nobody else on the machine should read.
    public static func create(containing path: String) throws {
        let folder = parentFolder(of: path)
        guard !folder.isEmpty, !FileManager.default.fileExists(atPath: folder) else { return }
        try FileManager.default.createDirectory(
            atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700]
        )
    }
}
