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
