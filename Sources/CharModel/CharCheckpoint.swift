import Foundation
import LyricsCore
import NeuralNet

/// Character-model checkpoints: the `SequenceCheckpoint` layout (weights under their
/// `ParameterSet` names and, for training checkpoints, the optimizer, carried state and
/// progress) with the format name and version, the model config and the vocabulary in
/// `__metadata__`.
public enum CharCheckpoint {
    public static let format = "lyrics-char-model"
    public static let version = 1

    /// Writes a training checkpoint atomically.
    public static func save(_ trainer: CharTrainer, to path: String) throws {
        try SequenceCheckpoint.save(trainer, modelMetadata: modelMetadata(trainer.model), to: path)
    }

    /// A checked checkpoint: its architecture and vocabulary, and the file to read tensors from.
    public struct Loaded: LoadedCheckpoint {
        public let file: SafeTensors.File
        public let config: CharModelConfig
        public let vocabulary: CharVocabulary
    }

    public static func load(_ path: String) throws -> Loaded {
        try load(SafeTensors.File(path: path))
    }

    /// Checks a file already parsed (from disk or, for the fuzz targets, from memory).
    public static func load(_ file: SafeTensors.File) throws -> Loaded {
        let path = file.path
        try SequenceCheckpoint.check(file, format: format, version: version, kind: "char")
        let config: CharModelConfig = try SequenceCheckpoint.decode(file.meta("config"), key: "config", path: path)
        guard config.layers >= 1, config.hiddenSize >= 1, config.embeddingSize >= 1, config.dropout >= 0, config.dropout < 1 else {
            throw LyricsError(file: path, "checkpoint has an invalid model configuration")
        }
        let vocabulary = try CharVocabulary(string: file.meta("vocabulary"), file: path)
        for (name, shape) in CharModel.parameterShapes(config: config, vocabularySize: vocabulary.count) {
            guard let found = file.shapes[name] else { throw LyricsError(file: path, "tensor '\(name)' is missing") }
            guard found == shape else {
                throw LyricsError(file: path, "tensor '\(name)' has shape \(found), but the stored configuration needs \(shape)")
            }
        }
        return Loaded(file: file, config: config, vocabulary: vocabulary)
    }

    /// A model with the checkpoint's weights, built for the given batch and chunk length.
    public static func model(_ loaded: Loaded, batch: Int, maxSteps: Int) throws -> CharModel {
        let model = CharModel(config: loaded.config, vocabulary: loaded.vocabulary, batch: batch, maxSteps: maxSteps, seed: 0)
        try SequenceCheckpoint.readModelWeights(loaded.file, into: model.parameters)
        return model
    }

    /// Rebuilds a trainer exactly as it was saved; `train` must be the same text.
    public static func trainer(_ loaded: Loaded, train: [Int32], valid: [Int32],
                               adjust: (inout CharTrainingOptions) -> Void = { _ in }) throws -> CharTrainer {
        try loaded.requireTraining()
        return try SequenceCheckpoint.resume(loaded.file, train: train, sameDataHint: "the same corpus and split", adjust: adjust) {
            try CharTrainer(config: loaded.config, vocabulary: loaded.vocabulary, options: $0, train: train, valid: valid)
        }
    }

    static func modelMetadata(_ model: CharModel) -> [String: String] {
        ["format": format, "version": String(version),
         "config": (try? SequenceCheckpoint.json(model.config)) ?? "{}", "vocabulary": model.vocabulary.string]
    }
}
