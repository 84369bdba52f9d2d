import Testing
@testable import AssayTUI

@Suite struct ScreenBufferTests {
    @Test func wideCharactersTakeTwoCells() {
        var b = ScreenBuffer(size: Size(width: 10, height: 1))
        let used = b.write("漢字x", x: 0, y: 0, style: .plain)
        #expect(used == 5)
        #expect(b[0, 0].content == "漢")
        #expect(b[1, 0].isContinuation)
        #expect(b.text == "漢字x")
    }

    @Test func wideCharacterAtTheEdgeIsNotSplit() {
        var b = ScreenBuffer(size: Size(width: 5, height: 1))
        b.write("abcd漢", x: 0, y: 0, style: .plain)
        #expect(b.lines[0] == "abcd ")
        var c = ScreenBuffer(size: Size(width: 10, height: 1))
        c.write("漢字", x: 0, y: 0, maxWidth: 3, style: .plain)
        #expect(c.lines[0] == "漢        ")
    }

    @Test func overwritingHalfAWideCharacterBlanksTheOtherHalf() {
        var b = ScreenBuffer(size: Size(width: 6, height: 1))
        b.write("漢字", x: 0, y: 0, style: .plain)
        b.write("x", x: 1, y: 0, style: .plain)
        #expect(b.lines[0] == " x字  ")
        b.write("y", x: 2, y: 0, style: .plain)
        #expect(b.lines[0] == " xy   ")
    }

    @Test func combiningMarksJoinTheirBase() {
        var b = ScreenBuffer(size: Size(width: 4, height: 1))
        #expect(b.write("e\u{301}x", x: 0, y: 0, style: .plain) == 2)
        #expect(b[0, 0].content == "e\u{301}")
        #expect(b[1, 0].content == "x")
    }

    @Test func diffFindsOnlyChangedCells() {
        var a = ScreenBuffer(size: Size(width: 20, height: 3))
        a.write("hello world", x: 0, y: 1, style: .plain)
        var b = a
        b.write("J", x: 6, y: 1, style: .plain)
        let changes = b.changes(from: a)
        #expect(changes == [ScreenChange(x: 6, y: 1, cells: [Cell("J")])])
        #expect(b.changes(from: b).isEmpty)
        // Different size or no previous frame: everything.
        #expect(b.changes(from: nil).count == 3)
    }

    @Test func diffBridgesSmallGapsAndKeepsWideCharactersWhole() {
        var a = ScreenBuffer(size: Size(width: 20, height: 1))
        a.write("abcdefghij", x: 0, y: 0, style: .plain)
        var b = a
        b.write("X", x: 1, y: 0, style: .plain)
        b.write("Y", x: 4, y: 0, style: .plain)
        b.write("Z", x: 15, y: 0, style: .plain)
        let c = b.changes(from: a)
        #expect(c.map(\.x) == [1, 15])
        #expect(c[0].cells.map(\.content).joined() == "XcdY")
        var w = ScreenBuffer(size: Size(width: 6, height: 1))
        w.write("漢字", x: 0, y: 0, style: .plain)
        var w2 = w
        w2.write("漢子", x: 0, y: 0, style: .plain)
        #expect(w2.changes(from: w).first?.x == 2)
        #expect(w2.changes(from: w).first?.cells.count == 2)
    }

    @Test func styleChangesAreChanges() {
        var a = ScreenBuffer(size: Size(width: 5, height: 1))
        a.write("abc", x: 0, y: 0, style: .plain)
        var b = ScreenBuffer(size: Size(width: 5, height: 1))
        b.write("abc", x: 0, y: 0, style: Style(.red))
        #expect(b.changes(from: a).first?.cells.count == 3)
        #expect(b.styleRuns(row: 0).first?.width == 3)
    }
}

