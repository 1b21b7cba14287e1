import Foundation
import LyricsCore

/// A report as an ordered list of blocks, exported both as Markdown (with SVG files beside it) and
/// as a Jupyter notebook (nbformat 4.4) so the original notebook users can open it where they
/// worked before. Building it once and rendering twice keeps the two exports in step.
public struct Report: Sendable {
    public enum Block: Sendable {
        case heading(String, level: Int)
        case text(String)
        case table(headers: [String], rows: [[String]])
        case figure(name: String, svg: String, caption: String)
        case preformatted(String)
    }

    public var title: String
    public var blocks: [Block] = []

    public init(title: String) { self.title = title }

    public mutating func add(_ block: Block) { blocks.append(block) }

    /// Writes `<dir>/<name>.md`, `<dir>/<name>.ipynb` and one SVG per figure, each atomically.
    /// Returns the paths written.
    @discardableResult
    public func export(to dir: String, name: String) throws -> [String] {
        var written = [String]()
        for case let .figure(fig, svg, _) in blocks {
            let path = (dir as NSString).appendingPathComponent("\(name)-\(fig).svg")
            try AtomicFile.write(Data(svg.utf8), to: path)
            written.append(path)
        }
        let md = (dir as NSString).appendingPathComponent("\(name).md")
        try AtomicFile.write(Data(markdown(name: name).utf8), to: md)
        let nb = (dir as NSString).appendingPathComponent("\(name).ipynb")
        try AtomicFile.write(try notebook(name: name), to: nb)
        return written + [md, nb]
    }

    public func markdown(name: String) -> String {
        var out = "# \(title)\n\n"
        for block in blocks { out += Self.markdown(block, name: name) + "\n" }
        return out
    }

    static func markdown(_ block: Block, name: String) -> String {
        switch block {
        case let .heading(text, level): return String(repeating: "#", count: max(2, level)) + " \(text)\n"
        case let .text(text): return text + "\n"
        case let .table(headers, rows): return table(headers, rows)
        case let .figure(fig, _, caption): return "![\(caption)](\(name)-\(fig).svg)\n\n*\(caption)*\n"
        case let .preformatted(text): return "```\n\(text)\n```\n"
        }
    }

    static func table(_ headers: [String], _ rows: [[String]]) -> String {
        func row(_ cells: [String]) -> String {
            "| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |\n"
        }
        return row(headers) + row(headers.map { _ in "---" }) + rows.map(row).joined()
    }

    /// nbformat 4 JSON: Markdown cells for prose and tables; each figure is a code cell that
    /// displays the exported SVG file, with that SVG stored as the cell's output so the notebook
    /// shows it without being run.
    public func notebook(name: String) throws -> Data {
        var cells: [[String: Any]] = [markdownCell("# \(title)\n")]
        for block in blocks {
            if case let .figure(fig, svg, caption) = block {
                cells.append(markdownCell("*\(caption)*\n"))
                cells.append([
                    "cell_type": "code", "execution_count": NSNull(), "metadata": [String: Any](),
                    "source": lines("from IPython.display import SVG\nSVG(filename=\"\(name)-\(fig).svg\")"),
                    "outputs": [[
                        "output_type": "display_data", "metadata": [String: Any](),
                        "data": ["image/svg+xml": lines(svg), "text/plain": ["<SVG: \(caption)>"]],
                    ] as [String: Any]],
                ])
            } else {
                cells.append(markdownCell(Self.markdown(block, name: name)))
            }
        }
        let doc: [String: Any] = [
            "nbformat": 4, "nbformat_minor": 4, "cells": cells,
            "metadata": [
                "kernelspec": ["name": "python3", "display_name": "Python 3", "language": "python"],
                "language_info": ["name": "python"],
            ],
        ]
        return try JSONSerialization.data(withJSONObject: doc, options: [.prettyPrinted, .sortedKeys])
    }

    private func markdownCell(_ text: String) -> [String: Any] {
        ["cell_type": "markdown", "metadata": [String: Any](), "source": lines(text)]
    }

    /// Notebook sources are lists of lines that keep their newlines.
    private func lines(_ text: String) -> [String] {
        var out = [String]()
        var current = ""
        for ch in text {
            current.append(ch)
            if ch == "\n" { out.append(current); current = "" }
        }
        if !current.isEmpty { out.append(current) }
        return out
    }
}
