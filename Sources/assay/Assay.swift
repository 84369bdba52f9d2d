import ArgumentParser
import AssayCore
#if canImport(Glibc)
import Glibc
#endif

@main
struct Assay: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assay",
        abstract: "Explore ML training data in the terminal: records, labels, duplicates, audits.",
        discussion: """
            Opens JSONL, JSON, CSV and TSV files (or folders of them) read-only. \
            `assay PATH` opens the interactive browser; `assay stats PATH` prints counts.
            """,
        subcommands: [Browse.self, Stats.self],
        defaultSubcommand: Browse.self
    )

    /// Like ArgumentParser's main, but usage errors exit with 2 (as documented), not 64.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if !message.isEmpty {
                if code == .success { Stdout.write(message + "\n") } else { Stderr.write(message + "\n") }
            }
            if code == .validationFailure { Glibc.exit(2) }
            Glibc.exit(code.rawValue)
        }
    }
}

/// Options shared by every command that opens a dataset.
struct DatasetOptions: ParsableArguments {
    @Argument(help: "Data files or folders (searched recursively; README/LICENSE/*.md are skipped).")
    var paths: [String] = []

    @Option(help: "Format: jsonl, json, csv, tsv or lines (default: sniffed from the content).")
    var format: DataFormat?

    @Option(help: "Field delimiter of a delimited file, e.g. ',' ';' '|' or 'tab'.")
    var delimiter: String?

    @Flag(help: "The first row of a CSV/TSV file is a header (default: sniffed).")
    var header = false

    @Flag(help: "The first row of a CSV/TSV file is data, not a header.")
    var noHeader = false

    @Option(help: "Quote handling for CSV/TSV: csv (RFC 4180) or none (default: csv for CSV, none for TSV).")
    var quoting: Quoting?

    @Option(help: "Read each line with this regular expression; its named groups become fields, e.g. '(?<label>\\w+)\\t(?<text>.*)'.")
    var lineRegex: String?

    @Option(help: "Text encoding: utf-8 or latin-1 (default: utf-8, or latin-1 when the file is not valid UTF-8).")
    var encoding: TextEncoding?

    @Option(help: "Field(s) holding the text, comma-separated; several are joined with one space.")
    var text: String?

    @Option(help: "Field holding the label.")
    var label: String?

    @Option(help: "Field holding the split (default: a `split` field, or train/valid/test from file names).")
    var split: String?

    @Option(help: "Field holding the source or language.")
    var source: String?

    @Option(help: "Field holding the record id.")
    var id: String?

    @Option(help: "Take each file's source from its folder name (dir) or the first word of its file name (file).")
    var sourceFrom: OpenOptions.SourceFrom?

    /// Standard input is a pipe (not a terminal, not /dev/null).
    static var stdinIsPipe: Bool {
        var st = stat()
        return fstat(0, &st) == 0 && (st.st_mode & S_IFMT) == S_IFIFO
    }

    func validate() throws {
        if paths.contains(Dataset.stdinPath) && isatty(0) == 1 {
            // It would wait for typed data until Ctrl-D, looking hung.
            throw ValidationError("'-' reads standard input, which is the terminal here: pipe data in, e.g. `zcat train.jsonl.gz | assay -`")
        }
        if paths.isEmpty && !Self.stdinIsPipe { throw ValidationError("give a data file or folder, e.g. `assay stats samples/tickets.jsonl`") }
        if let d = delimiter, parsedDelimiter(d) == nil {
            throw ValidationError("--delimiter takes one ASCII character or 'tab', got '\(d)'")
        }
        if header && noHeader { throw ValidationError("--header and --no-header contradict each other") }
        // Flags that would be silently ignored are refused.
        let delimitedFlags = [delimiter.map { _ in "--delimiter" }, header ? "--header" : nil,
                              noHeader ? "--no-header" : nil, quoting.map { _ in "--quoting" }].compactMap { $0 }
        if let f = format, f != .csv, f != .tsv, let flag = delimitedFlags.first {
            throw ValidationError("\(flag) applies to CSV and TSV files, not to --format \(f.rawValue)")
        }
        if lineRegex != nil {
            if let f = format, f != .lines {
                throw ValidationError("--line-regex reads plain lines; it cannot be used with --format \(f.rawValue)")
            }
            if let flag = delimitedFlags.first {
                throw ValidationError("\(flag) applies to CSV and TSV files; --line-regex reads plain lines")
            }
        }
        if sourceFrom != nil && source != nil {
            throw ValidationError("--source-from and --source both say where the source comes from; give one")
        }
    }

