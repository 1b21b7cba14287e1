import Foundation

/// Finds the data the tool ships (corpora/, models/, vectors/, the word evaluation sets) from
/// wherever it runs, so defaults such as `corpora/verse-2m.txt` or `models/word.safetensors`
/// work outside the repository. A relative path is looked up, in order, in: the current
/// directory; `$LYRICS_HOME`; the folders above the running executable (a build inside the
/// repository, e.g. `.build/release/lyrics`); and `<bin>/../share/lyrics` (what
/// `scripts/install.sh PREFIX` lays out). Paths the user gives are used as given.
public enum BundledData {
    /// Where `relative` is, or nil when none of the places has it.
    public static func locate(_ relative: String) -> String? {
        let fm = FileManager.default
        if relative.hasPrefix("/") || fm.fileExists(atPath: relative) { return fm.fileExists(atPath: relative) ? relative : nil }
        for root in roots() {
            let candidate = root.appendingPathComponent(relative).path
            if fm.fileExists(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// `relative` found as `locate` does, or unchanged (so a missing file's error names it).
    public static func path(_ relative: String) -> String { locate(relative) ?? relative }

    static func roots() -> [URL] {
        var roots = [URL]()
        if let home = ProcessInfo.processInfo.environment["LYRICS_HOME"], !home.isEmpty { roots.append(URL(fileURLWithPath: home)) }
        let exe = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
        var dir = URL(fileURLWithPath: Bundle.main.executablePath ?? exe.path).resolvingSymlinksInPath().deletingLastPathComponent()
        roots.append(dir.deletingLastPathComponent().appendingPathComponent("share/lyrics"))
        while dir.path != "/" {
            roots.append(dir)
            dir = dir.deletingLastPathComponent()
        }
        return roots
    }
}
