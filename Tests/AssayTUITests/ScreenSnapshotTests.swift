import AssayCore
import Testing
@testable import AssayTUI

/// Golden screens: every view at 80x24 and at a tiny size.

@Suite struct ScreenSnapshotTests {
    static let tiny = Size(width: 40, height: 10)

    @Test func browseTable() {
        let d = makeDriver()
        assertScreen(d.draw(), named: "80x24")
        d.send("jjj")  // onto the ESC-sequence record
        assertScreen(d.draw(), named: "80x24-escapes-selected")
        let t = makeDriver(size: Self.tiny)
        assertScreen(t.draw(), named: "tiny")
    }

    @Test func browseScrolledAndColumns() {
        let d = makeDriver()
        d.send("G")
        assertScreen(d.draw(), named: "bottom")
        d.send("gll-")  // select the split column and hide it
        assertScreen(d.draw(), named: "hidden-split")
        let t = makeDriver(size: Self.tiny)
        t.send("llll")  // scroll right to the text column
        assertScreen(t.draw(), named: "tiny-scrolled-right")
    }

    @Test func detailView() {
        let d = makeDriver()
        d.send("jjj\n")
        assertScreen(d.draw(), named: "escapes-80x24")
        d.send("nn")  // record 6 has multi-line text
        assertScreen(d.draw(), named: "multiline-80x24")
        d.send("n")  // the malformed slot
        assertScreen(d.draw(), named: "malformed-80x24")
        let t = makeDriver(size: Self.tiny)
        t.send("jjjj\n")
        assertScreen(t.draw(), named: "cjk-tiny")
    }

    @Test func helpScreen() {
        let d = makeDriver()
        d.send("?")
        assertScreen(d.draw(), named: "80x24")
        d.send("G")
        assertScreen(d.draw(), named: "80x24-end")
        let t = makeDriver(size: Self.tiny)
        t.send("?")
        assertScreen(t.draw(), named: "tiny")
    }

    @Test func malformedList() {
        let d = makeDriver()
        d.send("m")
        assertScreen(d.draw(), named: "80x24")
        d.send("\n")
        assertScreen(d.draw(), named: "after-jump")
        let t = makeDriver(size: Self.tiny)
        t.send("m")
        assertScreen(t.draw(), named: "tiny")
    }

    @Test func filterPromptWithError() {
        let d = makeDriver()
        d.send(#"flabel == "spam" && (len(text) < 20"# + "\n")
        assertScreen(d.draw(), named: "80x24")
        let t = makeDriver(size: Self.tiny)
        t.send(#"flabel == "spam" && (len(text) < 20"# + "\n")
        assertScreen(t.draw(), named: "tiny")
    }

    @Test func filteredAndSearched() {
        let d = makeDriver()
        d.send(#"flabel == "refund" || missing(label)"# + "\n")
        assertScreen(d.draw(), named: "filtered")
        d.send("/parcel 10[0-9]{2}\n")
        assertScreen(d.draw(), named: "filtered-searched")
        d.send("f")
        assertScreen(d.draw(), named: "filter-prompt-prefilled")
    }

    @Test func tooSmall() {
        let d = makeDriver(size: Size(width: 30, height: 8))
        assertScreen(d.draw(), named: "30x8")
        let e = makeDriver(size: Size(width: 39, height: 24))
        assertScreen(e.draw(), named: "39x24")
    }

    /// The message was cut at narrow sizes (`have 20x` at 20x5): it wraps, and tiny
    /// terminals get shorter wording.
    @Test func tooSmallMessageIsNeverCut() {
        #expect(makeDriver(size: Size(width: 20, height: 5)).draw().lines
                    == [" terminal too small ", "  need 40x10, have  ", "        20x5        ", "      q quits       ", String(repeating: " ", count: 20)])
        #expect(makeDriver(size: Size(width: 10, height: 2)).draw().lines == ["need 40x10", " q quits  "])
        // Wherever some wording fits, the screen holds one whole.
        for width in 5..<60 {
            for height in 1..<12 where width < 40 || height < 10 {
                let size = Size(width: width, height: height)
                let shown = makeDriver(size: size).draw().lines.joined(separator: " ").split(separator: " ").joined(separator: " ")
                let expected = TooSmallView.wordings(size).map { $0.joined(separator: " ") }
                #expect(expected.contains(shown), "at \(width)x\(height): \(shown)")
            }
        }
    }

    @Test func indexingInProgress() {
        let source = FakeSource()
        source.setIndexed(12, complete: false)
        let d = makeDriver(source: source)
        assertScreen(d.draw(), named: "80x24")
    }
}
