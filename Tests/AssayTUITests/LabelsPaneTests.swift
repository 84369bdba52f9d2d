@testable import AssayCore
import Foundation
import Testing
@testable import AssayTUI

/// The Labels pane's behaviour on the tickets sample: drill-downs match their
/// numbers exactly, keys change views and settings, partial counts show.
@Suite struct LabelsPaneTests {
    /// Every drill-down the pane offers, with where it came from.
    static func allDrills(_ model: LabelsModel) -> [(String, Drill)] {
        var out: [(String, Drill)] = []
        for s in LabelsSection.allCases {
            for row in model.content(s).rows {
                for a in row.actions {
                    if case .drill(let d)? = a { out.append(("\(s) \(row.key ?? "")", d)) }
                }
            }
        }
        for d in [model.emptyTexts, model.shortTexts, model.longTexts].compactMap({ $0 }) { out.append(("text shortcut", d)) }
        return out
    }

    /// A dataset of these JSON Lines (in a temporary file, gone once mapped) and its counts.
    static func scan(_ lines: [String]) throws -> (Dataset, StatsAccumulator) {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("assay-tui-\(UUID().uuidString).jsonl")
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let d = try Dataset.open([url.path])
        return (d, StatsScan.run(d))
    }

    static func count(_ expression: String, in records: [Record], roles: Roles) throws -> Int {
        let e = try FilterExpression(expression)
        var n = 0
        for r in records where e.matches(r, roles: roles) { n += 1 }
        return n
    }

    @Test func everyDrillDownMatchesItsNumber() throws {
        let source = StatsFake.tickets
        let acc = source.acc
        var settings = LabelsSettings()
        var models = [LabelsModel(acc: acc, roles: source.roles, settings: settings)]
        // Every cross-tab field, every field's value list, words and chars.
        for f in models[0].crossFields {
            settings.crossField = f
            models.append(LabelsModel(acc: acc, roles: source.roles, settings: settings))
        }
        for f in acc.orderedFields {
            settings.fieldDetail = f.path
            models.append(LabelsModel(acc: acc, roles: source.roles, settings: settings))
        }
        settings.fieldDetail = nil
        settings.words = true
        models.append(LabelsModel(acc: acc, roles: source.roles, settings: settings))
        let records = (0..<source.recordCount).compactMap { source.record(at: $0).record }
        var seen = Set<String>()
        for m in models {
            for (where_, d) in Self.allDrills(m) where seen.insert(d.expression).inserted {
                let n = try Self.count(d.expression, in: records, roles: source.roles)
                #expect(n == d.count, "\(where_): \(d.expression) matches \(n), the pane says \(d.count)")
            }
        }
        #expect(seen.count > 150)
        #expect(seen.contains(#"label == "legal""#))
        #expect(seen.contains(#"label == "legal" && split == "test""#))
        #expect(seen.contains("missing(label)"))
        #expect(seen.contains(#"meta.annotator == "ann-3""#))
    }

    @Test func labelBarsAndSummary() {
        let d = makeLabelsDriver()
        let text = d.draw().text
        #expect(text.contains("shipping    715  23.8%"))
        #expect(text.contains("legal        15   0.5%"))
        #expect(text.contains("(missing)    30   1.0%"))
        #expect(text.contains("imbalance 47.7×"))
        #expect(text.contains("entropy 0.912"))
        d.send("o")
        #expect(d.state.labels.content.rows.map(\.key).prefix(3) == ["account", "billing", "feedback"])
        #expect(d.state.labels.content.rows.last?.key == "(missing)")
    }

