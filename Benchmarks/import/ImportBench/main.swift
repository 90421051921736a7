// Reads an export with ModeratoImport's readers alone (no database) and reports comments/s and
// peak RSS: the ceiling the store's import can reach. Built only with MODERATO_IMPORT_BENCH=1;
// see Benchmarks/import/README.md.
import Foundation
import ModeratoCore
import ModeratoImport

let arguments = Array(CommandLine.arguments.dropFirst())
guard let file = arguments.first else {
    FileHandle.standardError.write(Data("usage: import-bench FILE [wordpress|disqus|isso] [id|path]\n".utf8))
    exit(2)
}
do {
    let format = try arguments.count > 1 ? ImportFormat(rawValue: arguments[1])! : ImportFormat.detect(file: file)
    let postKey = arguments.count > 2 ? WordPressPostKey(rawValue: arguments[2])! : .id
    let keyring = try Keyring(secret: (0..<32).map { _ in UInt8.random(in: 0...255) })
    let options = ImportOptions(hasher: PersonalDataHasher(keyring: keyring), wordpressPostKey: postKey)
    var tally = ImportTally()
    let clock = ContinuousClock()
    let start = clock.now
    let skips = try format.reader(file: file, options: options).read { tally.add($0) }
    let elapsed = clock.now - start
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    let peak =
        (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8))?
        .split(separator: "\n").first { $0.hasPrefix("VmHWM:") }.map { $0.dropFirst(6).trimmingCharacters(in: .whitespaces) } ?? "?"
    print(
        """
        format: \(format.rawValue)
        comments: \(tally.imported) (approved \(tally.approved), pending \(tally.pending), spam \(tally.spam), trash \(tally.trash))
        posts: \(tally.posts)
        skipped: \(skips.total) (\(skips))
        seconds: \(String(format: "%.2f", seconds))
        comments/s: \(Int(Double(tally.imported) / seconds))
        peak RSS: \(peak)
        """)
} catch {
    FileHandle.standardError.write(Data("import-bench: \(error)\n".utf8))
    exit(1)
}
