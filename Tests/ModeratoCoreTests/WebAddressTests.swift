import ModeratoCore
import Testing

@Suite("Web addresses and origins")
struct WebAddressTests {
    @Test func originDropsDefaultPortsAndLowercasesTheHost() {
        #expect(WebAddress("HTTP://Example.ORG:80/a")?.origin == "http://example.org")
        #expect(WebAddress("https://example.org:443")?.origin == "https://example.org")
        #expect(WebAddress("http://127.0.0.1:8080/x?y#z")?.origin == "http://127.0.0.1:8080")
        #expect(WebAddress("http://[::1]:8080/")?.origin == "http://[::1]:8080")
    }

    @Test func withoutFragment() {
        #expect(WebAddress("http://127.0.0.1:8080/p/1?a=b#comments")?.withoutFragment == "http://127.0.0.1:8080/p/1?a=b")
    }

    @Test(arguments: [
        "http://good.example@evil.example/", "http://evil.example\\@good.example/", "javascript:alert(1)",
        "http://exa\nmple.org/", "http://example.org:0/", "http://:80/", "http://ex ample.org", "http://例え.jp/",
    ])
    func refusesTricks(_ text: String) {
        #expect(WebAddress(text) == nil)
    }
}
