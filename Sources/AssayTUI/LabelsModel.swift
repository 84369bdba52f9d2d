import AssayCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The sub-views of the Labels pane, each on its own key.
public enum LabelsSection: String, CaseIterable, Sendable, Hashable {
    case labels, splits, crossTab, fields, text

    public var title: String {
        switch self {
        case .labels: "Labels"
        case .splits: "Splits"
        case .crossTab: "Cross-tab"
        case .fields: "Fields"
        case .text: "Text"
        }
    }

    public var key: Character {
        switch self {
        case .labels: "l"
        case .splits: "s"
        case .crossTab: "c"
        case .fields: "i"
        case .text: "t"
        }
    }
}

/// A drill-down: the filter that shows exactly the records behind a number.
public struct Drill: Sendable, Hashable {
    public var expression: String
    /// The count the pane shows for it (the filter should match as many).
    public var count: Int

    public init(_ expression: String, count: Int) {
        self.expression = expression
        self.count = count
    }
}

/// What a selected row does on Enter besides a filter.
public enum RowAction: Sendable, Hashable {
    case drill(Drill)
    case openField(String)
    case showMalformed
}

/// One cell of a pane table.
public enum GridCell: Sendable, Hashable {
    case spans([Span])
    /// A bar filling `fraction` of the column.
    case bar(Double, SpanRole)
    /// Text whose `tail` stays visible when the column is too narrow: the start is cut
    /// instead. For abbreviated long values, whose starts may be the same and whose
    /// `#hash` ends tell them apart.
    case keepingTail([Span], tail: [Span])

    static func text(_ s: String, _ role: SpanRole = .normal) -> GridCell { .spans([Span(s, role)]) }
    /// Untrusted text (labels, values, paths).
    static func data(_ s: String, _ role: SpanRole = .normal) -> GridCell {
        .spans(Sanitizer.spans(s, maxWidth: 80).map { $0.role == .normal ? Span($0.text, role) : $0 })
    }
}

public struct GridColumn: Sendable, Hashable {
    public var title: String
    public var width: Int
    public var rightAligned: Bool
    /// Takes the room left over (at most one per grid).
    public var flexible: Bool
    /// The width the column's content wants: when every column fits with room to spare,
    /// the column widens up to this before the flexible one takes the rest (a value
    /// list's values, which a fixed width cut at any terminal width).
    public var upTo: Int?

    init(_ title: String, width: Int, right: Bool = false, flexible: Bool = false, upTo: Int? = nil) {
        self.title = title
        self.width = max(width, TextWidth.of(title))
        rightAligned = right
        self.flexible = flexible
        self.upTo = upTo
    }
}

public struct GridRow: Sendable, Hashable {
    public var cells: [GridCell]
    /// Enter on column i does actions[i] (or actions[0] when there is only one).
    public var actions: [RowAction?]
    /// Name the find prompt matches (nil: a heading or note, not selectable).
    public var key: String?
    public var role: SpanRole = .normal

    func action(column: Int) -> RowAction? {
        if actions.count <= 1 { return actions.first ?? nil }
        return column < actions.count ? actions[column] : nil
    }

    static func heading(_ s: String) -> GridRow {
        GridRow(cells: [.text(s, .emphasis)], actions: [], key: nil, role: .emphasis)
    }
}

/// A section's content: lines above the table, then the table.
public struct SectionContent: Sendable {
    public var summary: [[Span]] = []
    /// Lines that may wrap (the measure text) and are dropped first when room is short.
    public var notes: [[Span]] = []
    public var columns: [GridColumn] = []
    public var rows: [GridRow] = []
    /// Columns always shown on the left; the rest scroll sideways.
    public var frozen = 1
    /// Whether ←/→ move a cell cursor across the columns.
    public var cellCursor = false
    /// Shown instead of the table when there are no rows.
    public var empty = "nothing to show"
}

/// How the label bars are ordered.
public enum LabelSort: String, Sendable, CaseIterable {
    case count, name
}

/// How the split rows are ordered.
public enum SplitSort: String, Sendable, CaseIterable {
    case spread, count, name
}

/// The knobs the user turns; the model is rebuilt from these and the counts.
public struct LabelsSettings: Sendable, Hashable {
    public var labelSort = LabelSort.count
    public var splitSort = SplitSort.spread
    public var crossField: String?
    public var thinFraction = 0.05
    public var words = false
    public var fieldDetail: String?
}

/// Steps of the thin-cell threshold for `+` and `-`.
let thinSteps: [Double] = [0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.5]

