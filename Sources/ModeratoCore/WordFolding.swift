import Foundation

/// The form in which `moderation.hold_words` and `block_words` are matched: the words and the
/// comment are both folded this one way, so a spammer cannot step around a word with look-alike
/// spellings.
///
/// In order: compatibility-normalised (NFKC: fullwidth `ｖｉａｇｒａ` and ligatures become plain
/// letters); invisible characters removed (default-ignorable and format characters such as the
/// zero-width space, `via\u{200B}gra`); accents on Latin letters dropped (`viagrá`, `viagra` +
/// U+0301); case-folded (`VIAGRA`, `Straße` → `strasse`). Combining marks on other scripts stay:
/// the voicing marks of kana change the word (`ば` is not `は`).
public enum WordFolding {
    public static func fold(_ text: String) -> String {
        let decomposed = text.precomposedStringWithCompatibilityMapping.decomposedStringWithCanonicalMapping
        var kept = String.UnicodeScalarView()
        var previousBaseIsLatin = false
        for scalar in decomposed.unicodeScalars {
            let properties = scalar.properties
            if properties.isDefaultIgnorableCodePoint || properties.generalCategory == .format { continue }
            if properties.canonicalCombiningClass != .notReordered || isMark(properties.generalCategory) {
                if previousBaseIsLatin { continue }
            } else {
                previousBaseIsLatin = isLatinLetter(scalar)
            }
            kept.append(scalar)
        }
        return String(kept).precomposedStringWithCanonicalMapping.folding(options: [.caseInsensitive], locale: nil)
    }

    private static func isMark(_ category: Unicode.GeneralCategory) -> Bool {
        category == .nonspacingMark || category == .spacingMark || category == .enclosingMark
    }

    /// Latin letters, by the Unicode blocks that hold them (after NFKC, fullwidth forms are ASCII).
    private static func isLatinLetter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x41...0x5A, 0x61...0x7A, 0xC0...0x24F, 0x1E00...0x1EFF, 0x2C60...0x2C7F, 0xA720...0xA7FF, 0xAB30...0xAB6F:
            scalar.properties.isAlphabetic
        default:
            false
        }
    }
}
