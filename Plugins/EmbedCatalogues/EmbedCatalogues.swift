import Foundation
import PackagePlugin

/// Embeds every message catalogue of `Resources/Localization/` in the target's code at build time.
///
/// SwiftPM's `.embedInCode` gives each file its own accessor (`PackageResources.ja_json`) but no
/// list of them, so a new language would need a line of code besides its file. This plugin writes
/// that list instead: dropping `fr.json` into the folder is all it takes to add French.
@main
struct EmbedCatalogues: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) async throws -> [Command] {
        guard let target = target as? SourceModuleTarget else { return [] }
        let folder = target.directoryURL.appending(path: "Resources/Localization")
        let files = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "json" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedCatalogues.swift")
        return [
            .buildCommand(
                displayName: "Embedding \(files.count) message catalogues",
                executable: try context.tool(named: "EmbedCataloguesTool").url,
                arguments: [output.path(percentEncoded: false)] + files.map { $0.path(percentEncoded: false) },
                // The folder too: a file added or removed changes it, and the list is written again.
                inputFiles: [folder] + files,
                outputFiles: [output]
            )
        ]
    }
}
