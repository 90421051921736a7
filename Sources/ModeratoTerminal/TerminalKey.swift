/// A key as a terminal in raw mode reports it.
public enum TerminalKey: Sendable, Hashable {
    case character(Character)
    case up, down, left, right
    case pageUp, pageDown, home, end
    case enter, tab, backspace, escape
    /// Control plus a letter: `control("c")` is Ctrl-C (raw mode delivers it as a byte, not SIGINT).
    case control(Character)
    /// A sequence this decoder does not name (function keys, mouse reports, invalid UTF-8).
    case unknown
}

/// Turns the bytes read from a raw-mode terminal into keys. Reads may split an escape sequence or a
/// multi-byte character anywhere; the decoder keeps the unfinished part for the next read.
public struct KeyDecoder: Sendable {
    private var pending: [UInt8] = []

    public init() {}

    public mutating func decode(_ bytes: some Sequence<UInt8>) -> [TerminalKey] {
        let buffer = pending + Array(bytes)
        pending = []
        var keys: [TerminalKey] = []
        var index = 0
        while index < buffer.count {
            let byte = buffer[index]
            switch byte {
            case 0x1B:
                guard index + 1 < buffer.count else {
                    // A lone ESC at the end of a read is the Escape key: terminals send a whole
                    // sequence in one write.
                    keys.append(.escape)
                    index += 1
                    continue
                }
                let introducer = buffer[index + 1]
                if introducer == UInt8(ascii: "[") {
                    guard let (key, length) = Self.controlSequence(buffer, from: index) else {
                        pending = Array(buffer[index...])
                        return keys
                    }
                    keys.append(key)
                    index += length
                } else if introducer == UInt8(ascii: "O") {
                    guard index + 2 < buffer.count else {
                        pending = Array(buffer[index...])
                        return keys
                    }
                    keys.append(Self.finalKey(buffer[index + 2], parameter: nil))
                    index += 3
                } else {
                    // Alt+key arrives as ESC and the key: reported as both.
                    keys.append(.escape)
                    index += 1
                }
            case 0x0D, 0x0A:
                keys.append(.enter)
                index += 1
            case 0x09:
                keys.append(.tab)
                index += 1
            case 0x7F, 0x08:
                keys.append(.backspace)
                index += 1
            case 0x00..<0x20:
                keys.append(.control(Character(Unicode.Scalar(byte + 0x60))))
                index += 1
            case 0x20..<0x80:
                keys.append(.character(Character(Unicode.Scalar(byte))))
                index += 1
            default:
                let length: Int
                switch byte {
                case 0xC2...0xDF: length = 2
                case 0xE0...0xEF: length = 3
                case 0xF0...0xF4: length = 4
                default: length = 0
                }
                guard length > 0 else {
                    keys.append(.unknown)
                    index += 1
                    continue
                }
                guard index + length <= buffer.count else {
                    pending = Array(buffer[index...])
                    return keys
                }
                let text = String(validating: buffer[index..<index + length], as: UTF8.self)
                if let character = text?.first, text?.count == 1 {
                    keys.append(.character(character))
                } else {
                    keys.append(.unknown)
                }
                index += length
            }
        }
        return keys
    }

    /// `ESC [ parameters final`: the key and the sequence's length, or `nil` when it is unfinished.
    private static func controlSequence(_ buffer: [UInt8], from start: Int) -> (TerminalKey, Int)? {
        var index = start + 2
        var parameter = 0
        var hasParameter = false
        while index < buffer.count {
            let byte = buffer[index]
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                if !hasParameter || parameter < 1000 { parameter = parameter * 10 + Int(byte - UInt8(ascii: "0")) }
                hasParameter = true
            case 0x20...0x3F:
                break  // other parameter and intermediate bytes (`;`, modifiers)
            case 0x40...0x7E:
                return (finalKey(byte, parameter: hasParameter ? parameter : nil), index - start + 1)
            default:
                return (.unknown, index - start + 1)
            }
            index += 1
        }
        return nil
    }

    private static func finalKey(_ final: UInt8, parameter: Int?) -> TerminalKey {
        switch final {
        case UInt8(ascii: "A"): .up
        case UInt8(ascii: "B"): .down
        case UInt8(ascii: "C"): .right
        case UInt8(ascii: "D"): .left
        case UInt8(ascii: "H"): .home
        case UInt8(ascii: "F"): .end
        case UInt8(ascii: "~"):
            switch parameter {
            case 1, 7: .home
            case 4, 8: .end
            case 5: .pageUp
            case 6: .pageDown
            default: .unknown
            }
        default: .unknown
        }
    }
}
