import ArgumentParser
import AssayCore
import Dispatch
import AssayCurses
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

struct Stats: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Count records, labels, splits, text lengths and field integrity.",
        discussion: """
            Exit status: 0 when the data was read (with a warning on stderr if some records \
            were malformed), 1 when nothing could be read, 2 for usage errors.
            """
    )

    @OptionGroup var data: DatasetOptions

    @Flag(help: "Print JSON (keys documented in README.md).")
    var json = false

    @Flag(help: "Print a Markdown report to paste into a review.")
    var markdown = false

    @Option(help: "Flag coverage cells below this fraction of their expected count as thin (default 0.05).")
    var thin: Double = 0.05

    @Flag(help: "Only build the record index and print the number of record slots (for benchmarks).")
    var indexOnly = false

    func validate() throws {
        if json && markdown { throw ValidationError("choose one of --json and --markdown") }
        if !(thin >= 0 && thin <= 1) { throw ValidationError("--thin takes a fraction from 0 to 1, e.g. 0.05") }
    }

    func run() throws {
        // The scan finds JSON Lines records itself; `--index-only` times the full index.
        let dataset = try data.open(releasePages: true, sampleIndexOnly: !indexOnly)
        let showProgress = isatty(2) == 1
        if indexOnly {
            dataset.waitForIndex()
            Stdout.write("\(dataset.recordCount)\n")
            return
        }
        let progress: (@Sendable (Int, Int) -> Void)? = showProgress ? { @Sendable done, total in
            ProgressBar.draw(done: done, total: total)
        } : nil
        // The scan runs while the index (of formats it cannot read line by line) is built.
        let t1 = DispatchTime.now()
        let acc = StatsScan.run(dataset, progress: progress)
        dataset.waitForIndex()
        let t2 = DispatchTime.now()
        defer {
            if getenv("ASSAY_TIMING") != nil {
                let t3 = DispatchTime.now()
                func ms(_ a: DispatchTime, _ b: DispatchTime) -> Int { Int((b.uptimeNanoseconds - a.uptimeNanoseconds) / 1_000_000) }
                Stderr.write("timing: scan \(ms(t1, t2)) ms, report \(ms(t2, t3)) ms\n")
            }
        }
        if showProgress { ProgressBar.clear() }
        let report = StatsReport(dataset: dataset, acc: acc, thinFraction: thin)
        if json {
            Stdout.write(JSONWriter.pretty(report.json))
        } else if markdown {
            Stdout.write(report.markdown())
        } else {
            Stdout.write(report.text())
        }
        if !acc.malformed.isEmpty {
            let first = acc.malformed[0]
            Stderr.write("assay: warning: \(acc.malformed.count) malformed record\(acc.malformed.count == 1 ? "" : "s") skipped (first: \(TerminalText.escape(first.message)))\n")
        }
        if acc.records == 0 {
            Stderr.write(acc.malformed.isEmpty ? "assay: no records found: the data holds none\n" : "assay: no record could be read\n")
            throw ExitCode(1)
        }
    }
}

/// A one-line progress bar on stderr (only when stderr is a terminal).
enum ProgressBar {
    static let last = Atomic<Int>(-1)

    static func draw(done: Int, total: Int) {
        // `total` is an estimate while the index is still being built.
        let pct = total <= 0 ? 100 : min(100, done * 100 / total)
        guard last.exchange(pct, ordering: .relaxed) < pct else { return }
        let width = 30
        let filled = width * pct / 100
        Stderr.write("\r  scanning [" + String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled) + "] \(pct)%")
    }

    static func clear() {
        Stderr.write("\r\u{1b}[K")
    }
}

struct Browse: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Open the interactive browser (the default command).",
        discussion: "Press ? inside for the keys."
    )

    @OptionGroup var data: DatasetOptions

    func run() throws {
        // Pages the index pass has read are released, so a huge file does not stay resident.
        let t0 = DispatchTime.now()
        // The Labels pane's scan starts at launch: the index waits for it (unless browsing needs it).
        let dataset = try data.open(releasePages: true, statsScanFollows: true)
        let opened = DispatchTime.now()
        let status = BrowserApp.run(source: dataset)
        if getenv("ASSAY_TIMING") != nil {
            Stderr.write("timing: open \((opened.uptimeNanoseconds - t0.uptimeNanoseconds) / 1_000_000) ms\n")
        }
        if status != 0 { throw ExitCode(status) }
    }
}
