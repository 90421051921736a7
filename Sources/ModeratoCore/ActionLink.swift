#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A one-click moderation link (`/moderation/act/{token}`), as the moderator's notification
/// carries it: one action on one comment, valid while the comment still has the status it had
/// when the moderator was told, until `expiresAt`, and (the store keeps track) only once.
///
/// The token is the binding itself, signed with the install's action-link key (`Keyring`), so
/// nothing needs to be stored when a notification is sent, and a token cannot be made to point at
/// another comment, another action or a later time. Isso's links never expire and act on whatever
/// comment later has the id; these cannot.
public struct ActionLink: Sendable, Equatable {
    public var commentID: Int64
    public var action: ModerationAction
    /// The comment's status when the notification was written: a link acts only from there.
    public var status: CommentStatus
    /// Whole seconds; the link is refused from this moment on.
    public var expiresAt: Date
    /// The notification the link belongs to (0 for `moderato notify test`).
    public var eventID: Int64

    public init(commentID: Int64, action: ModerationAction, status: CommentStatus, expiresAt: Date, eventID: Int64) {
        self.commentID = commentID
        self.action = action
        self.status = status
        self.expiresAt = Date(timeIntervalSince1970: expiresAt.timeIntervalSince1970.rounded(.down))
        self.eventID = eventID
    }

    /// Bytes of the signed payload: version, comment id, action, status, expiry, event id.
    static let payloadLength = 1 + 8 + 1 + 1 + 8 + 8
    /// The first 16 bytes of the HMAC-SHA256 (128 bits) sign the payload.
    static let tagLength = 16
    static let version: UInt8 = 1
    /// Characters of a token: base64url of payload and tag, without padding.
    public static let tokenLength = 58

    /// The token for the link's URL: base64url, 58 characters.
    public func token(keyring: Keyring) -> String {
        let payload = self.payload
        return Base64URL.encode(payload + keyring.actionLinkTag(payload).prefix(Self.tagLength))
    }

    /// What identifies this link for "used once": its tag, in hex.
    public func id(keyring: Keyring) -> String {
        keyring.actionLinkTag(payload).prefix(Self.tagLength).hexString
    }

    /// Reads a token this install signed: `.malformed` for anything that is not a token at all,
    /// `.forged` for a well-formed token whose signature does not match (another install's, or
    /// altered). Expiry and status are for the caller to judge, against its clock and store.
    public static func read(_ token: String, keyring: Keyring) -> Result<(link: ActionLink, id: String), ActionLinkRefusal> {
        guard token.utf8.count == tokenLength, let bytes = Base64URL.decode(token), bytes.count == payloadLength + tagLength,
            bytes[0] == version,
            // One spelling per token: the last character's spare bits must be zero.
            Base64URL.encode(bytes) == token
        else { return .failure(.malformed) }
        let payload = Array(bytes.prefix(payloadLength))
        let tag = Array(bytes.suffix(tagLength))
        let expected = Array(keyring.actionLinkTag(payload).prefix(tagLength))
        // Compared in constant time: how many leading bytes match must not show in the timing.
        var difference: UInt8 = 0
        for index in 0..<tagLength { difference |= tag[index] ^ expected[index] }
        guard difference == 0 else { return .failure(.forged) }
        // Signed by us, so the fields are ours; still, an unknown code is refused rather than trusted.
        guard let action = actionCodes.first(where: { $0.value == payload[9] })?.key,
            let status = statusCodes.first(where: { $0.value == payload[10] })?.key
        else { return .failure(.malformed) }
        let link = ActionLink(
            commentID: Int64(bigEndianBytes: payload[1..<9]), action: action, status: status,
            expiresAt: Date(timeIntervalSince1970: TimeInterval(Int64(bigEndianBytes: payload[11..<19]))),
            eventID: Int64(bigEndianBytes: payload[19..<27])
        )
        return .success((link, tag.hexString))
    }

    /// Whether the link may no longer be used at `now`.
    public func isExpired(at now: Date) -> Bool {
        now >= expiresAt
    }

    private var payload: [UInt8] {
        var bytes: [UInt8] = [Self.version]
        bytes += commentID.bigEndianBytes
        bytes.append(Self.actionCodes[action]!)
        bytes.append(Self.statusCodes[status]!)
        bytes += Int64(expiresAt.timeIntervalSince1970).bigEndianBytes
        bytes += eventID.bigEndianBytes
        return bytes
    }

    // Fixed codes, never reordered: tokens already sent must keep their meaning.
    private static let actionCodes: [ModerationAction: UInt8] = [.approve: 1, .hold: 2, .spam: 3, .trash: 4]
    private static let statusCodes: [CommentStatus: UInt8] = [.pending: 1, .approved: 2, .spam: 3, .trash: 4]
}

/// Why a token is not a link of this install.
public enum ActionLinkRefusal: Error, Sendable, Equatable {
    /// Not a token at all (wrong length, alphabet or version).
    case malformed
    /// Shaped like a token, but not signed with this install's key.
    case forged
}

extension Int64 {
    fileprivate var bigEndianBytes: [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: UInt64(bitPattern: self) >> (56 - 8 * UInt64($0))) }
    }

    fileprivate init(bigEndianBytes bytes: ArraySlice<UInt8>) {
        self = Int64(bitPattern: bytes.reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
    }
}
