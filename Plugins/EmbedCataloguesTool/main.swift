import Foundation

// EmbedCataloguesTool OUTPUT FILE... : writes OUTPUT, a Swift file holding every catalogue FILE
// (Resources/Localization/<language>.json), named by its language. Run by the EmbedCatalogues
// build plugin; base64 keeps any text safe inside a Swift literal and quick to compile.

let arguments = CommandLine.arguments.dropFirst()
guard let output = arguments.first else {
    FileHandle.standardError.write(Data("usage: EmbedCataloguesTool OUTPUT FILE...\n".utf8))
    exit(2)
}
var source = """
    // Generated at build time by the EmbedCatalogues plugin from Resources/Localization/*.json.
    // Do not edit: add or change a catalogue file instead.

    enum EmbeddedCatalogues {
        /// Each catalogue file: its language (the file name) and its bytes, base64-encoded.
        static let files: [(language: String, base64: String)] = [

    """
for path in arguments.dropFirst() {
    let url = URL(fileURLWithPath: path)
    guard let bytes = FileManager.default.contents(atPath: path) else {
        FileHandle.standardError.write(Data("EmbedCataloguesTool: cannot read \(path)\n".utf8))
        exit(1)
    }
    let language = url.deletingPathExtension().lastPathComponent
    // Language tags are letters, digits and hyphens; anything else is not a catalogue.
    guard !language.isEmpty, language.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else {
        FileHandle.standardError.write(
            Data("EmbedCataloguesTool: \(path): the file name must be a language tag such as fr or pt-BR\n".utf8))
        exit(1)
    }
    source += "        (\"\(language)\", \"\(bytes.base64EncodedString())\"),\n"
}
source += "    ]\n}\n"
do {
    try Data(source.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
} catch {
    FileHandle.standardError.write(Data("EmbedCataloguesTool: cannot write \(output): \(error)\n".utf8))
    exit(1)
}
