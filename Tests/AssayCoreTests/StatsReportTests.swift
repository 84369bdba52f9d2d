import Testing
@testable import AssayCore

@Suite struct StatsReportTests {
    /// A label that is a whole paragraph (a text field picked as the label) is cut, so its
    /// count and share stay on the line.
    @Test func longCellsAreCutSoTheColumnsAfterThemShow() {
        let long = String(repeating: "word ", count: 60)
        let out = Table.render([["label", "count", "share"], [long, "1", "50%"], ["short", "1", "50%"]], rightAligned: [1, 2])
        let lines = out.split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        #expect(lines[1].hasSuffix("      1    50%"))
        #expect(lines[1].contains("…"))
        #expect(lines.allSatisfy { TerminalText.width($0) == Table.columnCap + "  count  share".count })
        // The last column is not cut by the cap (only by the line width).
        let sentence = String(repeating: "x", count: 100)
        #expect(Table.render([["a", "b"], ["x", sentence]]).contains(sentence))
        // Without a cap (the Files table: paths differ at their ends), nothing is cut.
        #expect(Table.render([["a", "b"], [sentence, "1"]], columnCap: nil).contains(sentence + "  1"))
    }
}
