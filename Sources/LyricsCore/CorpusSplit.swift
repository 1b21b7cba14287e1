/// The fixed benchmark split (shared/data/README.md): normalised lines are cut into blocks of 50;
/// block k goes to validation when k % 20 == 18, to test when k % 20 == 19, else to training.
/// Every quality figure in the project is measured on this split so runs compare.
public struct CorpusSplit: Sendable {
    public var train: String
    public var valid: String
    public var test: String

    public static let blockLines = 50
    public static let cycle = 20

    public enum Part: String, CaseIterable, Sendable { case train, valid, test, all }

    /// A split whose whole text is training text (e.g. a training file given with its own
    /// validation file).
    public init(train: String, valid: String = "", test: String = "") {
        self.train = train
        self.valid = valid
        self.test = test
    }

    /// Splits already-normalised text (lines ending in "\n").
    public init(normalized text: String) {
        var parts = [[Substring]](repeating: [], count: 3)
        var lineNo = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            let block = lineNo / Self.blockLines
            let slot = block % Self.cycle
            parts[slot == 18 ? 1 : (slot == 19 ? 2 : 0)].append(line)
            lineNo += 1
        }
        func join(_ lines: [Substring]) -> String {
            var s = String()
            s.reserveCapacity(lines.reduce(0) { $0 + $1.utf8.count + 1 })
            for l in lines { s += l; s += "\n" }
            return s
        }
        train = join(parts[0])
        valid = join(parts[1])
        test = join(parts[2])
    }

    public func text(_ part: Part, whole: String) -> String {
        switch part {
        case .train: return train
        case .valid: return valid
        case .test: return test
        case .all: return whole
        }
    }
}

extension CorpusSplit {
    /// The lines of `part` that lie in every `every`-th block of that part (every = 1: the whole
    /// part). The broad test set is `part(.test, of: wholeCorpus, everyNthBlock: 5)`: it samples
    /// the whole corpus evenly in 50-line blocks, so it is about a fifth of the test part.
    public static func part(_ part: Part, of text: String, everyNthBlock every: Int = 1) -> String {
        precondition(every >= 1)
        var out = String()
        var lineNo = 0
        var blocksSeen: [Part: Int] = [:]
        var keep = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            if lineNo % blockLines == 0 {
                let slot = (lineNo / blockLines) % cycle
                let owner: Part = slot == 18 ? .valid : (slot == 19 ? .test : .train)
                let m = blocksSeen[owner, default: 0]
                blocksSeen[owner] = m + 1
                keep = part == .all || (owner == part && m % every == 0)
            }
            if keep {
                out += line
                out += "\n"
            }
            lineNo += 1
        }
        return out
    }

    /// The set of lines in the valid and test parts: lines another corpus must not train on.
    public var heldOutLines: Set<Substring> {
        var set = Set<Substring>()
        for part in [valid, test] { for line in part.split(separator: "\n") { set.insert(line) } }
        return set
    }

    /// Drops the training lines that occur in `lines` (e.g. another corpus's held-out lines, so a
    /// model trained on the full corpus can still be scored on verse-2m's test split). Returns the
    /// number of lines dropped.
    @discardableResult
    public mutating func removeTrainingLines(occurringIn lines: Set<Substring>) -> Int {
        var kept = String()
        kept.reserveCapacity(train.utf8.count)
        var dropped = 0
        for line in train.split(separator: "\n") {
            if lines.contains(line) { dropped += 1; continue }
            kept += line
            kept += "\n"
        }
        train = kept
        return dropped
    }
}
