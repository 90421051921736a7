import ModeratoCore
import ModeratoTerminal
import Testing

@Suite("Styled lines")
struct StyledLineTests {
    @Test func measuredInCellsAndCutToFitWithWideCharacters() {
        var line = StyledLine("山田", .bold)
        line.append(" says hi")
        #expect(line.width == 12)
        #expect(line.fitted(to: 12) == line)
        let cut = line.fitted(to: 6)
        #expect(cut.text == "山田 …")
        #expect(cut.width <= 6)
        #expect(StyledLine("日本語のコメント").fitted(to: 7).width <= 7, "a wide character is never split")
    }

    @Test func spreadPutsTheRightPartAtTheEdge() {
        for width in [20, 21, 30] {
            let line = StyledLine.spread(StyledLine("山田太郎"), StyledLine("avatar 1a2b"), width: width)
            #expect(line.width == width)
            #expect(line.text.hasSuffix("avatar 1a2b"))
            #expect(line.text.hasPrefix("山田太郎"))
        }
        let narrow = StyledLine.spread(StyledLine("a long left part that cannot fit"), StyledLine("right"), width: 16)
        #expect(narrow.width == 16)
        #expect(narrow.text.hasSuffix(" right"))
        #expect(StyledLine("bar").padded(to: 8, .inverse).width == 8)
    }

    @Test func controlCharactersInTextCanNeverReachTheTerminal() {
        let line = StyledLine("evil\u{1B}[2J\u{07}\u{9B}text\tend")
        #expect(!line.text.unicodeScalars.contains { $0.value < 0x20 || (0x7F..<0xA0).contains($0.value) })
        #expect(line.text == "evil\u{FFFD}[2J\u{FFFD}\u{FFFD}text    end")
        #expect(line.rendered(.color) == line.text, "plain text gets no SGR")
    }

    @Test func coloursOnlyWhereThePaletteAllowsThem() {
        let line = StyledLine("spam", .red)
        #expect(line.rendered(.color) == "\u{1B}[31mspam\u{1B}[0m")
        #expect(line.rendered(.monochrome) == "\u{1B}[1mspam\u{1B}[0m", "NO_COLOR: bold instead of red")
        #expect(line.rendered(.none) == "spam")
        #expect(StyledLine("bar", .inverse).rendered(.monochrome) == "\u{1B}[7mbar\u{1B}[0m")
    }

    @Test func thePaletteFollowsTermAndNoColor() {
        #expect(Palette.detect(environment: ["TERM": "xterm-256color"]) == .color)
        #expect(Palette.detect(environment: ["TERM": "xterm-256color", "NO_COLOR": "1"]) == .monochrome)
        #expect(Palette.detect(environment: ["TERM": "xterm-256color", "NO_COLOR": ""]) == .color, "an empty NO_COLOR is unset")
        #expect(Palette.detect(environment: ["TERM": "dumb"]) == .none)
        #expect(Palette.detect(environment: [:]) == .none)
    }
}
