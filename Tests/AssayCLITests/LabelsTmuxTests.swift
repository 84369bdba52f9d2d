import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

// End-to-end tests of the Labels pane: the real binary in tmux (harness in
// BrowseTmuxTests.swift), on samples/tickets.jsonl.

@Suite(.serialized) struct LabelsTmuxTests {
    func start(width: Int = 100, height: Int = 30) -> TmuxSession? {
        BrowseTmuxTests().start([BrowseTmuxTests.sample], width: width, height: height)
    }

    /// The line of the screen that contains `text`.
    func line(_ screen: String, _ text: String) -> String {
        screen.split(separator: "\n").first { $0.contains(text) }.map(String.init) ?? ""
    }

    @Test func labelBarsAndDrillDown() {
        guard let t = start() else { return }
        defer { t.kill() }
        t.waitFor("record 1/3,001")
        t.send("2")
        var s = t.waitFor("exact: 3,000 records")
        #expect(line(s, "shipping").contains("shipping    715"))
        #expect(line(s, "legal").contains("legal        15"))
        #expect(line(s, "(missing)").contains("(missing)    30"))
        #expect(s.contains("imbalance 47.7×"))
        t.send("/")
        t.type("legal")
        t.send("Enter")
        s = t.waitFor(#"Enter → filter label == "legal"  (15)"#)
        t.send("Enter")
        s = t.waitFor(#"15 of 3,001 records match label == "legal""#)
        #expect(s.contains("1 Browse"))
        #expect(s.contains(#"filter label == "legal" 15 matches"#))
        #expect(!s.contains("shipping"))
        // The (missing) bar: the filter is missing(label).
        t.send("2")
        t.waitFor("exact: 3,000 records")
        t.send("G", "Enter")
        t.waitFor("30 of 3,001 records match missing(label)")
        t.send("q")
        t.waitFor("EXIT=0")
    }

    @Test func splitsFlagLegalAbsentInTest() {
        guard let t = start() else { return }
        defer { t.kill() }
        t.waitFor("record 1/3,001")
        t.send("2", "s")
        let s = t.waitFor("absent in test")
        #expect(line(s, "absent in test").contains("legal"))
        #expect(s.contains("measure: chi-square test per label"))
        #expect(s.contains("Jensen-Shannon distance to train"))
        t.send("q")
        t.waitFor("EXIT=0")
    }

    @Test func crossTabCellDrillDown() {
        guard let t = start() else { return }
        defer { t.kill() }
        t.waitFor("record 1/3,001")
        t.send("2", "c")
        var s = t.waitFor("label × split")
        #expect(s.contains("thin < 5% of expected"))
        // legal × valid: 2 records.
        t.send("/")
        t.type("legal")
        t.send("Enter", "Right", "Right")
        s = t.waitFor(#"Enter → filter label == "legal" && split == "valid"  (2)"#)
        t.send("Enter")
        s = t.waitFor(#"2 of 3,001 records match label == "legal" && split == "valid""#)
        // Another field's cell: source.
        t.send("2", "f")
        t.waitFor("label × source")
        t.send("g", "Right")
        s = t.waitFor("Enter → filter label == \"shipping\" && source == ")
        let footer = line(s, "Enter → filter")
        let expected = footer.split(separator: "(").last.map { String($0.prefix { $0 != ")" }) } ?? ""
        #expect(!expected.isEmpty)
        t.send("Enter")
        s = t.waitFor("\(expected) of 3,001 records match label == \"shipping\" && source == ")
        t.send("2", "+")
        t.waitFor("thin < 10% of expected")
        t.send("q")
        t.waitFor("EXIT=0")
    }

    @Test func fieldsTextAndMalformed() {
        guard let t = start() else { return }
        defer { t.kill() }
        t.waitFor("record 1/3,001")
        t.send("2", "i")
        var s = t.waitFor("field paths")
        #expect(s.contains("meta.annotator"))
        t.send("Enter")
        s = t.waitFor("Malformed lines: 1")
        t.send("Enter")
        t.waitFor("record 1,500/3,001")
        t.send("2", "t")
        s = t.waitFor("histogram of chars per text")
        t.send("e")
        t.waitFor(#"13 of 3,001 records match text ~ "^\s*$""#)
        t.send("2", "?")
        s = t.waitFor("Keys (q or ? closes)")
        t.send("q")
        // Tiny terminals still show the pane.
        t.resize(width: 40, height: 10)
        s = t.waitFor("a 40x10 Labels pane") { $0.contains("2 Labels") && $0.contains(" t Text") }
        t.send("q")
        t.waitFor("EXIT=0")
    }
}
