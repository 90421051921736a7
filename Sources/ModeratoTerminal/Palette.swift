/// How a piece of text is shown. Colours only where `Palette` allows them.
public enum TextStyle: Sendable, Hashable {
    case plain, bold, dim, inverse
    case red, green, yellow, cyan
}

/// What the terminal may be sent: nothing but text (`TERM=dumb`), attributes without colour
/// (`NO_COLOR`, see no-color.org), or colours too.
public enum Palette: Sendable, Hashable {
    case none, monochrome, color

    /// From the environment of a program whose output is a terminal.
    public static func detect(environment: [String: String]) -> Palette {
        let term = environment["TERM"] ?? ""
        if term.isEmpty || term == "dumb" { return .none }
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return .monochrome }
        return .color
    }

    /// The SGR sequence that starts `style` (empty when this palette shows it plain).
    func start(_ style: TextStyle) -> String {
        let code: String? =
            switch (self, style) {
            case (.none, _), (_, .plain): nil
            case (_, .bold): "1"
            case (_, .dim): "2"
            case (_, .inverse): "7"
            case (.monochrome, .red), (.monochrome, .yellow): "1"
            case (.monochrome, .green), (.monochrome, .cyan): nil
            case (.color, .red): "31"
            case (.color, .green): "32"
            case (.color, .yellow): "33"
            case (.color, .cyan): "36"
            }
        return code.map { "\u{1B}[\($0)m" } ?? ""
    }
}
