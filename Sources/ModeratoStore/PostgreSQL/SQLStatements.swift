import Foundation

/// Splits a migration file into its statements, for PostgresNIO, which sends one statement at a
/// time (the extended protocol). Knows what may hold a `;` that ends nothing: `--` and `/* */`
/// comments, 'strings', "identifiers" and $tag$ dollar-quoted bodies of functions.
enum SQLStatements {
    static func split(_ sql: String) -> [String] {
        var statements: [String] = []
        var current = ""
        var characters = Array(sql)[...]
        while let character = characters.popFirst() {
            switch character {
            case "-" where characters.first == "-":
                // A line comment: dropped.
                while let next = characters.first, next != "\n" { characters.removeFirst() }
            case "/" where characters.first == "*":
                characters.removeFirst()
                while !characters.isEmpty, !(characters.first == "*" && characters.dropFirst().first == "/") { characters.removeFirst() }
                characters = characters.dropFirst(2)
            case "'", "\"":
                current.append(character)
                // A doubled quote inside is the quote itself; it reads as close-then-open here.
                while let next = characters.popFirst() {
                    current.append(next)
                    if next == character { break }
                }
            case "$":
                let tag = characters.prefix { $0 == "_" || $0.isLetter || $0.isNumber }
                guard characters.dropFirst(tag.count).first == "$", !(tag.first?.isNumber ?? false) else {
                    current.append(character)  // $1, a parameter
                    continue
                }
                let delimiter = "$" + String(tag) + "$"
                current += delimiter
                characters = characters.dropFirst(tag.count + 1)
                let rest = String(characters)
                if let end = rest.range(of: delimiter) {
                    current += rest[..<end.upperBound]
                    characters = characters.dropFirst(rest.distance(from: rest.startIndex, to: end.upperBound))
                } else {
                    current += rest
                    characters = []
                }
            case ";":
                let statement = current.trimmingCharacters(in: .whitespacesAndNewlines)
                if !statement.isEmpty { statements.append(statement) }
                current = ""
            default:
                current.append(character)
            }
        }
        let last = current.trimmingCharacters(in: .whitespacesAndNewlines)
        if !last.isEmpty { statements.append(last) }
        return statements
    }
}