/// Everything the Labels pane draws, computed from a scan's counts (partial or exact).
/// Built on each update or setting change, never while drawing.
public struct LabelsModel: Sendable {
    public var records = 0
    public var malformed = 0
    public var sections: [LabelsSection: SectionContent] = [:]
    public var crossFields: [String] = []
    /// The field the cross-tab shows.
    public var crossField: String?
    /// Expressions for the text shortcuts (`e`, `<`, `>`).
    public var emptyTexts: Drill?
    public var shortTexts: Drill?
    public var longTexts: Drill?

    public static let shortThreshold = 5
    /// The words-mode "short": at most one word, about what under 5 characters is.
    public static let shortWordThreshold = 2

    public func content(_ s: LabelsSection) -> SectionContent { sections[s] ?? SectionContent() }

    public init() {}

    public init(acc: StatsAccumulator, roles: Roles, settings: LabelsSettings) {
        records = acc.records
        malformed = acc.malformed.count
        let coverage = Coverage(acc, thinFraction: settings.thinFraction)
        let labelPath = acc.labelField ?? roles.label
        sections[.labels] = Self.labels(acc, labelPath: labelPath, sort: settings.labelSort)
        sections[.splits] = Self.splits(acc, coverage: coverage, labelPath: labelPath,
                                        splitPath: acc.splitField ?? roles.split, sort: settings.splitSort)
        crossFields = coverage.crossTabFields
        let picked = settings.crossField.flatMap { crossFields.contains($0) ? $0 : nil }
            ?? (acc.splitField.flatMap { crossFields.contains($0) ? $0 : nil }) ?? crossFields.first
        crossField = picked
        sections[.crossTab] = Self.crossTab(acc, coverage: coverage, field: picked, fields: crossFields, labelPath: labelPath)
        if let path = settings.fieldDetail, let f = acc.fields[path] {
            sections[.fields] = Self.fieldValues(f, records: acc.records)
        } else {
            sections[.fields] = Self.fields(acc, coverage: coverage)
        }
        let textPath = roles.text.count == 1 ? roles.text[0] : "text"
        sections[.text] = textSection(acc, textPath: textPath, labelPath: labelPath, words: settings.words)
    }

    // MARK: formatting

    static func pct(_ part: Int, _ whole: Int) -> String {
        guard whole > 0 else { return "–" }
        return fixed(100 * Double(part) / Double(whole), 1) + "%"
    }

    /// A share (0...1) as `12.5%`.
    static func percent(_ share: Double) -> String {
        fixed(100 * share, 1) + "%"
    }

    static func fixed(_ d: Double, _ places: Int) -> String {
        guard d.isFinite else { return "–" }
        // The report's rounding, padded to exactly `places` decimals for aligned columns.
        var s = StatsReport.format(d, places)
        if let dot = s.firstIndex(of: ".") {
            let decimals = s.distance(from: dot, to: s.endIndex) - 1
            if decimals < places { s += String(repeating: "0", count: places - decimals) }
            if places == 0 { s = String(s[..<dot]) }
        } else if places > 0 {
            s += "." + String(repeating: "0", count: places)
        }
        return s
    }

    static func labelDrill(_ label: String, labelPath: String?, acc: StatsAccumulator) -> String? {
        guard let lp = labelPath else { return nil }
        if label == StatsAccumulator.missingLabel {
            return FilterText.missingRole(lp, blanksSeen: (acc.fields[lp]?.empty ?? 0) > 0)
        }
        return FilterText.equals(lp, label)
    }

    /// A role column's value (`(missing)` = no value) as an expression.
    static func roleDrill(_ value: String, path: String?, acc: StatsAccumulator) -> String? {
        guard let p = path else { return nil }
        if value == StatsAccumulator.missingLabel {
            return FilterText.missingRole(p, blanksSeen: (acc.fields[p]?.empty ?? 0) > 0)
        }
        return FilterText.equals(p, value)
    }

    static func both(_ a: String?, _ b: String?) -> String? {
        guard let a, let b else { return nil }
        func group(_ s: String) -> String { s.contains(" || ") ? "(" + s + ")" : s }
        return group(a) + " && " + group(b)
    }

    static func drill(_ expr: String?, _ count: Int) -> RowAction? {
        guard let e = expr else { return nil }
        return .drill(Drill(e, count: count))
    }

    // MARK: labels

