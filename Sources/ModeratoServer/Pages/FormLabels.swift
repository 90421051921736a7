import ModeratoCore

/// The comment form's labels, shared by the demo and the refusal pages so both read alike.
enum FormLabels {
    /// `<label for=ID>Name <span class="required">*</span></label>`, the marker in the language's
    /// own form (`*`, `※`).
    static func label(for id: String, _ text: Message, required: Bool, localizer: Localizer) -> String {
        let mark = required ? " " + requiredMark(localizer) : ""
        return "<label for=\"\(id)\">\(localizer.html(text))\(mark)</label>"
    }

    static func requiredMark(_ localizer: Localizer) -> String {
        "<span class=\"required\">\(localizer.html(Message("form.required_mark")))</span>"
    }
}
