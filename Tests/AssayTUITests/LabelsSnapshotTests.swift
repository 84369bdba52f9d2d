import AssayCore
import Testing
@testable import AssayTUI

/// Golden screens of the Labels pane: each view at 80x24 and at a tiny size, on the
/// tickets sample (deterministic, so the numbers are stable).
@Suite struct LabelsSnapshotTests {
    static let tiny = Size(width: 40, height: 10)

    @Test func labelsView() {
        let d = makeLabelsDriver()
        assertScreen(d.draw(), named: "80x24")
        d.send("o")
        assertScreen(d.draw(), named: "80x24-by-name")
        let t = makeLabelsDriver(size: Self.tiny)
        assertScreen(t.draw(), named: "tiny")
    }

    @Test func splitsView() {
        let d = makeLabelsDriver()
        d.send("s/legal\n]]]")
        assertScreen(d.draw(), named: "80x24-legal-test")
        let t = makeLabelsDriver(size: Self.tiny)
        t.send("s")
        assertScreen(t.draw(), named: "tiny")
    }

    @Test func crossTabView() {
        let d = makeLabelsDriver()
        d.send("cG]]")
        assertScreen(d.draw(), named: "80x24-split")
        d.send("ff")
        assertScreen(d.draw(), named: "80x24-third-field")
        d.send("+")
        assertScreen(d.draw(), named: "80x24-thin-10")
        let t = makeLabelsDriver(size: Self.tiny)
        t.send("c]]]]")
        assertScreen(t.draw(), named: "tiny-scrolled")
    }

    @Test func fieldsView() {
        let d = makeLabelsDriver()
        d.send("i")
        assertScreen(d.draw(), named: "80x24")
        d.send("/annotator\n\n")
        assertScreen(d.draw(), named: "80x24-values")
        let t = makeLabelsDriver(size: Self.tiny)
        t.send("i")
        assertScreen(t.draw(), named: "tiny")
    }

    @Test func textView() {
        let d = makeLabelsDriver()
        d.send("t")
        assertScreen(d.draw(), named: "80x24")
        d.send("G")
        assertScreen(d.draw(), named: "80x24-per-label")
        d.send("w")
        assertScreen(d.draw(), named: "80x24-words")
        let t = makeLabelsDriver(size: Self.tiny)
        t.send("t")
        assertScreen(t.draw(), named: "tiny")
    }

    @Test func whileScanning() throws {
        var state = AppState(source: StatsFake.tickets, size: Size(width: 80, height: 24), panes: PaneRegistry.standard.ids)
        guard case .startStatsScan(let id)? = state.start(knownMalformed: nil, stats: true).first else {
            Issue.record("no stats scan")
            return
        }
        state.activePane = .labels
        assertScreen(renderState(state), named: "80x24-before-first-counts")
        state.apply(.statsUpdate(id: id, acc: try firstHalfOfTickets(), done: 1500, total: 3001, complete: false))
        assertScreen(renderState(state), named: "80x24-partial")
        state.screenSize = Self.tiny
        assertScreen(renderState(state), named: "tiny-partial")
    }

    @Test func helpListsTheLabelsKeys() {
        let d = makeLabelsDriver()
        d.send("?")
        let text = HelpView.lines(d.commands, width: 78).map(\.plainText).joined(separator: "\n")
        #expect(text.contains("Labels\n"))
        #expect(text.contains("cross-tab: label × a field"))
        #expect(text.contains("raise the thin-cell threshold"))
    }
}