    static func labels(_ acc: StatsAccumulator, labelPath: String?, sort: LabelSort) -> SectionContent {
        var c = SectionContent()
        guard labelPath != nil else {
            c.empty = "no label field was found; name one with --label FIELD"
            return c
        }
        let labelled = acc.labels.values.reduce(0, +)
        let all = labelled + acc.unlabelled
        var entries = acc.labels.map { (name: $0.key, count: $0.value) }
        switch sort {
        case .count: entries.sort { $0.count != $1.count ? $0.count > $1.count : $0.name < $1.name }
        case .name: entries.sort { $0.name < $1.name }
        }
        if acc.unlabelled > 0 { entries.append((StatsAccumulator.missingLabel, acc.unlabelled)) }

        var head: [Span] = [Span("\(acc.labels.count.grouped)", .number), Span(" label\(acc.labels.count == 1 ? "" : "s")")]
        if acc.unlabelled > 0 { head += [Span(" + "), Span(acc.unlabelled.grouped, .number), Span(" unlabelled")] }
        if let mx = acc.labels.values.max(), let mn = acc.labels.values.min(), mn > 0 {
            head += [Span(" · imbalance "), Span(fixed(Double(mx) / Double(mn), 1) + "×", .number), Span(" (max/min)")]
        }
        if let h = entropy(acc.labels) {
            head += [Span(" · entropy "), Span(fixed(h, 3), .number)]
        }
        c.summary = [head]
        let maxCount = max(1, entries.map(\.count).max() ?? 1)
        let nameWidth = min(28, max(5, entries.map { Sanitizer.spans($0.name, maxWidth: 30).width }.max() ?? 5))
        let countWidth = max(5, maxCount.grouped.count)
        c.columns = [GridColumn("label", width: nameWidth), GridColumn("count", width: countWidth, right: true),
                     GridColumn("share", width: 6, right: true),
                     GridColumn("sorted by \(sort.rawValue) (o)", width: 10, flexible: true)]
        c.rows = entries.map { e in
            let missing = e.name == StatsAccumulator.missingLabel && acc.unlabelled > 0 && e.count == acc.unlabelled
            let role: SpanRole = missing ? .dim : .normal
            return GridRow(cells: [missing ? .text(e.name, .dim) : .data(e.name), .text(e.count.grouped, .number),
                                   .text(pct(e.count, all)), .bar(Double(e.count) / Double(maxCount), missing ? .dim : .literal)],
                           actions: [drill(labelDrill(missing ? StatsAccumulator.missingLabel : e.name, labelPath: labelPath, acc: acc), e.count)],
                           key: e.name, role: role)
        }
        c.empty = "no records scanned yet"
        return c
    }

    static func entropy(_ labels: [String: Int]) -> Double? {
        let k = labels.count
        guard k > 1 else { return k == 1 ? 0 : nil }
        let total = Double(labels.values.reduce(0, +))
        var h = 0.0
        for c in labels.values where c > 0 {
            let p = Double(c) / total
            h -= p * log(p)
        }
        return h / log(Double(k))
    }

    // MARK: splits

