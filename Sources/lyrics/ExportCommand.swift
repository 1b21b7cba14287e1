import ArgumentParser
import CharModel
import Foundation
import LyricsCore
import Models
import NeuralNet
import WordModel

/// `lyrics export`: a weights-only copy of a training checkpoint, for shipping (no optimizer
/// state, carried state or run progress; the best validated weights).
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a weights-only copy of a char or word checkpoint (for sharing; it cannot be resumed).",
        discussion: """
        A word model's vectors are named by path; --vectors-name records the vectors file as a name to look up \
        beside the exported model (copy the vectors there), so the pair can move together.
        """
    )

    @Option(name: .long, help: "Checkpoint to export.") var model: String
    @Option(name: .long, help: "Weights-only file to write.") var output: String
    @Option(name: .customLong("vectors-name"), help: "Word models: record the vectors as this file name (found beside the model).")
    var vectorsName: String?

    func run() throws {
        let file = try SafeTensors.File(path: model)
        switch try ModelLoader.kind(of: model) {
        case .char:
            let loaded = try CharCheckpoint.load(model)
            let m = try CharCheckpoint.model(loaded, batch: 1, maxSteps: 1)
            try SequenceCheckpoint.exportWeights(file, parameters: m.parameters, to: output)
        case .word:
            let loaded = try WordCheckpoint.load(model)
            var identity = loaded.vectors
            if let vectorsName { identity.path = vectorsName }
            let m = WordModel(config: loaded.config, table: try VectorTable.load(loaded.vectorsPath), batch: 1, maxSteps: 1, seed: 0,
                              initialize: false)
            try SequenceCheckpoint.exportWeights(file, parameters: m.parameters, metadataChanges: ["vectors": try SequenceCheckpoint.json(identity)],
                                                 to: output)
        }
        let bytes = (try? FileManager.default.attributesOfItem(atPath: output)[.size] as? Int) ?? 0
        print(String(format: "wrote %@ (%.1f MB, weights only)", output, Double(bytes) / 1e6))
    }
}