    @Test func drillDownOpensBrowseFilteredWithTheExpression() {
        let d = makeLabelsDriver()
        d.send("/leg\n")
        #expect(d.state.labels.content.rows[d.state.labels.cursor].key == "legal")
        d.send("\n")
        #expect(d.state.activePane == .browse)
        #expect(d.state.filter?.expression.text == #"label == "legal""#)
        #expect(d.state.filter?.matches.count == 15)
        #expect(d.state.message?.text == #"15 of 3,001 records match label == "legal""#)
        #expect(d.state.history[.filter]?.last == #"label == "legal""#)
        d.send("2")
        #expect(d.state.activePane == .labels)
        #expect(d.state.labels.content.rows[d.state.labels.cursor].key == "legal")
        d.send("G\n")  // the (missing) bar
        #expect(d.state.filter?.expression.text == "missing(label)")
        #expect(d.state.filter?.matches.count == 30)
    }

    @Test func splitsFlagAbsentLabelsAndCellsDrillDown() {
        let d = makeLabelsDriver()
        d.send("s")
        let text = d.draw().text
        #expect(text.contains("absent in test"))
        #expect(text.contains("measure: chi-square"))
        d.send("/legal\n]]]\n")  // the test column
        #expect(d.state.filter?.expression.text == #"label == "legal" && split == "test""#)
        #expect(d.state.filter?.matches.count == 0)
        d.send("2[\n")  // valid
        #expect(d.state.filter?.expression.text == #"label == "legal" && split == "valid""#)
        #expect(d.state.filter?.matches.count == 2)
    }

    @Test func crossTabFieldsAndThinThreshold() {
        let d = makeLabelsDriver()
        d.send("c")
        #expect(d.state.labels.model.crossField == "split")
        #expect(d.draw().text.contains("thin < 5% of expected"))
        d.send("+")
        #expect(d.state.labels.settings.thinFraction == 0.1)
        #expect(d.draw().text.contains("thin < 10% of expected"))
        d.send("--")
        #expect(d.state.labels.settings.thinFraction == 0.02)
        d.send("f")
        #expect(d.state.labels.model.crossField == "source")
        d.send("F")
        #expect(d.state.labels.model.crossField == "split")
        d.send("/meta\n")  // find is by row; the field is picked with f
        d.send("ff")
        let field = d.state.labels.model.crossField
        #expect(field == "meta.annotator" || field == "lang")
    }

    @Test func fieldValuesOpenAndClose() {
        let d = makeLabelsDriver()
        d.send("i/annotator\n\n")
        #expect(d.state.labels.settings.fieldDetail == "meta.annotator")
        #expect(d.state.labels.content.rows.first?.key == "ann-1")
        d.send("q")
        #expect(!d.state.shouldQuit)
        #expect(d.state.labels.settings.fieldDetail == nil)
        #expect(d.state.labels.content.rows[d.state.labels.cursor].key == "meta.annotator")
        d.send("\n\n")
        #expect(d.state.filter?.expression.text == #"meta.annotator == "ann-1""#)
        #expect(d.state.filter?.matches.count == 888)
    }