    static func splits(_ acc: StatsAccumulator, coverage: Coverage, labelPath: String?, splitPath: String?,
                       sort: SplitSort) -> SectionContent {
        var c = SectionContent()
        c.cellCursor = true
        guard labelPath != nil else {
            c.empty = "no label field was found; name one with --label FIELD"
            return c
        }
        guard let cmp = coverage.splitComparison else {
            c.empty = splitPath == nil ? "no split field was found; name one with --split FIELD"
                : "only one split so far: nothing to compare"
            return c
        }
        var head: [Span] = [Span("\(cmp.splits.count) splits:")]
        for (s, t) in zip(cmp.splits, cmp.splitTotals) {
            head += [Span(" ")] + Sanitizer.spans(s, maxWidth: 20) + [Span(" "), Span(t.grouped, .number)]
        }
        var js: [Span] = [Span("Jensen-Shannon distance to \(cmp.splits.contains("train") ? "train" : cmp.splits[0]):")]
        for (s, d) in zip(cmp.splits, cmp.distanceToReference) {
            guard let d else { continue }
            js += [Span(" ")] + Sanitizer.spans(s, maxWidth: 20) + [Span(" "), Span(fixed(d, 3), .number)]
        }
        let flagged = cmp.rows.filter { $0.differs }.count
        let absent = cmp.rows.filter { !$0.absentIn.isEmpty }.count
        c.summary = [head, js + [Span(" · "), Span("\(flagged)", flagged > 0 ? .error : .number),
                                 Span(" differ, "), Span("\(absent)", absent > 0 ? .error : .number), Span(" absent somewhere")]]
        c.notes = [[Span("measure: ", .dim), Span(Coverage.SplitComparison.measure, .dim)]]

        var rows = cmp.rows
        switch sort {
        case .spread: rows.sort { $0.spread != $1.spread ? $0.spread > $1.spread : $0.label < $1.label }
        case .count: break  // the engine's order: total count, then name
        case .name: rows.sort { $0.label < $1.label }
        }
        let nameWidth = min(24, max(5, rows.map { Sanitizer.spans($0.label, maxWidth: 30).width }.max() ?? 5))
        c.columns = [GridColumn("label", width: nameWidth)]
        for s in cmp.splits {
            c.columns.append(GridColumn(Sanitizer.plain(s), width: 6, right: true))
        }
        c.columns.append(GridColumn("spread", width: 6, right: true))
        c.columns.append(GridColumn("flag (sorted by \(sort.rawValue), o)", width: 16, flexible: true))
        for r in rows {
            let isMissing = r.label == StatsAccumulator.missingLabel
            let ld = labelDrill(r.label, labelPath: labelPath, acc: acc)
            var cells: [GridCell] = [isMissing ? .text(r.label, .dim) : .data(r.label)]
            var actions: [RowAction?] = [drill(ld, r.counts.reduce(0, +))]
            for (i, s) in cmp.splits.enumerated() {
                let absentHere = r.absentIn.contains(s)
                cells.append(.text(pct(r.counts[i], cmp.splitTotals[i]), absentHere ? .error : .normal))
                actions.append(drill(both(ld, roleDrill(s, path: splitPath, acc: acc)), r.counts[i]))
            }
            cells.append(.text(fixed(r.spread, 1), r.differs ? .error : .number))
            actions.append(actions[0])
            var flag: [Span] = []
            if r.differs { flag.append(Span("▲ differs", .error)) }
            if !r.absentIn.isEmpty {
                if !flag.isEmpty { flag.append(Span(" ")) }
                flag.append(Span("absent in ", .error))
                flag += Sanitizer.spans(r.absentIn.joined(separator: ", "), maxWidth: 40).map { Span($0.text, $0.role == .normal ? .error : $0.role) }
            }
            if flag.isEmpty, let p = r.pValue { flag.append(Span(p < 0.001 ? "p<0.001" : "p=" + fixed(p, 3), .dim)) }
            cells.append(.spans(flag))
            actions.append(actions[0])
            c.rows.append(GridRow(cells: cells, actions: actions, key: r.label, role: isMissing ? .dim : .normal))
        }
        return c
    }

    // MARK: cross-tab

