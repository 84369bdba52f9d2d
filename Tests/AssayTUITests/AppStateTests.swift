import AssayCore
import Testing
@testable import AssayTUI

@Suite struct AppStateTests {
    @Test func openingNoticesShowUntilAKey() {
        var s = AppState(source: FakeSource(), size: Size(width: 80, height: 24))
        _ = s.start(knownMalformed: [], notices: ["a.tsv: not valid UTF-8 (first at line 2); reading it as Latin-1", "b"])
        #expect(s.message?.text == "notice: a.tsv: not valid UTF-8 (first at line 2); reading it as Latin-1 (+1 more: m lists them)")
        s.apply(.move(1))
        #expect(s.message == nil)
    }

    /// The `m` list shows what opening the data noticed and the files it skipped above the
    /// malformed lines: a third of the rows at most, the last saying how many more there are.
    @Test func malformedListShowsNoticesAndSkippedFiles() {
        let few = makeDriver(source: FakeSource(skipped: ["data/README.md: documentation"]))
        #expect(few.state.message?.text == "1 file skipped (m lists them)")
        few.send("m")
        var screen = few.render().lines
        #expect(screen[2].contains(" skipped data/README.md: documentation"), "\(screen)")
        #expect(screen[3].trimmingCharacters(in: .whitespaces).isEmpty)
        #expect(screen[4].contains("line") && screen[4].contains("unterminated string"))

        let notices = (1...20).map { "n\($0).tsv: not valid UTF-8 \u{1B}]0;x\u{07}" }
        let many = makeDriver(source: FakeSource(notices: notices, skipped: ["a: documentation"]))
        #expect(many.state.message?.text.hasPrefix("notice: n1.tsv") == true)
        #expect(many.state.message?.text.hasSuffix("(+20 more: m lists them)") == true)
        many.send("m")
        screen = many.render().lines
        // 18 rows under the list's title: 6 for notices, the last of them the count of the rest.
        let rows = screen.filter { $0.contains("notice: n") }
        #expect(rows.count == 5, "\(screen)")
        #expect(screen.contains { $0.contains("… 16 more: assay stats lists them all") }, "\(screen)")
        #expect(!screen.joined().contains("\u{1B}"))
        #expect(rows[0].contains("\\x1b]0;x\\x07"))
        #expect(screen.contains { $0.contains("unterminated string") })
        many.send("j")  // one malformed line: the selection stays on it
        #expect(many.render().lines.contains { $0.contains("unterminated string") })
    }

    @Test func movingClampsAndScrolls() {
        let d = makeDriver()
        d.send("k")
        #expect(d.state.browse.cursor == 0)
        d.send("G")
        #expect(d.state.browse.cursor == 39)
        #expect(d.state.browse.top == 20)
        d.send("g<PgDn>")
        #expect(d.state.browse.cursor == 20)
        d.send("<C-u>")
        #expect(d.state.browse.cursor == 10)
        d.send("<PgUp><Down><Down>")
        #expect(d.state.browse.cursor == 2)
    }

    @Test func jumpToRecordNumber() {
        let d = makeDriver()
        d.send(":25\n")
        #expect(d.state.currentRecord == 24)
        d.send(":999\n")
        #expect(d.state.currentRecord == 39)
        #expect(d.state.message?.kind == .error)
        d.send(":abc\n")
        #expect(d.state.prompt?.error != nil)
        d.send("<Esc>")
        #expect(d.state.prompt == nil)
    }

    /// Numbers as the status line shows them (`record 1,000/3,001`) used to be refused.
    @Test func jumpTakesThousandsSeparators() {
        let d = makeDriver(source: FakeSource(count: 2000))
        d.send(":1,234\n")
        #expect(d.state.currentRecord == 1233)
        for bad in ["1,23", "12,3456", ",123", "1,,234", "1,2a4"] {
            d.send(":\(bad)\n")
            #expect(d.state.prompt?.error != nil, "\(bad)")
            d.send("<Esc>")
        }
        #expect(d.state.currentRecord == 1233)
    }