    func parsedDelimiter(_ d: String) -> UInt8? {
        if d == "tab" || d == "\\t" || d == "\t" { return 0x09 }
        guard d.utf8.count == 1, let b = d.utf8.first, b < 0x80 else { return nil }
        return b
    }

    func openOptions() -> OpenOptions {
        var o = OpenOptions()
        o.format = FormatOptions(format: format, delimiter: delimiter.flatMap(parsedDelimiter),
                                 header: header ? true : noHeader ? false : nil, quoting: quoting, lineRegex: lineRegex,
                                 encoding: encoding)
        o.sourceFrom = sourceFrom
        o.roles = RoleOverrides(text: text.map { $0.split(separator: ",").map { String($0).trimmingCharacters() } },
                                label: label, split: split, source: source, id: id)
        return o
    }

    /// Open the dataset, or exit: 1 when nothing could be read, 2 for usage errors.
    /// `sampleIndexOnly`: JSON Lines files are indexed only for role inference (a one-pass
    /// stats scan finds their records itself). `statsScanFollows`: the browser's Labels pane
    /// scans at launch, and the index waits for it.
    func open(releasePages: Bool = false, sampleIndexOnly: Bool = false, statsScanFollows: Bool = false) throws -> Dataset {
        var o = openOptions()
        o.releasePages = releasePages
        o.sampleIndexOnly = sampleIndexOnly
        o.statsScanFollows = statsScanFollows
        // With no path, data piped in is read (`zcat x.jsonl.gz | assay stats`).
        let paths = self.paths.isEmpty ? [Dataset.stdinPath] : self.paths
        // Reading a pipe to its end can take a while (a big `zcat`): say what is going on.
        let saysReading = paths.contains(Dataset.stdinPath) && isatty(2) == 1
        if saysReading { Stderr.write("assay: reading standard input into memory…") }
        defer { if saysReading { Stderr.write("\r\u{1B}[K") } }
        do {
            return try Dataset.open(paths, options: o)
        } catch {
            // Each line escaped on its own, so the message keeps its line breaks.
            let lines = error.description.split(separator: "\n", omittingEmptySubsequences: false)
            Stderr.write("assay: " + lines.map { TerminalText.escape(String($0)) }.joined(separator: "\n") + "\n")
            switch error {
            case .usage: throw ExitCode(2)
            case .nothingReadable: throw ExitCode(1)
            }
        }
    }
}

extension String {
    func trimmingCharacters() -> String {
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}

extension DataFormat: ExpressibleByArgument {}
extension Quoting: ExpressibleByArgument {}
extension TextEncoding: ExpressibleByArgument {
    public init?(argument: String) {
        switch argument.lowercased() {
        case "utf-8", "utf8": self = .utf8
        case "latin-1", "latin1", "iso-8859-1": self = .latin1
        default: return nil
        }
    }
}
extension OpenOptions.SourceFrom: ExpressibleByArgument {}

/// Writes all of a string to a file descriptor, unbuffered.
func writeAll(_ fd: Int32, _ s: String) {
    var s = s
    s.withUTF8 { buf in
        var off = 0
        while off < buf.count {
            let n = Glibc.write(fd, buf.baseAddress! + off, buf.count - off)
            if n <= 0 { break }
            off += n
        }
    }
}

enum Stderr {
    static func write(_ s: String) { writeAll(2, s) }
}

enum Stdout {
    static func write(_ s: String) { writeAll(1, s) }
}