    static func crossTab(_ acc: StatsAccumulator, coverage: Coverage, field: String?, fields: [String],
                         labelPath: String?) -> SectionContent {
        var c = SectionContent()
        c.cellCursor = true
        guard labelPath != nil else {
            c.empty = "no label field was found; name one with --label FIELD"
            return c
        }
        // Records without a split (or source) are a `(missing)` column, as in `assay stats`,
        // so that row totals are the label counts.
        guard let field, let tab = coverage.crossTab(field, roleColumns: true) else {
            c.empty = "no field with at most \(StatsAccumulator.crossTabCap) values to cross-tabulate yet"
            return c
        }
        let index = fields.firstIndex(of: field).map { $0 + 1 } ?? 0
        var head: [Span] = [Span("label × ")] + Sanitizer.spans(field, maxWidth: 30).map { Span($0.text, $0.role == .normal ? .emphasis : $0.role) }
        head += [Span("  (f/F: field \(index) of \(fields.count))", .dim)]
        let thin = "thin < " + fixed(tab.thinFraction * 100, 0) + "% of expected (+/-)"
        c.summary = [head, [Span("! empty", .error), Span("  "), Span("* thin", .warning), Span(" = \(thin) · "),
                            Span("\(tab.flaggedCells)", tab.flaggedCells > 0 ? .error : .number), Span(" flagged")]]
        let fieldExprOK = FilterText.anyElement(field) != nil
        let elements = field.contains("[]")
        if elements {
            c.notes = [[Span("a record counts once per value (any element); row totals add values, so Enter on them does nothing", .dim)]]
        }
        let nameWidth = min(20, max(5, tab.labels.map { Sanitizer.spans($0, maxWidth: 30).width }.max() ?? 5))
        c.columns = [GridColumn("label", width: nameWidth)]
        let roleField = field == acc.splitField || field == acc.sourceField
        let widest = max(1, tab.cells.joined().map(\.count).max() ?? 1, tab.columnTotals.max() ?? 1).grouped.count + 1
        for col in tab.columns {
            c.columns.append(GridColumn(Sanitizer.plain(col), width: min(12, max(widest, 4)), right: true))
        }
        c.columns.append(GridColumn("total", width: max(5, tab.rowTotals.reduce(0, +).grouped.count), right: true))
        // A value table counts only records that have the field; a role table counts all.
        let fromValues = coverage.roleTable(field) == nil && acc.labelByValue[field] != nil
            && (acc.fields[field]?.present ?? 0) < acc.records
        for (li, label) in tab.labels.enumerated() {
            let isMissing = label == StatsAccumulator.missingLabel
            let ld = labelDrill(label, labelPath: labelPath, acc: acc)
            var cells: [GridCell] = [isMissing ? .text(label, .dim) : .data(label)]
            let rowExpr = fromValues ? both(ld, FilterText.field(field).map { "has(\($0))" }) : ld
            var actions: [RowAction?] = [elements ? nil : drill(rowExpr, tab.rowTotals[li])]
            for (ci, col) in tab.columns.enumerated() {
                let cell = tab.cells[li][ci]
                let flagged = tab.isFlagged(li, ci)
                let text = cell.count.grouped + (!flagged ? " " : cell.isEmpty ? "!" : "*")
                cells.append(.text(text, !flagged ? .normal : cell.isEmpty ? .error : .warning))
                let valueExpr = roleField ? roleDrill(col, path: field, acc: acc) : FilterText.crossValue(field, col)
                actions.append(fieldExprOK ? drill(both(ld, valueExpr), cell.count) : nil)
            }
            cells.append(.text(tab.rowTotals[li].grouped, .number))
            actions.append(actions[0])
            c.rows.append(GridRow(cells: cells, actions: actions, key: label, role: isMissing ? .dim : .normal))
        }
        var totals: [GridCell] = [.text("total", .emphasis)]
        var totalActions: [RowAction?] = [nil]
        for (ci, col) in tab.columns.enumerated() {
            totals.append(.text(tab.columnTotals[ci].grouped + " ", .number))
            let valueExpr = roleField ? roleDrill(col, path: field, acc: acc) : FilterText.crossValue(field, col)
            totalActions.append(fieldExprOK && labelPath != nil ? drill(valueExpr, tab.columnTotals[ci]) : nil)
        }
        totals.append(.text(tab.rowTotals.reduce(0, +).grouped, .number))
        totalActions.append(nil)
        c.rows.append(GridRow(cells: totals, actions: totalActions, key: "total"))
        return c
    }

    // MARK: fields

    static func kindsText(_ f: FieldStats) -> String {
        f.kinds.filter { $0.key != .null }.sorted { $0.key < $1.key }.map(\.key.rawValue).joined(separator: "|")
    }

    /// The `n` most common values without sorting the whole table.
    static func top(_ f: FieldStats, _ n: Int) -> [(value: String, count: Int)] {
        var best: [(value: String, count: Int)] = []
        for (v, c) in f.values {
            if best.count == n, let last = best.last, c < last.count || (c == last.count && v > last.value) { continue }
            var i = best.count
            while i > 0, best[i - 1].count < c || (best[i - 1].count == c && best[i - 1].value > v) { i -= 1 }
            best.insert((v, c), at: i)
            if best.count > n { best.removeLast() }
        }
        return best
    }

    /// A value as shown in a list: blank strings quoted so they can be seen.
    static func valueSpans(_ v: String) -> [Span] {
        if v.allSatisfy(\.isWhitespace) { return [Span(FilterText.string(v), .dim)] }
        return Sanitizer.spans(v, maxWidth: 40)
    }

    /// A value as shown in the value list, which may be wide: an abbreviated long value
    /// (start + `… #hash`) keeps its hash in view, since values with the same start
    /// differ only there.
    static func valueCell(_ v: String) -> GridCell {
        if v.allSatisfy(\.isWhitespace) { return .spans(valueSpans(v)) }
        let maxWidth = 400
        guard let hash = FieldStats.abbreviatedHash(v) else { return .spans(Sanitizer.spans(v, maxWidth: maxWidth)) }
        let start = String(v.utf8.dropLast(hash.utf8.count + "… #".utf8.count))!
        return .keepingTail(Sanitizer.spans(start, maxWidth: maxWidth) + [Span("…", .dim)], tail: [Span(" #" + hash, .dim)])
    }

