import ModeratoCore
import Testing

@Suite("Keyring: keyed hashes of personal data")
struct KeyringTests {
    let keyring = try! Keyring(secret: Array(repeating: 7, count: 32))

    @Test func sameNormalisedEmailSameHash() {
        let a = keyring.emailHash(normalizedEmail: EmailAddress.normalize(" Taro@Example.org "))
        let b = keyring.emailHash(normalizedEmail: EmailAddress.normalize("taro@example.org"))
        #expect(a == b)
        #expect(a.count == 64)
        #expect(a.allSatisfy { "0123456789abcdef".contains($0) })
        #expect(!a.contains("taro"))
    }

    @Test func hashesDependOnTheSecret() throws {
        let other = try Keyring(secret: Array(repeating: 8, count: 32))
        #expect(other.emailHash(normalizedEmail: "taro@example.org") != keyring.emailHash(normalizedEmail: "taro@example.org"))
    }

    @Test func eachPurposeHasItsOwnKey() {
        let text = "203.0.113.9"
        #expect(keyring.emailHash(normalizedEmail: text) != keyring.ipHash(text))
    }

    @Test func avatarIsSixteenHexStableAndUnrelatedToTheEmailHash() {
        let hash = keyring.emailHash(normalizedEmail: "taro@example.org")
        let avatar = keyring.avatar(emailHash: hash)
        #expect(avatar.count == 16)
        #expect(avatar.allSatisfy { "0123456789abcdef".contains($0) })
        #expect(avatar == keyring.avatar(emailHash: hash))
        #expect(!hash.contains(avatar))
        #expect(avatar != keyring.avatar(emailHash: keyring.emailHash(normalizedEmail: "hanako@example.org")))
    }

    @Test func refusesAShortSecret() {
        #expect(throws: KeyringError.secretTooShort(31)) { try Keyring(secret: Array(repeating: 1, count: 31)) }
    }

    @Test func draftDropsThePlainEmail() {
        let valid = try! SubmissionValidator(limits: .init()).validate(
            Submission(body: "Hi", author: "Taro", email: "Taro@Example.org", post: "/p/")
        ).get()
        let draft = valid.draft(keyring: keyring, clientIP: "203.0.113.9")
        #expect(draft.emailHash == keyring.emailHash(normalizedEmail: "taro@example.org"))
        #expect(draft.ipHash == keyring.ipHash("203.0.113.9"))
        #expect(!String(describing: draft).lowercased().contains("taro@example.org"))
        #expect(!String(describing: draft).contains("203.0.113.9"))
    }
}
