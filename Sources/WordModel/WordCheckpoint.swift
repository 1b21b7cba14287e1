import Foundation
import LyricsCore
import NeuralNet

/// Word-model checkpoints: the `SequenceCheckpoint` layout the char model's use (weights under
/// their `ParameterSet` names and, for training checkpoints, the optimizer, carried state and
/// progress, here including the loss history the report plots). `__metadata__` also holds the
/// format and version, the config, the vocabulary (the vector file's words, one per line), the
/// vectors' identity (path, size, dimension, vocabulary hash) and kappa. Frozen input vectors
/// are not copied in; they are read from the vector file, whose identity is checked.
public enum WordCheckpoint {
    public static let format = "lyrics-word-model"
    public static let version = 1

    public static func save(_ trainer: WordTrainer, to path: String) throws {
        try SequenceCheckpoint.save(trainer, modelMetadata: modelMetadata(trainer.model), to: path)
    }

    /// A checked checkpoint header: architecture, vocabulary, vectors identity and kappa.
    public struct Loaded: LoadedCheckpoint {
        public let file: SafeTensors.File
        public let config: WordModelConfig
        public let words: [String]
        public let vectors: VectorIdentity
        public let kappa: Float
        /// The fitted `prior` retrieval rule (checkpoints of runs that ended since it exists).
        public let retrievalPrior: RetrievalPrior?

        /// Where to read the vectors from. The checkpoint records the path as given at training
        /// time, relative to that run's working directory; when it does not resolve from here,
        /// the checkpoint's own folder and each folder above it are tried, so a model trained at
        /// the repository root (`vectors/x.bin`, saved under `runs/...`) loads from anywhere.
        /// Whatever file is found must still match the recorded vocabulary and dimension.
        public var vectorsPath: String {
            let stored = vectors.path
            let fm = FileManager.default
            if stored.hasPrefix("/") || fm.fileExists(atPath: stored) { return stored }
            var dir = URL(fileURLWithPath: path).standardizedFileURL.deletingLastPathComponent()
            while true {
                let candidate = dir.appendingPathComponent(stored).path
                if fm.fileExists(atPath: candidate) { return candidate }
                let parent = dir.deletingLastPathComponent()
                if parent.path == dir.path { return stored }
                dir = parent
            }
        }

        /// The training state (loss history etc.) when this is a training checkpoint.
        public func trainingState() throws -> WordTrainingState? {
            guard let s = file.metadata["state"] else { return nil }
            return try SequenceCheckpoint.decode(s, key: "state", path: path)
        }
    }

    public static func load(_ path: String) throws -> Loaded {
        try load(SafeTensors.File(path: path))
    }

    /// Checks a file already parsed (from disk or, for the fuzz targets, from memory).
    public static func load(_ file: SafeTensors.File) throws -> Loaded {
        let path = file.path
        try SequenceCheckpoint.check(file, format: format, version: version, kind: "word")
        let config: WordModelConfig = try SequenceCheckpoint.decode(file.meta("config"), key: "config", path: path)
        guard config.layers >= 1, config.hiddenSize >= 1, config.dropout >= 0, config.dropout < 1 else {
            throw LyricsError(file: path, "checkpoint has an invalid model configuration")
        }
        let identity: VectorIdentity = try SequenceCheckpoint.decode(file.meta("vectors"), key: "vectors", path: path)
        let words = try file.meta("vocabulary").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard words.count == identity.vocabularySize, VectorTable.hash(words: words) == identity.vocabularyHash else {
            throw LyricsError(file: path, "checkpoint vocabulary does not match its recorded vectors identity (corrupt file?)")
        }
        guard let kappa = Float(try file.meta("kappa")), kappa.isFinite, kappa > 0 else {
            throw LyricsError(file: path, "bad kappa metadata")
        }
        var prior: RetrievalPrior?
        if let text = file.metadata["retrieval_prior"] {
            prior = try SequenceCheckpoint.decode(text, key: "retrieval_prior", path: path)
            guard prior!.logPrior.count == words.count, prior!.scale.isFinite, prior!.weight.isFinite else {
                throw LyricsError(file: path, "retrieval_prior metadata does not match the vocabulary")
            }
        }
        return Loaded(file: file, config: config, words: words, vectors: identity, kappa: kappa, retrievalPrior: prior)
    }

    /// A model with the checkpoint's weights over `table`, which must be the vectors it was
    /// trained with (same words in the same order, same dimension).
    public static func model(_ loaded: Loaded, table: VectorTable, batch: Int, maxSteps: Int) throws -> WordModel {
        try loaded.vectors.check(against: table.identity, modelPath: loaded.path)
        let model = WordModel(config: loaded.config, table: table, batch: batch, maxSteps: maxSteps, seed: 0, initialize: false)
        try SequenceCheckpoint.readModelWeights(loaded.file, into: model.parameters)
        model.kappa = loaded.kappa
        model.retrievalPrior = loaded.retrievalPrior
        return model
    }

    /// Rebuilds a trainer exactly as it was saved; `train` must be the same ids.
    public static func trainer(_ loaded: Loaded, table: VectorTable, train: [Int32], valid: HeldOutText,
                               adjust: (inout WordTrainingOptions) -> Void = { _ in }) throws -> WordTrainer {
        try loaded.requireTraining()
        try loaded.vectors.check(against: table.identity, modelPath: loaded.path)
        let trainer = try SequenceCheckpoint.resume(loaded.file, train: train, sameDataHint: "the same corpus and vectors",
                                                    adjust: adjust) {
            try WordTrainer(config: loaded.config, table: table, options: $0, train: train, valid: valid)
        }
        trainer.model.kappa = loaded.kappa
        return trainer
    }

    static func modelMetadata(_ model: WordModel) throws -> [String: String] {
        var meta = ["format": format, "version": String(version),
         "config": try SequenceCheckpoint.json(model.config),
         "vocabulary": model.table.words.joined(separator: "\n"),
         "vectors": try SequenceCheckpoint.json(model.table.identity),
         // Float's description round-trips exactly.
         "kappa": model.kappa.description]
        if let prior = model.retrievalPrior { meta["retrieval_prior"] = try SequenceCheckpoint.json(prior) }
        return meta
    }
}
