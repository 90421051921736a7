import Logging
import ModeratoCore
import NIOCore
import NIOPosix

/// At start, whether the webhook's host accepts connections at all: a configuration mistake (a
/// typo in the host, a port nothing listens on) shows in the log at once rather than at the first
/// comment. Only a TCP connection is opened and closed, nothing is sent, and the server serves
/// either way: notifications wait in the outbox until the endpoint answers.
enum ReachabilityProbe {
    static func warnIfUnreachable(_ url: String, logger: Logger) async {
        guard let address = WebAddress(url) else { return }
        let port = address.port ?? (address.scheme == "https" ? 443 : 80)
        // `WebAddress` keeps an IPv6 literal in brackets; the resolver wants it bare.
        let host = address.host.hasPrefix("[") ? String(address.host.dropFirst().dropLast()) : address.host
        do {
            let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.seconds(5))
                .connect(host: host, port: port).get()
            try? await channel.close()
        } catch {
            logger.warning(
                "notify.webhook.url is not reachable now (\(String(describing: error).prefix(160))); notifications wait in the outbox until it is",
                metadata: ["host": "\(host)", "port": "\(port)"])
        }
    }
}
