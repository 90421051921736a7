/// How many cells of a terminal a text takes: East Asian wide and fullwidth characters (漢字,
/// かな, ｆｕｌｌ, most emoji) take two, combining marks and other zero-width characters none,
/// everything else one. The CLI's tables and `moderato review` measure and cut text with it, so
/// Japanese names line up.
///
/// The wide ranges are Unicode's East_Asian_Width W and F (Unicode 14, generated with Python's
/// `unicodedata`), with unassigned code points of the CJK planes counted as wide, as the standard
/// says.
public enum TerminalCells {
    /// Cells taken by one grapheme cluster: its widest scalar that is not zero-width (a base
    /// letter with its marks, an emoji with its modifiers).
    public static func width(of character: Character) -> Int {
        var widest = 0
        for scalar in character.unicodeScalars {
            widest = max(widest, width(of: scalar))
        }
        return widest
    }

    public static func width(of scalar: Unicode.Scalar) -> Int {
        let value = scalar.value
        if value < 0x20 || (value >= 0x7F && value < 0xA0) { return 0 }
        if value < 0x300 { return 1 }
        let properties = scalar.properties
        switch properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        if properties.isDefaultIgnorableCodePoint || (0x1160...0x11FF).contains(value) { return 0 }
        return isWide(value) ? 2 : 1
    }

    /// Cells taken by a whole text (no tabs or line breaks expected).
    public static func width(of text: some StringProtocol) -> Int {
        text.reduce(0) { $0 + width(of: $1) }
    }

    /// At most `cells` cells of `text`, cut at a character boundary with `…` when it is longer.
    public static func truncate(_ text: String, to cells: Int) -> String {
        guard width(of: text) > cells else { return text }
        guard cells > 0 else { return "" }
        var result = ""
        var used = 0
        for character in text {
            let next = width(of: character)
            if used + next > cells - 1 { break }
            result.append(character)
            used += next
        }
        return result + "…"
    }

    /// `text` followed by spaces up to `cells` cells (nothing added when it is already as wide).
    public static func pad(_ text: String, to cells: Int) -> String {
        text + String(repeating: " ", count: max(0, cells - width(of: text)))
    }

    /// `text` broken into lines of at most `cells` cells, at spaces where it can and anywhere in
    /// a run without spaces (Japanese has none); existing line breaks are kept.
    public static func wrap(_ text: String, to cells: Int) -> [String] {
        precondition(cells > 0)
        var lines: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = ""
            var used = 0
            var lastSpace: String.Index?
            for character in paragraph {
                let next = width(of: character)
                if used + next > cells {
                    if let space = lastSpace, character != " " {
                        let tail = String(line[line.index(after: space)...])
                        lines.append(String(line[..<space]))
                        line = tail
                        used = width(of: tail)
                    } else {
                        lines.append(line)
                        line = ""
                        used = 0
                    }
                    lastSpace = nil
                    if character == " " { continue }
                }
                if character == " " { lastSpace = line.endIndex }
                line.append(character)
                used += next
            }
            lines.append(line)
        }
        return lines
    }

    private static func isWide(_ value: UInt32) -> Bool {
        // Binary search over sorted, disjoint ranges.
        var low = 0
        var high = wideRanges.count - 1
        while low <= high {
            let middle = (low + high) / 2
            let range = wideRanges[middle]
            if value < range.lowerBound {
                high = middle - 1
            } else if value > range.upperBound {
                low = middle + 1
            } else {
                return true
            }
        }
        return false
    }

    private static let wideRanges: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x23E9...0x23EC, 0x23F0...0x23F0, 0x23F3...0x23F3,
        0x25FD...0x25FE, 0x2614...0x2615, 0x2648...0x2653, 0x267F...0x267F, 0x2693...0x2693, 0x26A1...0x26A1,
        0x26AA...0x26AB, 0x26BD...0x26BE, 0x26C4...0x26C5, 0x26CE...0x26CE, 0x26D4...0x26D4, 0x26EA...0x26EA,
        0x26F2...0x26F3, 0x26F5...0x26F5, 0x26FA...0x26FA, 0x26FD...0x26FD, 0x2705...0x2705, 0x270A...0x270B,
        0x2728...0x2728, 0x274C...0x274C, 0x274E...0x274E, 0x2753...0x2755, 0x2757...0x2757, 0x2795...0x2797,
        0x27B0...0x27B0, 0x27BF...0x27BF, 0x2B1B...0x2B1C, 0x2B50...0x2B50, 0x2B55...0x2B55, 0x2E80...0x303E,
        0x3041...0x3247, 0x3250...0x4DBF, 0x4E00...0xA4C6, 0xA960...0xA97C, 0xAC00...0xD7A3, 0xF900...0xFAD9,
        0xFE10...0xFE19, 0xFE30...0xFE6B, 0xFF01...0xFF60, 0xFFE0...0xFFE6, 0x16FE0...0x1B2FB, 0x1F004...0x1F004,
        0x1F0CF...0x1F0CF, 0x1F18E...0x1F18E, 0x1F191...0x1F19A, 0x1F200...0x1F320, 0x1F32D...0x1F335,
        0x1F337...0x1F37C, 0x1F37E...0x1F393, 0x1F3A0...0x1F3CA, 0x1F3CF...0x1F3D3, 0x1F3E0...0x1F3F0,
        0x1F3F4...0x1F3F4, 0x1F3F8...0x1F43E, 0x1F440...0x1F440, 0x1F442...0x1F4FC, 0x1F4FF...0x1F53D,
        0x1F54B...0x1F54E, 0x1F550...0x1F567, 0x1F57A...0x1F57A, 0x1F595...0x1F596, 0x1F5A4...0x1F5A4,
        0x1F5FB...0x1F64F, 0x1F680...0x1F6C5, 0x1F6CC...0x1F6CC, 0x1F6D0...0x1F6D2, 0x1F6D5...0x1F6DF,
        0x1F6EB...0x1F6EC, 0x1F6F4...0x1F6FC, 0x1F7E0...0x1F7F0, 0x1F90C...0x1F93A, 0x1F93C...0x1F945,
        0x1F947...0x1F9FF, 0x1FA70...0x1FAF6, 0x20000...0x3FFFD,
    ]
}