    @Test func qGoesBackThenQuits() {
        let d = makeDriver()
        d.send("\n?")
        #expect(d.state.overlays.count == 2)
        d.send("q")
        #expect(d.state.overlays == [.detail(scroll: 0)])
        d.send("q")
        #expect(d.state.overlays.isEmpty)
        #expect(!d.state.shouldQuit)
        d.send("q")
        #expect(d.state.shouldQuit)
    }

    @Test func detailNextAndPreviousRecord() {
        let d = makeDriver()
        d.send("\nnn]")
        #expect(d.state.currentRecord == 3)
        d.send("p[")
        #expect(d.state.currentRecord == 1)
        d.send("q")
        #expect(d.state.currentRecord == 1)
    }

    @Test func filterShowsMatchesAndCount() {
        let d = makeDriver()
        d.send(#"flabel == "refund"\#n"#)
        #expect(d.state.filter?.matches == [2, 7, 12, 17, 22, 27, 32, 37])
        #expect(d.state.filter?.isComplete == true)
        #expect(d.state.viewCount == 8)
        d.send("j")
        #expect(d.state.currentRecord == 7)
        d.send("c")
        #expect(d.state.filter == nil)
        #expect(d.state.currentRecord == 7)  // the cursor stays on the record
    }

    /// `label == shipping` compares with a field `shipping`, which no record has: 0 matches
    /// used to come with no hint that a text goes in quotes.
    @Test func noMatchesNamesAFieldNoRecordHas() {
        let d = makeDriver()
        d.send("flabel == shipping\n")
        #expect(d.state.filter?.matches == [])
        #expect(d.state.message?.text == #"no records match label == shipping · no field shipping in the first records (text goes in quotes: "shipping")"#)
        // Known fields, containers above them, elements and roles give no hint.
        d.send("c" + #"fmeta.url == "x" || meta.tags[] == "y" || (has(meta) && split == "nope")\#n"#)
        #expect(d.state.filter?.matches == [])
        #expect(d.state.message?.text.contains("no field") == false)
        #expect(AppState.unknownFields(["instances[0].output", "instances[].output", "instances", "nope"],
                                       known: ["instances[1].output"]) == ["nope"])
    }

