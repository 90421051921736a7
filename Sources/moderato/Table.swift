import Foundation
import ModeratoCore

/// A plain-text table with a header row, columns padded to their widest cell, measured in terminal
/// cells (`TerminalCells`: a Japanese name takes two per character), so columns line up.
struct Table {
    var headers: [String]
    var rows: [[String]] = []

    init(_ headers: String...) {
        self.headers = headers
    }

    mutating func add(_ cells: String...) {
        rows.append(cells)
    }

    func render() -> String {
        var widths = headers.map { TerminalCells.width(of: $0) }
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], TerminalCells.width(of: cell))
            }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                index == cells.count - 1 ? cell : TerminalCells.pad(cell, to: widths[index])
            }.joined(separator: "  ")
        }
        return ([line(headers)] + rows.map(line)).joined(separator: "\n")
    }
}

extension String {
    /// At most `cells` terminal cells, with an ellipsis when cut.
    func truncated(to cells: Int) -> String {
        TerminalCells.truncate(self, to: cells)
    }

    /// The first line, for one-line summaries of a comment body.
    var firstLine: String {
        split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: true).first.map(String.init) ?? ""
    }
}

/// "5s", "3m", "2h", "4d": how long ago, as a moderator skims it.
func age(of date: Date, now: Date = Date()) -> String {
    let seconds = max(0, Int(now.timeIntervalSince(date)))
    switch seconds {
    case ..<60: return "\(seconds)s"
    case ..<3600: return "\(seconds / 60)m"
    case ..<86400: return "\(seconds / 3600)h"
    default: return "\(seconds / 86400)d"
    }
}
