import ArgumentParser
import Foundation
import LyricsCore

@main
struct Lyrics: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lyrics",
        abstract: "Learn word vectors and write lyrics with word- and character-level LSTMs.",
        subcommands: [GenerateCommand.self, CorpusCommand.self, VectorsCommand.self, CharCommand.self, WordCommand.self, CompareCommand.self,
                      BlendCommand.self, FineTuningReportCommand.self, ServeCommand.self, CheckCommand.self, RhymeCommand.self, ExportCommand.self,
                      SongwritingBenchCommand.self, GenerationBenchCommand.self]
    )

    /// The one error path: every failure, from a bad flag to a bad file, prints one line
    /// `error: <file or field>: <problem>` on stderr and exits non-zero; help and explicit exit
    /// codes (130 after Ctrl-C) go through ArgumentParser as usual.
    static func main() async {
        do {
            var command = try parseAsRoot()
            let world = try Distributed.world()
            if world.isDistributed, !(command is DistributedCommand) {
                throw LyricsError("mpi: this command does not run distributed (\(world.size) ranks); under mpirun run `char train`, `word train`, `vectors train` or a `fine-tune`")
            }
            if var command = command as? AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
            Distributed.finish()
        } catch {
            let code = exitCode(for: error)
            if code == .success || error is ExitCode || error is CleanExit {
                Distributed.finish()
                exit(withError: error)
            }
            Distributed.fail(error, line: errorLine, code: code == .success ? 1 : code.rawValue)
        }
    }

    /// One line for any error: a `LyricsError` names its file; parser errors are reworded to
    /// name their option first.
    static func errorLine(_ error: Error) -> String {
        if let e = error as? LyricsError { return e.description }
        let message = message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
        return fieldFirst(message.hasPrefix("Error: ") ? String(message.dropFirst(7)) : message)
    }

    /// ArgumentParser's own messages in the `<field>: <problem>` shape of every other error:
    /// "The value 'x' is invalid for '--top-p <top-p>'" becomes "--top-p: invalid value 'x'",
    /// "Missing value for '--lines <lines>'" "--lines: missing value", and so on; any other
    /// message is kept as it is.
    static func fieldFirst(_ message: String) -> String {
        // Odd pieces are the quoted parts.
        let piece = message.split(separator: "'", omittingEmptySubsequences: false).map(String.init)
        func name(_ i: Int) -> String { String(piece[i].split(separator: " ").first ?? "") }
        /// What follows the quoted part `i` (". Did you mean '--words'?"), as "; did you mean '--words'?".
        func tail(after i: Int) -> String {
            var rest = piece[(i + 1)...].joined(separator: "'")
            while rest.first == "." || rest.first == " " { rest.removeFirst() }
            return rest.isEmpty ? "" : "; " + rest.prefix(1).lowercased() + rest.dropFirst()
        }
        switch piece.first {
        case "The value " where piece.count >= 5: return "\(name(3)): invalid value '\(piece[1])'" + tail(after: 3)
        case "Missing value for " where piece.count >= 3: return "\(name(1)): missing value" + tail(after: 1)
        case "Missing expected argument " where piece.count >= 3: return "\(name(1)): missing (required)" + tail(after: 1)
        case "Unknown option " where piece.count >= 3: return "\(name(1)): unknown option" + tail(after: 1)
        case "Unexpected argument " where piece.count >= 3: return "'\(piece[1])': unexpected argument" + tail(after: 1)
        default: return message
        }
    }
}

/// A command that runs as one job over the ranks `mpirun` starts (data-parallel training); any
/// other command started under `mpirun` with several ranks is refused, since each copy would
/// write the same files.
protocol DistributedCommand {}

extension CharTrain: DistributedCommand {}
extension WordTrain: DistributedCommand {}
extension CharFineTune: DistributedCommand {}
extension WordFineTune: DistributedCommand {}
extension VectorsTrainCommand: DistributedCommand {}