    static func fields(_ acc: StatsAccumulator, coverage: Coverage) -> SectionContent {
        var c = SectionContent()
        let flags = coverage.fieldFlags
        let mixed = acc.orderedFields.filter(\.isMixed).count
        c.summary = [[Span(acc.orderedFields.count.grouped, .number), Span(" field paths · "),
                      Span("\(mixed)", mixed > 0 ? .error : .number), Span(" with mixed types · "),
                      Span("\(flags.count)", flags.isEmpty ? .number : .error), Span(" flags · "),
                      Span(acc.malformed.count.grouped, acc.malformed.isEmpty ? .number : .error), Span(" malformed")]]
        let pathWidth = min(24, max(5, acc.orderedFields.map { Sanitizer.spans($0.path, maxWidth: 30).width }.max() ?? 5))
        let distinct = acc.orderedFields.map { f in
            let d = f.distinct
            return (d.exact ? "" : "~") + d.count.grouped
        }
        // As wide as its widest count: a fixed width cut `~1,000,000` to `~1,000,…`.
        let distinctWidth = max(6, acc.malformed.count.grouped.count, distinct.map(\.count).max() ?? 0)
        c.columns = [GridColumn("field", width: pathWidth), GridColumn("types", width: 7),
                     GridColumn("missing", width: 6, right: true), GridColumn("empty", width: 6, right: true),
                     GridColumn("distinct", width: distinctWidth, right: true),
                     GridColumn("top values (Enter: all)", width: 10, flexible: true)]
        if !acc.malformed.isEmpty {
            c.rows.append(GridRow(cells: [.text("✗ malformed", .error), .text(""), .text(""), .text(""),
                                          .text(acc.malformed.count.grouped, .error), .text("Enter or m lists them", .dim)],
                                  actions: [.showMalformed], key: "malformed"))
        }
        for (f, distinctText) in zip(acc.orderedFields, distinct) {
            var topSpans: [Span] = []
            for (i, t) in top(f, 3).enumerated() {
                if i > 0 { topSpans.append(Span(", ", .dim)) }
                topSpans += TextLayout.truncate(valueSpans(t.value), to: 20)
                topSpans.append(Span(" " + t.count.grouped, .number))
            }
            if f.values.isEmpty, f.arrayLengths.total > 0 {
                topSpans = [Span("lengths: median \(f.arrayLengths.quantile(0.5) ?? 0), max \(f.arrayLengths.quantile(1) ?? 0)", .dim)]
            } else if f.values.isEmpty, f.valuesTruncated {
                topSpans = [Span("no repeated value seen", .dim)]
            }
            let flagged = flags.contains { $0.path == f.path }
            let kinds = kindsText(f)
            c.rows.append(GridRow(cells: [.data((f.isMixed ? "! " : "") + f.path, flagged ? .error : .normal),
                                          .text(kinds.isEmpty ? "null" : kinds, f.isMixed ? .error : .normal),
                                          .text(f.path.hasSuffix("[]") ? "" : percent(f.missingRate(of: acc.records))),
                                          .text(percent(f.emptyRate(of: acc.records))),
                                          .text(distinctText, .number),
                                          .spans(topSpans)],
                                  actions: [.openField(f.path)], key: f.path))
        }
        if !flags.isEmpty {
            c.rows.append(GridRow(cells: [.text("")], actions: [], key: nil))
            c.rows.append(.heading("flags"))
            for fl in flags {
                let expr: String? = fl.problem.hasPrefix("missing") ? FilterText.field(fl.path).map { "missing(\($0))" } : nil
                c.rows.append(GridRow(cells: [.data(fl.path, .error), .spans([Span(fl.problem)])],
                                      actions: [expr.map { .drill(Drill($0, count: acc.records - (acc.fields[fl.path]?.present ?? 0))) } ?? .openField(fl.path)],
                                      key: fl.path))
            }
        }
        c.empty = "no fields seen yet"
        return c
    }

