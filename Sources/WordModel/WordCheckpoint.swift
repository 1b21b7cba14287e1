import Foundation
import LyricsCore
import Recurrent

/// Word-model checkpoints in the safetensors layout, alongside the char model's (and through
/// its helpers): every parameter under its `ParameterSet` name and, for training checkpoints,
/// the Adam moments, the carried recurrent state of every stream and the best weights so far.
/// `__metadata__` holds the format and version, the config, the vocabulary (the vector file's
/// words, one per line), the vectors' identity (path, size, dimension, vocabulary hash), kappa,
/// the training options and state (including the loss history the report plots), Adam's step
/// count, the dropout RNG and a fingerprint of the training ids: all a resumed run needs to
/// continue bit for bit. Frozen input vectors are not copied in; they are read from the vector
/// file, whose identity is checked.
public enum WordCheckpoint {
    public static let format = "lyrics-word-model"
    public static let version = 1

    public static func save(_ trainer: WordTrainer, to path: String) throws {
        let model = trainer.model
        var meta = try modelMetadata(model)
        meta["options"] = try CharCheckpoint.json(trainer.options)
        meta["state"] = try CharCheckpoint.json(trainer.state)
        meta["adam_t"] = String(trainer.adam.t)
        meta["rng"] = model.random.rng.stateWords.map(String.init).joined(separator: ",")
        meta["train_fingerprint"] = CharCheckpoint.fingerprint(trainer.trainIDs)
        var tensors = parameterTensors(model)
        let n = model.parameters.count
        tensors.append(.init(name: "optimizer.adam.m", shape: [n], values: UnsafeBufferPointer(trainer.adam.m.buffer)))
        tensors.append(.init(name: "optimizer.adam.v", shape: [n], values: UnsafeBufferPointer(trainer.adam.v.buffer)))
        tensors.append(.init(name: "best.parameters", shape: [n], values: UnsafeBufferPointer(trainer.bestParameters.buffer)))
        for (i, s) in model.stack.stateBuffers.enumerated() {
            tensors.append(.init(name: "state.\(i)", shape: [model.batch, s.count / model.batch], values: UnsafeBufferPointer(s.buffer)))
        }
        try SafeTensors.write(tensors, metadata: meta, to: path)
    }

    /// A checked checkpoint header: architecture, vocabulary, vectors identity and kappa.
    public struct Loaded {
        public let file: SafeTensors.File
        public let config: WordModelConfig
        public let words: [String]
        public let vectors: VectorIdentity
        public let kappa: Float
        public var path: String { file.path }
        public var isTraining: Bool { file.metadata["options"] != nil }

        /// The training state (loss history etc.) when this is a training checkpoint.
        public func trainingState() throws -> WordTrainingState? {
            guard let s = file.metadata["state"] else { return nil }
            return try CharCheckpoint.decode(s, key: "state", path: path)
        }
    }

    public static func load(_ path: String) throws -> Loaded {
        let file = try SafeTensors.File(path: path)
        guard file.metadata["format"] == format else {
            throw LyricsError(file: path, "not a lyrics word model checkpoint (format '\(file.metadata["format"] ?? "none")')")
        }
        guard file.metadata["version"] == String(version) else {
            throw LyricsError(file: path, "checkpoint format version \(file.metadata["version"] ?? "?") is not supported (this build reads version \(version))")
        }
        let config: WordModelConfig = try CharCheckpoint.decode(file.meta("config"), key: "config", path: path)
        guard config.layers >= 1, config.hiddenSize >= 1, config.dropout >= 0, config.dropout < 1 else {
            throw LyricsError(file: path, "checkpoint has an invalid model configuration")
        }
        let identity: VectorIdentity = try CharCheckpoint.decode(file.meta("vectors"), key: "vectors", path: path)
        let words = try file.meta("vocabulary").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard words.count == identity.vocabularySize, VectorTable.hash(words: words) == identity.vocabularyHash else {
            throw LyricsError(file: path, "checkpoint vocabulary does not match its recorded vectors identity (corrupt file?)")
        }
        guard let kappa = Float(try file.meta("kappa")), kappa.isFinite, kappa > 0 else {
            throw LyricsError(file: path, "bad kappa metadata")
        }
        return Loaded(file: file, config: config, words: words, vectors: identity, kappa: kappa)
    }

    /// A model with the checkpoint's weights over `table`, which must be the vectors it was
    /// trained with (same words in the same order, same dimension).
    public static func model(_ loaded: Loaded, table: VectorTable, batch: Int, maxSteps: Int) throws -> WordModel {
        try loaded.vectors.check(against: table.identity, modelPath: loaded.path)
        let model = WordModel(config: loaded.config, table: table, batch: batch, maxSteps: maxSteps, seed: 0)
        try CharCheckpoint.readParameters(loaded.file, into: model.parameters)
        model.kappa = loaded.kappa
        return model
    }

    /// Rebuilds a trainer exactly as it was saved; `train` must be the same ids.
    public static func trainer(_ loaded: Loaded, table: VectorTable, train: [Int32], valid: HeldOutText,
                               adjust: (inout WordTrainingOptions) -> Void = { _ in }) throws -> WordTrainer {
        let f = loaded.file, path = loaded.path
        guard loaded.isTraining else { throw LyricsError(file: path, "holds weights only, no training state to resume") }
        try loaded.vectors.check(against: table.identity, modelPath: path)
        var options: WordTrainingOptions = try CharCheckpoint.decode(f.meta("options"), key: "options", path: path)
        adjust(&options)
        guard try f.meta("train_fingerprint") == CharCheckpoint.fingerprint(train) else {
            throw LyricsError(file: path, "was trained on a different text; resume with the same corpus and vectors")
        }
        let trainer = try WordTrainer(config: loaded.config, table: table, options: options, train: train, valid: valid)
        trainer.state = try CharCheckpoint.decode(f.meta("state"), key: "state", path: path)
        try CharCheckpoint.readParameters(f, into: trainer.model.parameters)
        trainer.model.kappa = loaded.kappa
        try f.read("optimizer.adam.m", into: trainer.adam.m.buffer)
        try f.read("optimizer.adam.v", into: trainer.adam.v.buffer)
        try f.read("best.parameters", into: trainer.bestParameters.buffer)
        for (i, s) in trainer.model.stack.stateBuffers.enumerated() { try f.read("state.\(i)", into: s.buffer) }
        guard let t = Int(try f.meta("adam_t")) else { throw LyricsError(file: path, "bad adam_t metadata") }
        trainer.adam.t = t
        let words = try f.meta("rng").split(separator: ",").compactMap { UInt64($0) }
        guard words.count == 4 else { throw LyricsError(file: path, "bad rng metadata") }
        trainer.model.random.rng = SeededRandom(state: words)
        return trainer
    }

    static func modelMetadata(_ model: WordModel) throws -> [String: String] {
        ["format": format, "version": String(version),
         "config": try CharCheckpoint.json(model.config),
         "vocabulary": model.table.words.joined(separator: "\n"),
         "vectors": try CharCheckpoint.json(model.table.identity),
         // Float's description round-trips exactly.
         "kappa": model.kappa.description]
    }

    static func parameterTensors(_ model: WordModel) -> [SafeTensors.Tensor] {
        model.parameters.entries.map {
            .init(name: $0.name, shape: $0.shape,
                  values: UnsafeBufferPointer(start: model.parameters.values.pointer + $0.offset, count: $0.count))
        }
    }
}
