import AssayCore
import Foundation
@testable import AssayTUI

let tuiRepoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// `samples/tickets.jsonl` as a record source that can also be scanned for stats,
/// with fixed counts (scanned once) and a short display name, so the Labels pane's
/// screens don't depend on where the checkout is.
final class StatsFake: RecordSource, StatsSource, Sendable {
    let base: Dataset
    let acc: StatsAccumulator
    let displayName = "tickets.jsonl"

    static let tickets: StatsFake = {
        let d = try! Dataset.open([tuiRepoRoot.appendingPathComponent("samples/tickets.jsonl").path])
        d.waitForIndex()
        return StatsFake(base: d, acc: d.scanStats(partial: { _, _, _ in }, isCancelled: { false }))
    }()

    init(base: Dataset, acc: StatsAccumulator) {
        self.base = base
        self.acc = acc
    }

    var recordCount: Int { base.recordCount }
    var indexProgress: IndexProgress { base.indexProgress }
    var roles: Roles { base.roles }
    var fieldPaths: [String] { base.fieldPaths }
    func record(at index: Int) -> RecordResult { base.record(at: index) }
    func malformedSlots(in range: Range<Int>) -> [(index: Int, record: MalformedRecord)] { base.malformedSlots(in: range) }

    func scanStats(partial: @escaping @Sendable (StatsAccumulator, Int, Int) -> Void,
                   isCancelled: @escaping @Sendable () -> Bool) -> StatsAccumulator {
        partial(acc, recordCount, recordCount)
        return acc
    }
}

/// A driver on the tickets sample (scans inline), already on the Labels pane.
func makeLabelsDriver(size: Size = Size(width: 80, height: 24)) -> AppDriver {
    let backend = MemoryBackend(size: size)
    let driver = AppDriver(source: StatsFake.tickets, backend: backend, theme: .standard, runScansInline: true)
    driver.start()
    driver.send("2")
    return driver
}

/// Counts of the first 1,500 lines of the tickets sample (as a scan halfway through
/// would have them, malformed line 1500 included).
func firstHalfOfTickets() throws -> StatsAccumulator {
    let text = try String(contentsOf: tuiRepoRoot.appendingPathComponent("samples/tickets.jsonl"), encoding: .utf8)
    let half = text.split(separator: "\n", omittingEmptySubsequences: false).prefix(1500).joined(separator: "\n") + "\n"
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("assay-labels-\(getpid())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let url = dir.appendingPathComponent("tickets.jsonl")
    try half.write(to: url, atomically: true, encoding: .utf8)
    let d = try Dataset.open([url.path])
    d.waitForIndex()
    return d.scanStats(partial: { _, _, _ in }, isCancelled: { false })
}

/// The frame for `state` as the app would draw it.
func renderState(_ state: AppState) -> ScreenBuffer {
    let registry = PaneRegistry.standard
    let ctx = RenderContext(state: state, source: StatsFake.tickets, theme: .standard, commands: registry.commandTable, cache: RenderCache())
    return Renderer.render(ctx, registry: registry)
}