    /// One field's values, for drilling down on a value (Enter on a field row).
    static func fieldValues(_ f: FieldStats, records: Int) -> SectionContent {
        var c = SectionContent()
        let d = f.distinct
        let missing = records - f.present
        c.summary = [Sanitizer.spans(f.path, maxWidth: 60).map { Span($0.text, $0.role == .normal ? .emphasis : $0.role) }
                     + [Span(" · \(kindsText(f)) · present \(f.present.grouped) · missing \(missing.grouped) · distinct \(d.exact ? "" : "~")\(d.count.grouped)"),
                        Span("  (q: back)", .dim)]]
        let path = FilterText.field(f.path)
        if path == nil {
            c.notes = [[Span("array elements: counts are per element; no filter selects them exactly", .dim)]]
        }
        if f.valuesTruncated {
            c.notes.append([Span("more than \(FieldStats.valueCap.grouped) distinct values: listing those seen more than once; counts are lower bounds", .dim)])
        }
        let shown = top(f, 200)
        let maxCount = max(1, shown.first?.count ?? 1, missing)
        let cells = shown.map { valueCell($0.value) }
        let widest = cells.map { cell -> Int in
            switch cell {
            case .spans(let s): s.width
            case .keepingTail(let s, let tail): s.width + tail.width
            case .bar: 0
            }
        }.max() ?? 5
        let valueWidth = min(32, max(9, widest))
        c.columns = [GridColumn("value", width: valueWidth, upTo: max(valueWidth, widest)), GridColumn("count", width: max(5, maxCount.grouped.count), right: true),
                     GridColumn("share", width: 6, right: true), GridColumn(shown.count < d.count ? "top \(shown.count)" : "", width: 8, flexible: true)]
        if missing > 0, !f.path.hasSuffix("[]") {
            c.rows.append(GridRow(cells: [.text("(missing)", .dim), .text(missing.grouped, .number), .text(pct(missing, records)),
                                          .bar(Double(missing) / Double(maxCount), .dim)],
                                  actions: [path.map { .drill(Drill("missing(\($0))", count: missing)) }], key: "(missing)", role: .dim))
        }
        for (v, cell) in zip(shown, cells) {
            c.rows.append(GridRow(cells: [cell, .text(v.count.grouped, .number), .text(pct(v.count, max(1, records))),
                                          .bar(Double(v.count) / Double(maxCount), .literal)],
                                  actions: [FilterText.tableValue(f.path, v.value).map { .drill(Drill($0, count: v.count)) }], key: v.value))
        }
        c.empty = f.arrayLengths.total > 0 || f.kinds[.object] != nil ? "containers have no values to list; see their element paths"
            : f.valuesTruncated ? "no value seen more than once" : "no values"
        return c
    }

    // MARK: text

    static let charEdges = [0, 1, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000]
    static let wordEdges = [0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000]

    static func quantileSpans(_ name: String, _ h: IntHistogram) -> [Span] {
        var s: [Span] = [Span(name, .emphasis)]
        guard h.total > 0 else { return s + [Span(" none", .dim)] }
        for (n, q) in [("min", 0.0), ("p5", 0.05), ("p25", 0.25), ("p50", 0.5), ("p75", 0.75), ("p95", 0.95), ("p99", 0.99), ("max", 1.0)] {
            s += [Span(" \(n) ", .dim), Span("\(h.quantile(q) ?? 0)", .number)]
        }
        return s + [Span(" mean ", .dim), Span(fixed(h.mean, 1), .number)]
    }

    /// Count of values in `lo..<hi` (hi nil: no upper bound).
    static func count(_ pairs: [(value: Int, count: Int)], _ lo: Int, _ hi: Int?) -> Int {
        pairs.reduce(0) { $0 + ($1.value >= lo && (hi == nil || $1.value < hi!) ? $1.count : 0) }
    }

