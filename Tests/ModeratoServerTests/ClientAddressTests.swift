import ModeratoCore
import Testing

@testable import ModeratoServer

@Suite("Client address behind proxies")
struct ClientAddressTests {
    let proxies = [IPNetwork("127.0.0.1")!, IPNetwork("10.0.0.0/8")!, IPNetwork("fd00::/8")!]

    @Test func theHeaderIsIgnoredFromUntrustedPeers() {
        #expect(ClientAddress.resolve(peer: "203.0.113.5", forwardedFor: "198.51.100.1", trustedProxies: proxies) == "203.0.113.5")
        #expect(ClientAddress.resolve(peer: "127.0.0.1", forwardedFor: "198.51.100.1", trustedProxies: []) == "127.0.0.1")
    }

    @Test func theNearestUntrustedHopIsTheClient() {
        #expect(ClientAddress.resolve(peer: "127.0.0.1", forwardedFor: "198.51.100.1", trustedProxies: proxies) == "198.51.100.1")
        // A client can put anything on the left; only hops added by our proxies count.
        #expect(
            ClientAddress.resolve(peer: "127.0.0.1", forwardedFor: "1.2.3.4, 198.51.100.1, 10.1.2.3", trustedProxies: proxies)
                == "198.51.100.1")
        #expect(ClientAddress.resolve(peer: "127.0.0.1", forwardedFor: "garbage, 198.51.100.1", trustedProxies: proxies) == "198.51.100.1")
        #expect(ClientAddress.resolve(peer: "127.0.0.1", forwardedFor: "not-an-ip", trustedProxies: proxies) == "127.0.0.1")
        #expect(ClientAddress.resolve(peer: "fd00::1", forwardedFor: "2001:db8::7", trustedProxies: proxies) == "2001:db8::7")
    }

    @Test func networksMatchByPrefix() {
        #expect(IPNetwork("10.0.0.0/8")!.contains("10.255.1.2"))
        #expect(!IPNetwork("10.0.0.0/8")!.contains("11.0.0.1"))
        #expect(IPNetwork("192.168.1.0/25")!.contains("192.168.1.127"))
        #expect(!IPNetwork("192.168.1.0/25")!.contains("192.168.1.128"))
        #expect(IPNetwork("127.0.0.1")!.contains("::ffff:127.0.0.1"))
        #expect(IPNetwork("not an address") == nil)
        #expect(IPNetwork("10.0.0.0/33") == nil)
        #expect(ClientAddress.resolve(peer: nil, forwardedFor: "1.2.3.4", trustedProxies: proxies) == nil)
    }
}
