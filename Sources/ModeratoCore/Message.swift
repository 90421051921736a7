/// Something to tell a person, named by its key in the message catalogues, with the values it
/// mentions (`{limit}`, `{count}` …).
///
/// Core decides *what* to say and never *how*: the words, in the reader's language, come from one
/// catalogue per language in the server (`ModeratoServer/Localization`), chosen per request. So
/// the domain holds no language at all, and a rule reads the same whoever it answers.
public struct Message: Sendable, Hashable, CustomStringConvertible {
    /// The catalogue key, such as `field.author.missing`.
    public var key: String
    /// Values for the `{name}` placeholders of the text, as they are to appear.
    public var arguments: [String: String]

    /// Keys are written out in full where a message is made (`Message("field.body.missing")`): a
    /// test collects them from the sources and holds every catalogue to exactly that set.
    public init(_ key: String, _ arguments: [String: String] = [:]) {
        self.key = key
        self.arguments = arguments
    }

    public var description: String {
        arguments.isEmpty ? key : key + " " + arguments.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
    }
}
