import Crypto
import Foundation
import ModeratoStore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The webhook signing secret (`notify.webhook.secret_file`), in the Standard Webhooks form the
/// receiving end pastes into its verifier: `whsec_` and the base64 of 32 random bytes.
///
/// Created (mode 0600) the first time a webhook is configured, and refused, like the main secret,
/// when other users could read it: whoever has it can forge notifications.
public struct WebhookSecret: Sendable, Equatable {
    /// The HMAC key: the bytes the base64 stands for.
    public let key: [UInt8]

    /// The file's text: `whsec_…`.
    public var text: String { "whsec_" + Data(key).base64EncodedString() }

    /// Reads `whsec_<base64>`, surrounding whitespace allowed; Standard Webhooks keys are 24 to 64 bytes.
    public init?(text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.hasPrefix("whsec_") else { return nil }
        var encoded = String(trimmed.dropFirst("whsec_".count))
        encoded += String(repeating: "=", count: (4 - encoded.utf8.count % 4) % 4)
        guard let data = Data(base64Encoded: encoded), (24...64).contains(data.count) else { return nil }
        key = Array(data)
    }

    init(key: [UInt8]) {
        self.key = key
    }

    /// `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`: the `webhook-signature` header.
    public func signature(messageID: String, timestamp: Int, body: [UInt8]) -> String {
        var signed = Array("\(messageID).\(timestamp).".utf8)
        signed += body
        let code = HMAC<SHA256>.authenticationCode(for: signed, using: SymmetricKey(data: key))
        return "v1," + Data(code).base64EncodedString()
    }
}

public enum WebhookSecretFile {
    /// Reads the secret at `path`, creating it (mode 0600) when the file does not exist.
    public static func loadOrCreate(path: String) throws(WebhookSecretError) -> WebhookSecret {
        switch OwnerOnlyFile.read(path) {
        case .failure(.missing): return try create(path: path)
        case .failure(.unreadable(let reason)): throw .unreadable(path, reason)
        case .failure(.notAFile): throw .notAFile(path)
        case .failure(.tooOpen(let mode)): throw .tooOpen(path, mode: mode)
        case .success(let data):
            guard let secret = WebhookSecret(text: String(decoding: data, as: UTF8.self)) else { throw .malformed(path) }
            return secret
        }
    }

    private static func create(path: String) throws(WebhookSecretError) -> WebhookSecret {
        do {
            try DataFolder.create(containing: path)
        } catch {
            throw .cannotCreate(path, "cannot create its folder")
        }
        let secret = WebhookSecret(key: SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) })
        if let reason = OwnerOnlyFile.create(path, bytes: Array(secret.text.utf8)) { throw .cannotCreate(path, reason) }
        return secret
    }
}

/// Why the webhook secret cannot be used: a startup error telling the operator what to do.
public enum WebhookSecretError: Error, CustomStringConvertible, Equatable {
    case unreadable(String, String)
    case notAFile(String)
    case tooOpen(String, mode: mode_t)
    case malformed(String)
    case cannotCreate(String, String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason):
            "webhook secret file \(path) cannot be read: \(reason)"
        case .notAFile(let path):
            "webhook secret file \(path) is not a regular file"
        case .tooOpen(let path, let mode):
            "webhook secret file \(path) is readable by other users (mode \(String(mode, radix: 8))); run: chmod 600 \(path)"
        case .malformed(let path):
            "webhook secret file \(path) must hold whsec_ and the base64 of 24 to 64 bytes; delete it to have a new one made (and give the new one to the receiving end)"
        case .cannotCreate(let path, let reason):
            "webhook secret file \(path) cannot be created: \(reason)"
        }
    }
}