    mutating func textSection(_ acc: StatsAccumulator, textPath: String, labelPath: String?, words: Bool) -> SectionContent {
        var c = SectionContent()
        guard acc.textChars.total > 0 || acc.missingTexts > 0 else {
            c.empty = acc.records == 0 ? "no records scanned yet" : "no text field was found; name one with --text FIELD"
            return c
        }
        c.summary = [Self.quantileSpans("chars", acc.textChars), Self.quantileSpans("words", acc.textWords)]
        let t = FilterText.field(textPath) ?? "text"
        emptyTexts = Drill("\(t) ~ \"^\\s*$\"", count: acc.emptyTexts)
        // Rows, histogram and the `<`/`>` shortcuts all measure in the unit shown:
        // `words(text)` filters count words exactly as the scan does.
        let h = words ? acc.textWords : acc.textChars
        let pairs = h.pairs
        let measure = words ? "words" : "len"
        let shortAt = words ? Self.shortWordThreshold : Self.shortThreshold
        let shortN = Self.count(pairs, 0, shortAt)
        shortTexts = Drill("\(measure)(\(t)) < \(shortAt)", count: shortN)
        let p99 = h.quantile(0.99) ?? 0
        let longN = Self.count(pairs, p99 + 1, nil)
        longTexts = Drill("\(measure)(\(t)) > \(p99)", count: longN)
        let all = acc.textChars.total
        let unit = words ? "words" : "chars"
        let maxLabel = max(5, (acc.textCharsByLabel.keys.map { Sanitizer.spans($0, maxWidth: 30).width }.max() ?? 5))
        let nameWidth = min(24, max(22, maxLabel))
        c.columns = [GridColumn(unit, width: nameWidth), GridColumn("count", width: max(5, all.grouped.count), right: true),
                     GridColumn("share", width: 6, right: true), GridColumn("(w: chars/words)", width: 10, flexible: true)]
        c.rows.append(GridRow(cells: [.text("e empty or blank", .key), .text(acc.emptyTexts.grouped, .number), .text(Self.pct(acc.emptyTexts, all))],
                              actions: [.drill(emptyTexts!)], key: "empty"))
        c.rows.append(GridRow(cells: [.text("< short (< \(shortAt) \(unit))", .key), .text(shortN.grouped, .number), .text(Self.pct(shortN, all))],
                              actions: [.drill(shortTexts!)], key: "short"))
        c.rows.append(GridRow(cells: [.text("> long (> p99 = \(p99))", .key), .text(longN.grouped, .number), .text(Self.pct(longN, all))],
                              actions: [.drill(longTexts!)], key: "long"))
        if acc.missingTexts > 0 {
            c.rows.append(GridRow(cells: [.text("no text", .dim), .text(acc.missingTexts.grouped, .number), .text("")],
                                  actions: [FilterText.field(textPath).map { .drill(Drill("missing(\($0))", count: acc.missingTexts)) }], key: "missing"))
        }
        let edges = words ? Self.wordEdges : Self.charEdges
        var buckets: [(lo: Int, hi: Int?, n: Int)] = []
        for (i, lo) in edges.enumerated() {
            let hi = i + 1 < edges.count ? edges[i + 1] : nil
            buckets.append((lo, hi, Self.count(pairs, lo, hi)))
        }
        if let first = buckets.firstIndex(where: { $0.n > 0 }), let last = buckets.lastIndex(where: { $0.n > 0 }) {
            buckets = Array(buckets[first...last])
        } else {
            buckets = []
        }
        c.rows.append(GridRow(cells: [.text("")], actions: [], key: nil))
        c.rows.append(.heading("histogram of \(unit) per text"))
        let maxN = max(1, buckets.map(\.n).max() ?? 1)
        for b in buckets {
            let name = b.hi.map { $0 - b.lo == 1 ? "\(b.lo)" : "\(b.lo)–\($0 - 1)" } ?? "\(b.lo)+"
            let lower = b.lo == 0 ? nil : "\(measure)(\(t)) >= \(b.lo)"
            let upper = b.hi.map { "\(measure)(\(t)) < \($0)" }
            let expr = [lower, upper].compactMap { $0 }.joined(separator: " && ")
            let action = RowAction.drill(Drill(expr.isEmpty ? "has(\(t))" : expr, count: b.n))
            c.rows.append(GridRow(cells: [.text(name), .text(b.n.grouped, .number), .text(Self.pct(b.n, all)),
                                          .bar(Double(b.n) / Double(maxN), .literal)],
                                  actions: [action], key: name))
        }
        if labelPath != nil, !acc.textCharsByLabel.isEmpty {
            c.rows.append(GridRow(cells: [.text("")], actions: [], key: nil))
            c.rows.append(.heading("per label: \(unit) median · p95 · max (Enter: texts of that label)"))
            let byLabel = words ? acc.textWordsByLabel : acc.textCharsByLabel
            let names = byLabel.keys.sorted { (byLabel[$0]?.total ?? 0) != (byLabel[$1]?.total ?? 0) ? (byLabel[$0]?.total ?? 0) > (byLabel[$1]?.total ?? 0) : $0 < $1 }
            for name in names {
                let lh = byLabel[name]!
                let med = lh.quantile(0.5) ?? 0, p95 = lh.quantile(0.95) ?? 0, mx = lh.quantile(1) ?? 0
                let isMissing = name == StatsAccumulator.missingLabel
                c.rows.append(GridRow(cells: [isMissing ? .text(name, .dim) : .data(name), .text(lh.total.grouped, .number), .text(Self.pct(lh.total, all)),
                                              .spans([Span("\(med)", .number), Span(" · ", .dim), Span("\(p95)", .number), Span(" · ", .dim), Span("\(mx)", .number)])],
                                      actions: [Self.drill(Self.both(Self.labelDrill(name, labelPath: labelPath, acc: acc), "has(\(t))"), lh.total)], key: name,
                                      role: isMissing ? .dim : .normal))
            }
        }
        return c
    }
}
