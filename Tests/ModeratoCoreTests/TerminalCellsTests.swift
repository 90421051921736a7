import ModeratoCore
import Testing

@Suite("Terminal cells")
struct TerminalCellsTests {
    @Test func wideNarrowAndZeroWidth() {
        #expect(TerminalCells.width(of: "Taro") == 4)
        #expect(TerminalCells.width(of: "山田太郎") == 8)
        #expect(TerminalCells.width(of: "ｶﾀｶﾅ") == 4, "halfwidth katakana is narrow")
        #expect(TerminalCells.width(of: "ＡＢ") == 4, "fullwidth Latin is wide")
        #expect(TerminalCells.width(of: "e\u{301}") == 1, "a combining mark takes no cell")
        #expect(TerminalCells.width(of: "は\u{3099}") == 2)
        #expect(TerminalCells.width(of: "a\u{200B}b") == 2, "a zero-width space takes none")
        #expect(TerminalCells.width(of: "👍") == 2)
        #expect(TerminalCells.width(of: "한국어") == 6)
        #expect(TerminalCells.width(of: "\u{20000}") == 2, "CJK extension B")
    }

    @Test func truncatingAndPaddingByCells() {
        #expect(TerminalCells.truncate("山田太郎です", to: 7) == "山田太…")
        #expect(TerminalCells.width(of: TerminalCells.truncate("山田太郎です", to: 7)) == 7)
        #expect(TerminalCells.truncate("山田太郎です", to: 8) == "山田太…", "never half a wide character")
        #expect(TerminalCells.truncate("short", to: 10) == "short")
        #expect(TerminalCells.pad("山田", to: 6) == "山田  ")
    }

    @Test func wrappingByCells() {
        #expect(TerminalCells.wrap("一二三四五六七", to: 6) == ["一二三", "四五六", "七"])
        #expect(TerminalCells.wrap("the quick brown fox", to: 10) == ["the quick", "brown fox"])
        #expect(TerminalCells.wrap("line one\n\nline three", to: 20) == ["line one", "", "line three"])
        for line in TerminalCells.wrap("日本語と English が混ざった長めのコメントです。", to: 12) {
            #expect(TerminalCells.width(of: line) <= 12)
        }
    }
}
