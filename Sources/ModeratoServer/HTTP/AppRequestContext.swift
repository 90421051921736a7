import Hummingbird
import NIOCore

/// The request context of every Moderato route: Hummingbird's core storage plus the peer address,
/// from which the client IP is worked out (see `ClientAddress`).
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The TCP peer: the client itself, or a reverse proxy in front of Moderato.
    public let peerAddress: String?
    /// The moderation token's name once `ModeratorAuthentication` has accepted it (`token:NAME` in the audit log).
    public var moderator: String?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.peerAddress = source.channel.remoteAddress?.ipAddress
        self.moderator = nil
    }
}
