import ArgumentParser
import Foundation
import LyricsCore
import Evaluation
import CharModel
import Songwriting

extension OriginalityIndex: TrainingTextLookup {}

/// `lyrics compare`'s sample-quality options: how many lines each model writes, the judge that
/// scores them, where the training text's originality index is cached.
struct CompareQualityOptions: ParsableArguments {
    @Option(name: .customLong("quality-lines"), help: "Lines each model writes per temperature (and retrieval rule) for the sample-quality table (0: none).")
    var qualityLines: Int = 40
    @Option(name: .long, help: "Independent char model (trained with another seed on the training split) that scores the samples and the test split in bits/char.")
    var judge: String?
    @Option(name: .customLong("originality-cache"), help: "Directory for the training split's originality index.")
    var originalityCache: String = OriginalityIndex.defaultCacheDirectory

    func validate() throws {
        guard qualityLines >= 0 else { throw ValidationError("--quality-lines must not be negative") }
    }

    /// The judge as a batch-1 model (one stream per text).
    func loadJudge() throws -> CharModel? {
        try judge.map { try CharCheckpoint.model(CharCheckpoint.load($0), batch: 1, maxSteps: 256) }
    }

    /// The originality index of the training split, from the cache when one of exactly this text
    /// is there, else built and saved (a cache that cannot be written only costs a rebuild).
    func trainingIndex(trainText: String, corpus: String) throws -> OriginalityIndex {
        let fp = Fingerprint.of(text: trainText)
        let file = OriginalityIndex.cacheFile(corpus: corpus + ".train", fingerprint: fp, directory: originalityCache)
        if FileManager.default.fileExists(atPath: file), let index = try? OriginalityIndex.load(from: file, expectedFingerprint: fp) {
            return index
        }
        let index = OriginalityIndex.build(text: trainText, fingerprint: fp)
        do {
            try FileManager.default.createDirectory(atPath: originalityCache, withIntermediateDirectories: true)
            try index.save(to: file)
        } catch {
            note("note: \(originalityCache): the originality index could not be cached (\(error))")
        }
        return index
    }

    /// The real held-out lines measured like samples, then every sample of `written`.
    func measure(_ written: [ModelSamples], heldOut: String, judge: CharModel?, judgeBatch: CharModel?,
                 index: OriginalityIndex) -> [String: [SampleQuality]] {
        let reference = SampleQuality(text: heldOut, source: "held-out",
                                      judgeBitsPerCharacter: judgeBatch.map { SampleWriting.judgeBits($0, text: heldOut) }, index: index)
        var out = [String: [SampleQuality]]()
        for m in written { out[m.path] = [reference] + SampleWriting.quality(m, judge: judge, index: index) }
        return out
    }
}
