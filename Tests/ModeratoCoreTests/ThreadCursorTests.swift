import ModeratoCore
import Testing

@Suite("Pagination cursors")
struct ThreadCursorTests {
    let keyring = try! Keyring(secret: Array(repeating: 3, count: 32))

    @Test func roundTripsForItsPostOnly() {
        let text = ThreadCursor(afterID: 120).encoded(post: "/p/", keyring: keyring)
        #expect(ThreadCursor(text, post: "/p/", keyring: keyring) == ThreadCursor(afterID: 120))
        #expect(ThreadCursor(text, post: "/other/", keyring: keyring) == nil)
        let otherInstall = try! Keyring(secret: Array(repeating: 4, count: 32))
        #expect(ThreadCursor(text, post: "/p/", keyring: otherInstall) == nil)
        #expect(text.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
    }

    @Test(arguments: ["", "120", "MTIw", "not base64!", String(repeating: "A", count: 500), "LTEuYWJj", "%00"])
    func forgeriesAreRefused(_ text: String) {
        #expect(ThreadCursor(text, post: "/p/", keyring: keyring) == nil)
    }
}