    @Test func badFilterKeepsThePromptWithThePosition() {
        let d = makeDriver()
        d.send(#"flabel == "spam" && (len(text) < 20"# + "\n")
        #expect(d.state.prompt?.error == FilterSyntaxError(position: 34, message: "expected ')'"))
        #expect(d.state.filter == nil)
        d.send(")\n")
        #expect(d.state.prompt == nil)
        #expect(d.state.filter?.expression.text == #"label == "spam" && (len(text) < 20)"#)
    }

    @Test func promptEditing() {
        let d = makeDriver()
        d.send("fabc<Left><Left>X<End>Y<Home>Z<C-w>")
        #expect(d.state.prompt?.text == "aXbcY")
        d.send("<End> more<C-w>")
        #expect(d.state.prompt?.text == "aXbcY ")
        d.send("<C-u>")
        #expect(d.state.prompt?.text == "")
        d.send("<BS>")
        #expect(d.state.prompt == nil)  // backspace on an empty prompt closes it
        d.send("fsplit == \"test\"\nf<Up>")
        #expect(d.state.prompt?.text == "split == \"test\"")
    }

    @Test func searchMovesToMatchesAndWraps() {
        let d = makeDriver()
        d.send("/parcel 10[0-4]\n")
        // Parcel numbers are 1000 + 7i: records 0, 1, 2 and 7 match (3-6 have other text).
        #expect(d.state.search?.matchCount == 4)
        #expect(d.state.currentRecord == 1)
        d.send("n")
        #expect(d.state.currentRecord == 2)
        d.send("n")
        #expect(d.state.currentRecord == 7)
        d.send("n")
        #expect(d.state.currentRecord == 0)
        #expect(d.state.message?.text.contains("continued at the top") == true)
        d.send("N")
        #expect(d.state.currentRecord == 7)
        d.send("/nothing matches this\n")
        #expect(d.state.message?.kind == .error)
    }

    @Test func searchIsSmartCaseAndCanTargetAField() {
        let d = makeDriver()
        d.send("/INVOICE\n")
        #expect(d.state.search?.matchCount == 0)
        d.send("/invoice\n")
        #expect(d.state.currentRecord == 3)
        d.send("g/label:^acc\n")
        #expect(d.state.currentRecord == 4)
        d.send("/meta.url:t/130$\n")
        #expect(d.state.currentRecord == 30)
    }

    /// `/lable:billing` (a misspelt field) searches the text for all of it: a search that
    /// finds nothing then says the field is unknown, as a filter does.
    @Test func searchForAnUnknownFieldSaysSoWhenNothingMatches() {
        let d = makeDriver()
        d.send("/lable:billing\n")
        #expect(d.state.search?.matchCount == 0)
        #expect(d.state.message?.text.contains("no field lable in the first records") == true)
        d.send("/label:nothing like it\n")
        #expect(d.state.message?.text.contains("no field") == false)
        d.send("/a time: 10\n")  // not a field name: no hint
        #expect(d.state.message?.text.contains("no field") == false)
        #expect(AppState.unknownSearchField("meta.urll:x", fieldPaths: ["meta.url"]) == "meta.urll")
        #expect(AppState.unknownSearchField("meta.url:x", fieldPaths: ["meta.url"]) == nil)
        #expect(AppState.unknownSearchField("http://x", fieldPaths: []) == nil)
    }

    @Test func searchWithinAFilterOnlyLandsOnVisibleRows() {
        let d = makeDriver()
        d.send(#"fsplit == "test"\#n"#)
        d.send("/parcel\n")
        let idx = d.state.currentRecord!
        #expect(d.state.filter!.row(of: idx) != nil)
        #expect(idx == 7)
    }

    @Test func columnsHideAndShow() {
        let d = makeDriver()
        #expect(d.state.browse.visibleColumns.map(\.id) == ["id", "label", "split", "source", "text"])
        d.send("l-")
        #expect(d.state.browse.visibleColumns.map(\.id) == ["id", "split", "source", "text"])
        d.send("----")
        #expect(d.state.browse.visibleColumns.map(\.id) == ["id"])
        #expect(d.state.message?.kind == .error)
        d.send("+")
        #expect(d.state.browse.visibleColumns.count == 5)
    }

    @Test func malformedListFromScanAndJump() {
        let d = makeDriver()
        #expect(d.state.malformed.entries.map(\.index) == [6])
        #expect(d.state.message?.text == "1 malformed line: press m to list")
        d.send(#"flabel == "refund"\#n"#)
        d.send("m\n")
        #expect(d.state.currentRecord == 6)
        #expect(d.state.filter == nil)  // cleared to show the record
        #expect(d.state.overlays.isEmpty)
    }

    @Test func malformedListFromTheEngineIsLocated() {
        let known = [MalformedRecord(file: "tickets.jsonl", line: 7, reason: "unterminated string at column 41")]
        let d = makeDriver(malformed: { known })
        #expect(d.state.malformed.entries.map(\.index) == [nil])
        d.send("m\n")
        #expect(d.state.currentRecord == 6)
    }

    /// "finding line 7…" used to stay on the bottom line after the jump, until a key.
    @Test func locatingAMalformedLineClearsItsMessage() {
        var s = AppState(source: FakeSource(), size: Size(width: 80, height: 24))
        s.apply(.malformedLoaded([MalformedRecord(file: "tickets.jsonl", line: 7, reason: "bad")], complete: true))
        s.apply(.showMalformed)
        guard case .locateMalformed(let id, _)? = s.apply(.malformedJump).first else {
            Issue.record("no locate")
            return
        }
        #expect(s.message?.text == "finding line 7…")
        s.apply(.located(id: id, index: 6))
        #expect(s.currentRecord == 6)
        #expect(s.message == nil)
    }

    @Test func escCancelsARunningScan() {
        var s = AppState(source: FakeSource(), size: Size(width: 80, height: 24))
        let effects = s.apply(.promptSubmit)  // nothing open: no effect
        #expect(effects.isEmpty)
        s.apply(.openPrompt(.filter))
        for c in "len(text) > 3" { s.apply(.promptInsert(c)) }
        let started = s.apply(.promptSubmit)
        guard case .startFilterScan(let id, _)? = started.last else {
            Issue.record("no scan started")
            return
        }
        s.apply(.scanProgress(id: id, found: [0, 1, 2], scanned: 10, total: 40, done: false))
        #expect(s.viewCount == 3)
        let cancel = s.apply(.escape)
        guard case .cancelScan(let cid)? = cancel.first else {
            Issue.record("no cancel")
            return
        }
        #expect(cid == id)
        #expect(s.filter?.isCancelled == true)
        #expect(s.message?.text == "filter stopped at 25%: 3 matches so far")
        // Late results of the cancelled scan are ignored.
        s.apply(.scanProgress(id: id, found: [5], scanned: 20, total: 40, done: false))
        #expect(s.viewCount == 3)
    }

    /// Submits `/pattern` and returns the id of the search scan it starts.
    func startSearch(_ s: inout AppState, _ pattern: String) -> Int? {
        s.apply(.openPrompt(.search))
        for c in pattern { s.apply(.promptInsert(c)) }
        guard case .startSearchScan(let id, _, _)? = s.apply(.promptSubmit).last else { return nil }
        return id
    }

    /// `n` after Esc stopped a search used to say "no match" for the records never searched.
    @Test func nextAfterAStoppedSearchSearchesAgainFromTheCursor() throws {
        var s = AppState(source: FakeSource(), size: Size(width: 80, height: 24))
        let first = try #require(startSearch(&s, "parcel 12"))
        s.apply(.scanProgress(id: first, found: [], scanned: 10, total: 40, done: false))
        s.apply(.escape)
        #expect(s.search?.isCancelled == true)
        guard case .startSearchScan(let again, _, let from)? = s.apply(.searchNext(forward: true)).last else {
            Issue.record("n started no search")
            return
        }
        #expect(again != first)
        #expect(from == 1)
        #expect(s.message == nil)
        s.apply(.scanProgress(id: again, found: [30], scanned: 30, total: 40, done: false))
        #expect(s.currentRecord == 30)
    }

    /// A match is moved to only when no record between it and the cursor is left to search.
    @Test func searchWaitsForTheNearestMatch() throws {
        var s = AppState(source: FakeSource(), size: Size(width: 80, height: 24))
        s.apply(.move(20))
        let id = try #require(startSearch(&s, "x"))
        // The scan goes 21..<40, then 0..<21. N from 20 wants the match nearest below 20.
        s.apply(.scanProgress(id: id, found: [25], scanned: 5, total: 40, done: false))
        #expect(s.currentRecord == 25)
        s.apply(.searchNext(forward: false))
        s.apply(.scanProgress(id: id, found: [3], scanned: 23, total: 40, done: false))
        #expect(s.currentRecord == 25)
        s.apply(.scanProgress(id: id, found: [12], scanned: 40, total: 40, done: true))
        #expect(s.currentRecord == 12)
    }

    /// A driver over 40 records of which the index has found 10 so far.
    func drivingAnIndexStillBuilt() -> (FakeSource, AppDriver) {
        let source = FakeSource()
        source.setIndexed(10, complete: false)
        return (source, makeDriver(source: source))
    }

    @Test func indexGrowthExtendsTheTable() {
        let (source, d) = drivingAnIndexStillBuilt()
        d.send("j")
        source.setIndexed(20, complete: false)
        d.update()
        #expect(d.state.recordCount == 20)
        #expect(d.state.currentRecord == 1)
        #expect(d.draw().text.contains("20+"))
    }

    /// `G` while indexing keeps to the last record as the index grows, like `less`'s `G`
    /// waiting for the end, but with the table usable meanwhile.
    @Test func bottomFollowsTheEndWhileIndexing() {
        let (source, d) = drivingAnIndexStillBuilt()
        d.send("G")
        #expect(d.state.currentRecord == 9)
        #expect(d.state.message?.text.hasPrefix("following the last record while indexing") == true)
        source.setIndexed(25, complete: false)
        d.update()
        #expect(d.state.currentRecord == 24)
        #expect(d.state.browse.cursor >= d.state.browse.top)
        #expect(d.state.browse.cursor < d.state.browse.top + d.state.layout.tableRows)
        source.setIndexed(40, complete: true)
        d.update()
        #expect(d.state.currentRecord == 39)
        #expect(!d.state.browse.followsEnd)
        #expect(d.state.message == nil)
    }

    @Test func anyKeyStopsFollowingTheEnd() {
        let (source, d) = drivingAnIndexStillBuilt()
        d.send("Gk")
        #expect(d.state.currentRecord == 8)
        source.setIndexed(40, complete: false)
        d.update()
        #expect(d.state.currentRecord == 8)
        // With the index complete, G is a plain jump.
        source.setIndexed(40, complete: true)
        d.update()
        d.send("G")
        #expect(d.state.currentRecord == 39)
        #expect(!d.state.browse.followsEnd)
        #expect(d.state.message == nil)
    }

    @Test func bottomFollowsTheEndOfARunningFilter() {
        var s = AppState(source: FakeSource(), size: Size(width: 80, height: 24))
        s.apply(.openPrompt(.filter))
        for c in "len(text) > 3" { s.apply(.promptInsert(c)) }
        guard case .startFilterScan(let id, _)? = s.apply(.promptSubmit).last else {
            Issue.record("no scan started")
            return
        }
        s.apply(.scanProgress(id: id, found: [0, 4, 6], scanned: 10, total: 40, done: false))
        s.apply(.bottom)
        #expect(s.currentRecord == 6)
        #expect(s.message?.text.hasPrefix("following the last record while filtering") == true)
        s.apply(.scanProgress(id: id, found: [12, 30], scanned: 35, total: 40, done: false))
        #expect(s.currentRecord == 30)
        s.apply(.scanProgress(id: id, found: [38], scanned: 40, total: 40, done: true))
        #expect(s.currentRecord == 38)
        #expect(!s.browse.followsEnd)
    }

    @Test func resizeKeepsTheCursorVisible() {
        let d = makeDriver()
        d.send(":20\n")
        d.handle(.resize(Size(width: 60, height: 12)))
        #expect(d.state.browse.top + d.state.layout.tableRows > d.state.browse.cursor)
        #expect(d.state.browse.cursor >= d.state.browse.top)
        let frame = d.draw()
        #expect(frame.size == Size(width: 60, height: 12))
        #expect(frame.text.contains("t-020"))
    }

    @Test func interruptQuitsWith130() {
        let backend = MemoryBackend(size: Size(width: 80, height: 24), events: [.key(.char("j")), .interrupt])
        let d = AppDriver(source: FakeSource(), backend: backend, runScansInline: true)
        #expect(d.run() == 130)
        let q = MemoryBackend(size: Size(width: 80, height: 24), events: [.key(.char("q"))])
        #expect(AppDriver(source: FakeSource(), backend: q, runScansInline: true).run() == 0)
    }
}

@Suite struct DriverTests {
    /// While the Labels pane's scan runs, the index waits for it, until browsing needs the
    /// records past those indexed so far.
    @Test func browsingPastTheIndexAsksForTheWholeIndex() {
        let source = FakeSource()
        let d = AppDriver(source: source, backend: MemoryBackend(size: Size(width: 80, height: 24)), runScansInline: true)
        d.start()
        for script in ["?", "<Esc>", "2", "1"] { d.send(script) }
        #expect(source.wholeIndexWanted.withLock { $0 } == 0)
        for (script, asks) in [("j", 1), ("G", 2), ("/", 3), ("<Esc>", 3), (":", 4), ("<Esc>", 4), ("<PageDown>", 5)] {
            d.send(script)
            #expect(source.wholeIndexWanted.withLock { $0 } == asks, "after \(script)")
        }
    }

    @Test func presentingOnlyChangesReproducesTheFrame() {
        let backend = MemoryBackend(size: Size(width: 80, height: 24))
        let d = AppDriver(source: FakeSource(), backend: backend, runScansInline: true)
        d.start()
        d.draw()
        #expect(backend.lastWriteCount == 80 * 24)
        for script in ["j", "jjj", "\n", "n", "q", "?", "q", "/refund\n", "G", "m", "<Esc>"] {
            d.send(script)
            let frame = d.draw()
            #expect(backend.screen == frame, "after \(script)")
        }
        d.send("j")
        d.draw()
        // Moving the cursor rewrites two rows and the status bar, not the screen.
        #expect(backend.lastWriteCount < 80 * 5)
    }

    @Test func backgroundScansDeliverResults() {
        let backend = MemoryBackend(size: Size(width: 80, height: 24))
        let d = AppDriver(source: FakeSource(count: 5000), backend: backend)
        d.start()
        d.send(#"flabel == "spam"\#n"#)
        d.waitForScans()
        #expect(d.state.filter?.isComplete == true)
        #expect(d.state.filter?.matches.count == 1000)
        #expect(d.state.malformed.isComplete)
        d.send("/parcel 4[0-9]{3}\n")
        d.waitForScans()
        #expect(d.state.search?.isComplete == true)
        #expect(d.state.currentRecord.map { d.state.search!.contains($0) } == true)
    }
}

@Suite struct PromptLineTests {
    /// The bottom line of a 40-column screen after typing `script`.
    func bottomLine(_ script: String) -> String {
        let d = makeDriver(size: Size(width: 40, height: 10))
        d.send(script)
        return d.draw().lines.last!
    }

    /// A prompt longer than the line scrolls so the cursor stays in view; wide characters
    /// count two cells.
    @Test func longPromptScrollsToKeepTheCursorVisible() {
        let digits = (0..<6).map { "\($0)123456789" }.joined()
        #expect(bottomLine("/" + digits) == "/3456789312345678941234567895123456789  ")
        #expect(bottomLine("/" + digits + "<Home>") == "/012345678911234567892123456789312345678")
        #expect(bottomLine("/" + digits + "<Home>" + String(repeating: "<Right>", count: 45)) == "/891123456789212345678931234567894123456")
        #expect(bottomLine("/" + String(repeating: "漢", count: 30)) == "/漢漢漢漢漢漢漢漢漢漢漢漢漢漢漢漢漢漢   ")
        #expect(bottomLine("/" + String(repeating: "漢", count: 30) + "<Left><Left>") == "/漢漢漢漢漢漢漢漢漢漢漢漢漢漢漢漢漢漢漢 ")
    }
}

extension PromptLineTests {
    /// A paste arrives as one key per character. 5,000 of them took minutes: each key
    /// rebuilt the text, and each frame measured it from every start offset up to the cursor.
    @Test func drawingALongPromptMeasuresOnlyWhatShows() {
        let d = makeDriver(size: Size(width: 100, height: 30))
        d.send("/" + String(repeating: "0123456789", count: 500))
        #expect(d.state.prompt?.text.count == 5000)
        let ctx = RenderContext(state: d.state, source: d.source, theme: d.theme, commands: d.commands, cache: RenderCache())
        let started = DispatchTimeShim.now()
        for _ in 0..<20 {
            var buf = ScreenBuffer(size: d.state.screenSize)
            PromptLine.render(ctx, prompt: d.state.prompt!, into: &buf, area: d.state.layout.bottomLine)
        }
        let seconds = DispatchTimeShim.now() - started
        #expect(seconds < 1, "20 prompt lines took \(seconds) s")
    }

    /// The run loop takes in the keys already waiting before it draws again, so a paste
    /// costs a few frames, not one per character.
    @Test func pastedKeysAreTakenInBeforeTheNextFrame() {
        let keys = [TerminalEvent.key(.char("/"))] + (0..<5000).map { TerminalEvent.key(.char(Character(String($0 % 10)))) }
        let backend = MemoryBackend(size: Size(width: 100, height: 30), events: keys)
        let d = AppDriver(source: FakeSource(), backend: backend, runScansInline: true)
        let started = DispatchTimeShim.now()
        _ = d.run()
        let seconds = DispatchTimeShim.now() - started
        #expect(d.state.prompt?.text.count == 5000)
        #expect(backend.frames.count < 50)
        #expect(seconds < 5, "5,000 keys took \(seconds) s")
    }
}
