/// What a training run reads besides its plan, recorded in its checkpoints so that
/// `--resume FILE` alone continues it: the corpus (absolute path; its training text is also
/// fingerprinted), the validation text when it came from its own file, the BLAS threads, and
/// for word models and fine-tuning the vectors and the base model. It describes how text was
/// read, not a model, so it lives with the corpora; `SequenceCheckpoint` stores it as JSON.
public struct TrainingInputs: Codable, Equatable, Sendable {
    public var corpus: String
    public var valid: String?
    public var threads: Int
    public var vectors: String?
    public var base: String?
    public var fromScratch: Bool?
    /// How a table or folder corpus was read: the lyrics column, row filters, split rule.
    public var textColumn: String?
    public var filters: [String]?
    public var splitBy: SplitRule?

    public init(corpus: String, valid: String? = nil, threads: Int, vectors: String? = nil, base: String? = nil,
                fromScratch: Bool? = nil, textColumn: String? = nil, filters: [String]? = nil, splitBy: SplitRule? = nil) {
        self.corpus = corpus
        self.valid = valid
        self.threads = threads
        self.vectors = vectors
        self.base = base
        self.fromScratch = fromScratch
        self.textColumn = textColumn
        self.filters = filters
        self.splitBy = splitBy
    }
}
