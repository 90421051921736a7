import ModeratoTerminal
import Testing

@Suite("Terminal keys")
struct KeyDecoderTests {
    func keys(_ text: String) -> [TerminalKey] {
        var decoder = KeyDecoder()
        return decoder.decode(Array(text.utf8))
    }

    @Test func lettersControlKeysAndEnter() {
        #expect(keys("as?") == [.character("a"), .character("s"), .character("?")])
        #expect(keys("\u{03}") == [.control("c")], "Ctrl-C is a key in raw mode")
        #expect(keys("\r\n\t\u{7F}") == [.enter, .enter, .tab, .backspace])
    }

    @Test func arrowsPagesHomeAndEndInEveryCommonSpelling() {
        #expect(keys("\u{1B}[A\u{1B}[B\u{1B}[C\u{1B}[D") == [.up, .down, .right, .left])
        #expect(keys("\u{1B}OA\u{1B}OB") == [.up, .down], "application cursor mode")
        #expect(keys("\u{1B}[5~\u{1B}[6~") == [.pageUp, .pageDown])
        #expect(keys("\u{1B}[H\u{1B}[F\u{1B}[1~\u{1B}[4~\u{1B}[7~\u{1B}[8~") == [.home, .end, .home, .end, .home, .end])
        #expect(keys("\u{1B}[1;5A") == [.up], "with a modifier")
        #expect(keys("\u{1B}[15~q") == [.unknown, .character("q")], "F5 is not mistaken for anything")
        #expect(keys("\u{1B}") == [.escape])
    }

    @Test func aSequenceOrCharacterSplitAcrossReadsIsKeptForTheNext() {
        var decoder = KeyDecoder()
        #expect(decoder.decode(Array("a\u{1B}[".utf8)) == [.character("a")])
        #expect(decoder.decode(Array("6~".utf8)) == [.pageDown])
        let kana = Array("あ".utf8)
        #expect(decoder.decode(kana[0..<2]) == [])
        #expect(decoder.decode(kana[2...]) == [.character("あ")])
        #expect(decoder.decode([0xFF, UInt8(ascii: "x")]) == [.unknown, .character("x")], "invalid UTF-8 is one unknown key")
    }
}