    @Test func fullValueTablesSayTheyListRepeatsOnly() throws {
        // 12,000 ids once each, one id first and last: more distinct values than a table
        // keeps (a value first seen after the table is full is not kept, whatever the chunks).
        var lines = [#"{"id": "again", "label": "a"}"#]
        lines += (0..<12_000).map { #"{"id": "u-\#($0)", "label": "a"}"# }
        lines += [#"{"id": "again", "label": "b"}"#]
        let (_, acc) = try Self.scan(lines)
        let id = try #require(acc.fields["id"])
        let content = LabelsModel.fieldValues(id, records: acc.records)
        #expect(content.notes.contains { $0.map(\.text).joined().contains("listing those seen more than once") })
        #expect(content.rows.map(\.key) == ["again"])
        let label = LabelsModel.fieldValues(try #require(acc.fields["label"]), records: acc.records)
        #expect(label.notes.isEmpty)
    }

    @Test func longValuesDrillDownByHash() throws {
        // A long text three times, another once: the value list keeps them as prefix + hash.
        let long = String(repeating: "a long review text ", count: 80)
        var lines = (0..<3).map { #"{"text": "\#(long)", "label": "l\#($0)"}"# }
        lines.append(#"{"text": "\#(long)!", "label": "l0"}"#)
        let (d, acc) = try Self.scan(lines)
        let content = LabelsModel.fieldValues(try #require(acc.fields["text"]), records: acc.records)
        let records = (0..<d.recordCount).compactMap { i -> Record? in
            if case .record(let r) = d.record(at: i) { return r }
            return nil
        }
        let drills = content.rows.compactMap { row -> Drill? in
            if case .drill(let drill)? = row.actions.first { return drill }
            return nil
        }
        #expect(drills.count == 2)
        for drill in drills {
            #expect(drill.expression.hasPrefix("hash(text) == "))
            #expect(try Self.count(drill.expression, in: records, roles: d.roles) == drill.count)
        }
        #expect(drills.map(\.count).sorted() == [1, 3])
    }

    /// The value list cut values at 32 cells at any width and showed no `#hash` of an
    /// abbreviated long value, so two long texts with the same start looked the same.
    @Test func valueListUsesTheWidthAndShowsHashes() throws {
        let common = String(repeating: "A", count: 1_500)
        var lines = (0..<5).map { _ in #"{"text": "\#(common)xxxxxxxxxxxxxxxxxxxx"}"# }
        lines += (0..<5).map { _ in #"{"text": "\#(common)yyyyyyyyyyyyyyyyyyyy"}"# }
        lines += [#"{"text": "Dear support, why does my receipt show the wrong date? Thanks"}"#]
        let (_, acc) = try Self.scan(lines)
        let content = LabelsModel.fieldValues(try #require(acc.fields["text"]), records: acc.records)
        let hashes = content.rows.compactMap { FieldStats.abbreviatedHash($0.key ?? "") }
        #expect(hashes.count == 2)
        for width in [100, 250] {
            var buf = ScreenBuffer(size: Size(width: width, height: 6))
            GridView.render(content, cursor: 0, top: 0, column: nil, theme: .standard, into: &buf,
                            area: Rect(x: 0, y: 0, width: width, height: 6))
            let screen = buf.lines
            for h in hashes { #expect(screen.contains { $0.contains(" #\(h)") }, "#\(h) at \(width) columns") }
            #expect(screen.contains { $0.contains("why does my receipt show the wrong date? Thanks") }, "\(screen)")
        }
        // Narrow: the start is cut, the hash stays.
        var buf = ScreenBuffer(size: Size(width: 60, height: 6))
        GridView.render(content, cursor: 0, top: 0, column: nil, theme: .standard, into: &buf, area: Rect(x: 0, y: 0, width: 60, height: 6))
        for h in hashes { #expect(buf.lines.contains { $0.contains("AAAA… #\(h)") }, "\(buf.lines)") }
    }

    /// The Fields view's texts of `path`'s row, by column title.
    static func fieldRow(_ path: String, _ acc: StatsAccumulator) throws -> [String: String] {
        let content = LabelsModel.fields(acc, coverage: Coverage(acc))
        let row = try #require(content.rows.first { $0.key == path })
        var out: [String: String] = [:]
        for (column, cell) in zip(content.columns, row.cells) {
            if case .spans(let spans) = cell { out[column.title] = spans.map(\.text).joined() }
        }
        return out
    }

    /// The distinct column was 8 cells at any width, which cut `1,000,000` to `1,000,0…`.
    @Test func fieldsDistinctColumnFitsItsCounts() {
        var acc = StatsAccumulator()
        var f = FieldStats(path: "id")
        f.values.reserveCapacity(1_000_000)
        for i in 0..<1_000_000 { f.values[String(i)] = 1 }
        f.present = 1_000_000
        f.kinds[.string] = 1_000_000
        acc.records = 1_000_000
        acc.fields["id"] = f
        acc.fieldOrder = ["id"]
        let content = LabelsModel.fields(acc, coverage: Coverage(acc))
        let column = content.columns.firstIndex { $0.title == "distinct" }!
        guard case .spans(let spans) = content.rows[0].cells[column] else {
            Issue.record("no distinct count")
            return
        }
        #expect(spans.map(\.text).joined() == "1,000,000")
        #expect(content.columns[column].width == 9)
    }

    /// Missing and empty are shares of all records, as `assay stats` has them: the empty
    /// share used to be out of the records that have the field (50% here, not 25%).
    @Test func fieldsEmptyAndMissingAreSharesOfAllRecords() throws {
        let lines = [#"{"text": "a", "note": ""}"#, #"{"text": "b", "note": "n"}"#, #"{"text": "c"}"#, #"{"text": "d"}"#]
        let (d, acc) = try Self.scan(lines)
        let note = try Self.fieldRow("note", acc)
        #expect(note["missing"] == "50.0%")
        #expect(note["empty"] == "25.0%")
        let json = StatsReport(dataset: d, acc: acc).json
        guard case .array(let fields)? = json["fields"] else {
            Issue.record("no fields in the report")
            return
        }
        let field = try #require(fields.first { $0["path"]?.stringValue == "note" })
        #expect(field["empty_rate"] == .number("0.25"))
        #expect(field["missing_rate"] == .number("0.5"))
    }

    /// Records without a split used to be left out of label × split (the value table counts
    /// only records that have the field); they are a `(missing)` column, as in `assay stats`.
    @Test func crossTabCountsRecordsWithoutASplit() throws {
        var lines: [String] = []
        for i in 0..<60 {
            let split = i % 10 == 0 ? "" : i % 10 == 1 ? #", "split": " ""# : i % 3 == 0 ? #", "split": "test""# : #", "split": "train""#
            lines.append(#"{"text": "t\#(i)", "label": "\#(["a", "b", "c"][i % 3])"\#(split)}"#)
        }
        let (d, acc) = try Self.scan(lines)
        #expect(acc.splitField == "split")
        let model = LabelsModel(acc: acc, roles: d.roles, settings: LabelsSettings())
        let content = model.content(.crossTab)
        #expect(content.columns.map(\.title) == ["label", "train", "test", "(missing)", "total"])
        func texts(_ key: String) throws -> [String] {
            try #require(content.rows.first { $0.key == key }).cells.map { cell in
                if case .spans(let spans) = cell { return spans.map(\.text).joined().trimmingCharacters(in: .whitespaces) }
                return ""
            }
        }
        for label in ["a", "b", "c"] {
            let row = try texts(label)
            let stats = acc.splits.keys.map { acc.labelBySplit[$0]?[label] ?? 0 }.reduce(0, +)
            #expect(row.last == "\(acc.labels[label]!)")
            #expect(stats == acc.labels[label]!)
            #expect(row[3] == "\(acc.labelBySplit[StatsAccumulator.missingLabel]?[label] ?? 0)")
        }
        #expect(try texts("total") == ["total", "\(acc.splits["train"]!)", "\(acc.splits["test"]!)",
                                       "\(acc.splits[StatsAccumulator.missingLabel]!)", "60"])
        #expect(acc.splits[StatsAccumulator.missingLabel] == 12)
        let records = (0..<d.recordCount).compactMap { i -> Record? in
            if case .record(let r) = d.record(at: i) { return r }
            return nil
        }
        var drills: [Drill] = []
        for row in content.rows {
            for case .drill(let drill)? in row.actions { drills.append(drill) }
        }
        #expect(drills.count == 3 * 5 + 3)
        for drill in drills {
            #expect(try Self.count(drill.expression, in: records, roles: d.roles) == drill.count, "\(drill.expression)")
        }
    }

    @Test func elementCrossTabCellsDrillDownExactly() throws {
        let lines = [
            #"{"text": "a", "label": "x", "tags": ["urgent", "urgent", "billing"]}"#,
            #"{"text": "b", "label": "x", "tags": ["urgent"]}"#,
            #"{"text": "c", "label": "y", "tags": ["billing", "billing"]}"#,
            #"{"text": "d", "label": "y", "tags": []}"#,
        ]
        let (d, acc) = try Self.scan(lines)
        var settings = LabelsSettings()
        settings.crossField = "tags[]"
        let model = LabelsModel(acc: acc, roles: d.roles, settings: settings)
        let records = (0..<d.recordCount).compactMap { i -> Record? in
            if case .record(let r) = d.record(at: i) { return r }
            return nil
        }
        var drills: [Drill] = []
        for row in model.content(.crossTab).rows {
            for case .drill(let drill)? in row.actions { drills.append(drill) }
        }
        #expect(drills.contains { $0.expression == #"label == "x" && tags[] == "urgent""# && $0.count == 2 })
        #expect(drills.contains { $0.expression == #"tags[] == "billing""# && $0.count == 2 })
        for drill in drills {
            #expect(try Self.count(drill.expression, in: records, roles: d.roles) == drill.count, "\(drill.expression)")
        }
    }

    @Test func textShortcuts() {
        let d = makeLabelsDriver()
        d.send("te")
        #expect(d.state.filter?.expression.text == #"text ~ "^\s*$""#)
        #expect(d.state.filter?.matches.count == 13)
        d.send("2<")
        #expect(d.state.filter?.expression.text == "len(text) < 5")
        d.send("2>")
        #expect(d.state.filter?.expression.text.hasPrefix("len(text) > ") == true)
    }

    /// In words mode the short/long rows kept the character thresholds (`> p99 = 227`,
    /// the chars p99) and the histogram rows had no drill-down, though `words(text)` filters.
    @Test func wordsModeRowsMeasureWords() {
        let d = makeLabelsDriver()
        d.send("tw")
        let content = d.state.labels.content
        func drill(_ key: String) -> Drill? {
            if case .drill(let dr)? = content.rows.first(where: { $0.key == key })?.actions.first { return dr }
            return nil
        }
        let p99 = StatsFake.tickets.acc.textWords.quantile(0.99) ?? 0
        #expect(p99 == 41)
        #expect(drill("short")?.expression == "words(text) < 2")
        #expect(drill("long")?.expression == "words(text) > 41")
        #expect(drill("10–19")?.expression == "words(text) >= 10 && words(text) < 20")
        #expect(drill("10–19")?.count == 833)
        let texts = content.rows.flatMap { $0.cells }.compactMap { cell -> String? in
            if case .spans(let s) = cell { return s.map(\.text).joined() }
            return nil
        }
        #expect(texts.contains("> long (> p99 = 41)"))
        #expect(texts.contains("< short (< 2 words)"))
        #expect(!texts.contains { $0.contains("can't be filtered") })
        d.send(">")
        #expect(d.state.filter?.expression.text == "words(text) > 41")
    }

    @Test func malformedLinesComeFromTheStatsScan() {
        let d = makeLabelsDriver()
        #expect(d.state.malformed.fromStats)
        #expect(d.state.malformed.isComplete)
        #expect(d.state.malformed.entries.map(\.record.line) == [1500])
    }

    @Test func partialCountsShowWhileScanning() throws {
        var state = AppState(source: StatsFake.tickets, size: Size(width: 80, height: 24), panes: PaneRegistry.standard.ids)
        let effects = state.start(knownMalformed: nil, stats: true)
        guard case .startStatsScan(let id)? = effects.first else {
            Issue.record("no stats scan started: \(effects)")
            return
        }
        #expect(effects.count == 1)  // no malformed-line scan of its own
        state.activePane = .labels
        let half = try firstHalfOfTickets()
        state.apply(.statsUpdate(id: id + 1, acc: half, done: 1500, total: 3001, complete: false))  // not ours: ignored
        #expect(state.labels.acc == nil)
        state.apply(.statsUpdate(id: id, acc: half, done: 1500, total: 3001, complete: false))
        #expect(!state.labels.isComplete)
        #expect(state.labels.model.records == 1499)
        #expect(!state.malformed.isComplete)
        state.apply(.statsUpdate(id: id, acc: StatsFake.tickets.acc, done: 3001, total: 3001, complete: true))
        #expect(state.labels.isComplete)
        #expect(state.labels.model.records == 3000)
        #expect(state.malformed.isComplete)
        #expect(state.malformed.entries.count == 1)
    }
}