@Suite struct LayoutTests {
    @Test func screenLayout() {
        let l = ScreenLayout(size: Size(width: 80, height: 24))
        #expect(l.titleBar == Rect(x: 0, y: 0, width: 80, height: 1))
        #expect(l.body == Rect(x: 0, y: 1, width: 80, height: 21))
        #expect(l.statusBar == Rect(x: 0, y: 22, width: 80, height: 1))
        #expect(l.bottomLine == Rect(x: 0, y: 23, width: 80, height: 1))
        #expect(l.tableRows == 20)
        #expect(!l.isTooSmall)
        #expect(ScreenLayout(size: Size(width: 39, height: 24)).isTooSmall)
        #expect(ScreenLayout(size: Size(width: 80, height: 9)).isTooSmall)
        #expect(!ScreenLayout(size: Size(width: 40, height: 10)).isTooSmall)
    }

    let cols = [
        TableColumn(id: "id", title: "id", field: "id", width: 6),
        TableColumn(id: "label", title: "label", field: "label", width: 8),
        TableColumn(id: "text", title: "text", field: nil, width: 12, isFlexible: true),
    ]

    @Test func columnsPlacedWithTextTakingTheRest() {
        let p = TableLayout.place(cols, first: 0, numberWidth: 3, width: 80)
        #expect(p.map(\.x) == [4, 11, 20])
        #expect(p.map(\.width) == [6, 8, 60])
        let scrolled = TableLayout.place(cols, first: 1, numberWidth: 3, width: 80)
        #expect(scrolled.map(\.column.id) == ["label", "text"])
        #expect(scrolled.last?.width == 67)
    }

    @Test func narrowScreensCutColumns() {
        let p = TableLayout.place(cols, first: 0, numberWidth: 3, width: 14)
        #expect(p.map(\.column.id) == ["id", "label"])
        #expect(p.last?.width == 3)
        #expect(TableLayout.numberWidth(recordCount: 0) == 1)
        #expect(TableLayout.numberWidth(recordCount: 1_000_000) == 7)
    }

    @Test func selectingAColumnScrollsItIntoView() {
        #expect(TableLayout.firstColumn(showing: 1, current: 0, columns: cols, numberWidth: 3, width: 80) == 0)
        #expect(TableLayout.firstColumn(showing: 2, current: 0, columns: cols, numberWidth: 3, width: 30) == 2)
        #expect(TableLayout.firstColumn(showing: 0, current: 2, columns: cols, numberWidth: 3, width: 30) == 0)
    }

    @Test func truncateAndFit() {
        #expect(TextLayout.truncate([Span("abcdef")], to: 4).plainText == "abc…")
        #expect(TextLayout.truncate([Span("abcd")], to: 4).plainText == "abcd")
        #expect(TextLayout.truncate([Span("漢字テスト")], to: 6).plainText == "漢字…")
        #expect(TextLayout.truncate([Span("漢字テスト")], to: 6).width <= 6)
        #expect(TextLayout.fit([Span("ab")], to: 4).plainText == "ab  ")
        #expect(TextLayout.truncate([Span("ab"), Span("\\x1b", .escape), Span("cd")], to: 5)
                == [Span("ab"), Span("\\x", .escape), Span("…", .dim)])
    }

    @Test func wrapBreaksAtSpacesAndSplitsLongWords() {
        let w = TextLayout.wrap([Span("the quick brown fox jumps")], width: 10)
        #expect(w.map(\.plainText) == ["the quick", "brown fox", "jumps"])
        let long = TextLayout.wrap([Span("abcdefghijklmnop")], width: 6)
        #expect(long.map(\.plainText) == ["abcdef", "ghijkl", "mnop"])
        let wide = TextLayout.wrap([Span("漢字テスト漢字")], width: 5)
        #expect(wide.allSatisfy { $0.width <= 5 })
        #expect(wide.map(\.plainText).joined() == "漢字テスト漢字")
        let first = TextLayout.wrap([Span("aaa bbb ccc ddd")], width: 8, firstWidth: 4)
        #expect(first.map(\.plainText) == ["aaa", "bbb ccc", "ddd"])
    }
}
