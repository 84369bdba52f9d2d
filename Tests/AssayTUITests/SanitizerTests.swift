@testable import AssayCore
import Testing
@testable import AssayTUI

@Suite struct SanitizerTests {
    @Test func escapeSequencesBecomeVisibleText() {
        let s = Sanitizer.spans("a\u{1B}]0;pwned\u{07}b\u{1B}[2J\u{1B}[31mc")
        #expect(s == [Span("a"), Span("\\x1b", .escape), Span("]0;pwned"), Span("\\x07", .escape), Span("b"),
                      Span("\\x1b", .escape), Span("[2J"), Span("\\x1b", .escape), Span("[31mc")])
        #expect(!s.plainText.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F })
    }

    @Test func c0C1AndDelAreEscaped() {
        #expect(Sanitizer.plain("\u{0}\u{8}\u{7F}\u{9B}\u{85}") == "\\x00\\x08\\x7f\\u009b\\u0085")
    }

    @Test func bidiAndInvisibleCharactersAreEscaped() {
        #expect(Sanitizer.plain("abc\u{202E}def") == "abc\\u202edef")
        #expect(Sanitizer.plain("\u{2066}x\u{2069}") == "\\u2066x\\u2069")
        #expect(Sanitizer.plain("a\u{200B}b\u{200D}c\u{FEFF}") == "a\\u200bb\\u200dc\\ufeff")
        #expect(Sanitizer.plain("\u{2028}\u{2029}") == "\\u2028\\u2029")
        // Unicode tag characters hide ASCII text ("ASCII smuggling").
        #expect(Sanitizer.plain("hi\u{E0041}\u{E0042}") == "hi\\u{e0041}\\u{e0042}")
        #expect(Sanitizer.spans("\u{202E}")[0].role == .escape)
    }

    @Test func newlinesAndTabs() {
        #expect(Sanitizer.plain("a\nb\r\nc\rd") == "a↵b↵c\\rd")
        #expect(Sanitizer.plain("a\tb") == "a   b")
        #expect(Sanitizer.plain("abcd\te") == "abcd    e")
        #expect(Sanitizer.spans("x\ny")[1] == Span("↵", .escape))
        let lines = Sanitizer.lines("one\r\ntwo\n\nthree\tx", mode: .multiline)
        #expect(lines.map(\.plainText) == ["one", "two", "", "three   x"])
    }

    @Test func unprintableAndUnassignedCodePoints() {
        // U+0378 is unassigned: wcwidth says non-printable.
        #expect(Sanitizer.plain("a\u{378}b") == "a\\u0378b")
        #expect(Sanitizer.plain("a\u{10FFFF}") == "a\\u{10ffff}")
    }

    @Test func wideAndCombiningTextPassesThrough() {
        #expect(Sanitizer.plain("漢字 😀 é e\u{301}") == "漢字 😀 é e\u{301}")
        // A combining mark with nothing to sit on gets a space.
        #expect(Sanitizer.plain("\u{301}x") == " \u{301}x")
    }

    @Test func maxWidthStopsEarly() {
        let long = String(repeating: "abcdefghij", count: 100_000)
        let s = Sanitizer.spans(long, maxWidth: 20)
        #expect(s.width <= 22)
    }

    @Test func screenWritesCannotCarryControls() {
        var b = ScreenBuffer(size: Size(width: 30, height: 1))
        b.write("x\u{1B}[2Jy\u{07}", x: 0, y: 0, style: .plain)
        #expect(b.text == "x\\x1b[2Jy\\x07")
        // Spans built by hand with a control are still defused.
        b.write([Span("\u{1B}")], x: 0, y: 0, base: .plain, theme: .standard)
        #expect(b.lines[0].hasPrefix("?"))
        #expect(!b.lines[0].unicodeScalars.contains { $0.value < 0x20 })
    }
}

@Suite struct TextWidthTests {
    @Test func widthsMatchWcwidth() {
        // Values measured with glibc wcwidth on this machine (see the ncurses notes).
        #expect(TextWidth.of("a" as Unicode.Scalar) == 1)
        #expect(TextWidth.of("漢" as Unicode.Scalar) == 2)
        #expect(TextWidth.of("😀" as Unicode.Scalar) == 2)
        #expect(TextWidth.of("\u{1F3FD}" as Unicode.Scalar) == 2)
        #expect(TextWidth.of("\u{301}" as Unicode.Scalar) == 0)
        #expect(TextWidth.of("\u{200D}" as Unicode.Scalar) == 0)
        #expect(TextWidth.of("\u{1B}" as Unicode.Scalar) == -1)
        #expect(TextWidth.of("\u{9B}" as Unicode.Scalar) == -1)
        #expect(TextWidth.of("\u{202E}" as Unicode.Scalar) == 0)
        #expect(TextWidth.of("ｆ" as Unicode.Scalar) == 2)
        #expect(TextWidth.of("한" as Unicode.Scalar) == 2)
        #expect(TextWidth.of("é" as Unicode.Scalar) == 1)
        #expect(TextWidth.of("\u{FE0F}" as Unicode.Scalar) == 0)
    }

    @Test func stringWidths() {
        #expect(TextWidth.of("漢字テスト") == 10)
        #expect(TextWidth.of("😀👍🏽|é|e\u{301}") == 2 + 4 + 1 + 1 + 1 + 1 + 0)  // as ncurses and tmux count
        #expect(TextWidth.of("plain") == 5)
    }

    @Test func tablesAreSortedPairs() {
        for table in [UnicodeWidthTables.zeroWidth, UnicodeWidthTables.doubleWidth, UnicodeWidthTables.nonPrintable] {
            #expect(table.count % 2 == 0)
            for i in stride(from: 0, to: table.count, by: 2) {
                #expect(table[i] <= table[i + 1])
                if i > 0 { #expect(table[i - 1] < table[i]) }
            }
        }
    }
}
