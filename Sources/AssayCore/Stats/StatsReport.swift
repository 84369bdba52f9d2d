import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The numbers `assay stats` reports, built from a scan, as JSON or as aligned text.
public struct StatsReport: Sendable {
    public let dataset: Dataset
    public let acc: StatsAccumulator
    /// How many malformed records are listed one by one (the count is always exact).
    public var listLimit = 1000
    /// Coverage cells below this fraction of their expected count are thin.
    public var thinFraction: Double

    public init(dataset: Dataset, acc: StatsAccumulator, thinFraction: Double = 0.05) {
        self.dataset = dataset
        self.acc = acc
        self.thinFraction = thinFraction
        labelsByCount = acc.labels.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// Record slots of file `k`: what the scan found (JSON Lines scans find their own lines,
    /// and need not wait for the index, which may still be building or hold only a sample),
    /// else its index's count.
    func slots(of k: Int) -> Int {
        acc.slotsPerFile[k] ?? dataset.files[k].index.count
    }

    public var coverage: Coverage { Coverage(acc, thinFraction: thinFraction) }

    /// Cross-tabs worth reporting: label × split, label × source, then the other
    /// low-cardinality fields.
    var reportedCrossTabs: [Coverage.CrossTab] {
        guard acc.labelField != nil else { return [] }
        let c = coverage
        var fields: [String] = []
        for f in [acc.splitField, acc.sourceField].compactMap({ $0 }) where !fields.contains(f) { fields.append(f) }
        for f in c.crossTabFields where !fields.contains(f) { fields.append(f) }
        return fields.compactMap { c.crossTab($0) }
    }

    /// Labels by count descending, then name.
    public let labelsByCount: [(label: String, count: Int)]

    /// Largest class over smallest class (nil with fewer than one class).
    public var imbalanceRatio: Double? {
        guard let mx = acc.labels.values.max(), let mn = acc.labels.values.min(), mn > 0 else { return nil }
        return Double(mx) / Double(mn)
    }

    /// Shannon entropy of the label distribution over log(classes): 1 is perfectly balanced.
    public var normalizedEntropy: Double? {
        let k = acc.labels.count
        guard k > 1 else { return k == 1 ? 0 : nil }
        let total = Double(acc.labels.values.reduce(0, +))
        var h = 0.0
        for c in acc.labels.values where c > 0 {
            let p = Double(c) / total
            h -= p * log(p)
        }
        return h / log(Double(k))
    }

    static let quantiles: [(String, Double)] = [("min", 0), ("p5", 0.05), ("p25", 0.25), ("median", 0.5),
                                                ("p75", 0.75), ("p95", 0.95), ("p99", 0.99), ("max", 1)]

    // MARK: JSON

    private func num(_ n: Int) -> FieldValue { .number(String(n)) }
    private func dbl(_ d: Double, _ places: Int = 4) -> FieldValue { .number(Self.format(d, places)) }

    /// Length quantiles and mean, or null when nothing was measured.
    private func lengths(_ h: IntHistogram) -> FieldValue {
        guard h.total > 0 else { return .null }
        return .object(Self.quantiles.map { .init($0.0, num(h.quantile($0.1) ?? 0)) } + [.init("mean", dbl(h.mean, 1))])
    }

    public var json: FieldValue {
        var o: [FieldValue.Member] = []
        func counts(_ d: [String: Int]) -> FieldValue {
            .object(d.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map { .init($0.key, num($0.value)) })
        }
        func issue(_ m: MalformedRecord) -> FieldValue {
            .object([.init("file", .string(m.file)), .init("line", num(m.line)), .init("reason", .string(m.reason))])
        }
        o.append(.init("files", .array(dataset.files.enumerated().map { k, f in
            var m: [FieldValue.Member] = [.init("path", .string(f.path)), .init("format", .string(f.layout.format.rawValue)),
                                          .init("layout", .string(f.layout.summary)), .init("slots", num(slots(of: k)))]
            if let s = f.splitFromName { m.append(.init("split", .string(s))) }
            if let s = f.sourceFromName { m.append(.init("source", .string(s))) }
            return .object(m)
        })))
        o.append(.init("skipped", .array(dataset.skipped.map {
            .object([.init("path", .string($0.path)), .init("reason", .string($0.reason))])
        })))
        o.append(.init("notices", .array(dataset.allNotices.map(FieldValue.string))))
        o.append(.init("records", num(acc.records)))
        o.append(.init("malformed_count", num(acc.malformed.count)))
        o.append(.init("malformed", .array(acc.malformed.prefix(listLimit).map(issue))))
        o.append(.init("warnings", .array(acc.warnings.prefix(listLimit).map(issue))))
        let r = dataset.roles
        func opt(_ s: String?) -> FieldValue { s.map(FieldValue.string) ?? .null }
        o.append(.init("roles", .object([
            .init("text", r.text.isEmpty ? .null : .string(r.text.joined(separator: ","))),
            .init("text_fields", .array(r.text.map(FieldValue.string))),
            .init("label", opt(r.label)), .init("split", opt(r.split)), .init("source", opt(r.source)),
            .init("id", opt(r.id)),
            .init("reasons", .object(r.reasons.sorted { $0.key < $1.key }.map { .init($0.key, .string($0.value)) })),
        ])))
        o.append(.init("labels", counts(acc.labels)))
        o.append(.init("unlabelled", num(acc.unlabelled)))
        var summary: [FieldValue.Member] = [.init("classes", num(acc.labels.count))]
        summary.append(.init("imbalance_ratio", imbalanceRatio.map { dbl($0) } ?? .null))
        summary.append(.init("normalized_entropy", normalizedEntropy.map { dbl($0) } ?? .null))
        if let first = labelsByCount.first, let last = labelsByCount.last {
            summary.append(.init("largest", .object([.init("label", .string(first.label)), .init("count", num(first.count))])))
            summary.append(.init("smallest", .object([.init("label", .string(last.label)), .init("count", num(last.count))])))
        }
        o.append(.init("label_summary", .object(summary)))
        o.append(.init("splits", counts(acc.splits)))
        o.append(.init("label_by_split", .object(acc.labelBySplit.keys.sorted().map { .init($0, counts(acc.labelBySplit[$0]!)) })))
        o.append(.init("sources", counts(acc.sources)))
        o.append(.init("label_by_source", .object(acc.labelBySource.keys.sorted().map { .init($0, counts(acc.labelBySource[$0]!)) })))
        o.append(.init("text", .object([
            .init("chars", lengths(acc.textChars)), .init("words", lengths(acc.textWords)),
            .init("empty", num(acc.emptyTexts)), .init("missing", num(acc.missingTexts)),
        ])))
        o.append(.init("fields", .array(acc.orderedFields.map { f in
            let missing = acc.records - f.present
            let d = f.distinct
            var m: [FieldValue.Member] = [
                .init("path", .string(f.path)),
                .init("types", .object(f.kinds.sorted { $0.key < $1.key }.map { .init($0.key.rawValue, num($0.value)) })),
                .init("present", num(f.present)),
                .init("missing", num(missing)),
                .init("missing_rate", dbl(f.missingRate(of: acc.records))),
                .init("empty", num(f.empty)),
                .init("empty_rate", dbl(f.emptyRate(of: acc.records))),
                .init("distinct", num(d.count)),
                .init("distinct_exact", .bool(d.exact)),
                .init("mixed_types", .bool(f.isMixed)),
                .init("top", .array(f.top(5).map { .object([.init("value", .string($0.value)), .init("count", num($0.count))]) })),
            ]
            if f.arrayLengths.total > 0 {
                m.append(.init("array_lengths", .object(f.arrayLengths.pairs.map { .init(String($0.value), num($0.count)) })))
            }
            return .object(m)
        })))
        o.append(contentsOf: coverageJSON)
        return .object(o)
    }

    /// `split_comparison`, `coverage`, `text_by_label` and `field_flags`.
    var coverageJSON: [FieldValue.Member] {
        var o: [FieldValue.Member] = []
        let cov = coverage
        if let sc = cov.splitComparison {
            o.append(.init("split_comparison", .object([
                .init("measure", .string(Coverage.SplitComparison.measure)),
                .init("splits", .array(sc.splits.map(FieldValue.string))),
                .init("split_totals", .object(zip(sc.splits, sc.splitTotals).map { .init($0, num($1)) })),
                .init("js_distance_to_reference", .object(zip(sc.splits, sc.distanceToReference).compactMap { s, d in
                    d.map { .init(s, dbl($0)) } })),
                .init("labels", .array(sc.rows.map { r in
                    .object([
                        .init("label", .string(r.label)),
                        .init("counts", .object(zip(sc.splits, r.counts).map { .init($0, num($1)) })),
                        .init("shares", .object(zip(sc.splits, r.shares).map { .init($0, dbl($1)) })),
                        .init("spread_points", dbl(r.spread, 2)),
                        .init("p_value", r.pValue.map { .number(Self.scientific($0)) } ?? .null),
                        .init("differs", .bool(r.differs)),
                        .init("absent_in", .array(r.absentIn.map(FieldValue.string))),
                    ])
                })),
            ])))
        }
        o.append(.init("coverage", .object([
            .init("thin_fraction", dbl(thinFraction)),
            .init("crosstabs", .array(reportedCrossTabs.map { t in
                .object([
                    .init("field", .string(t.field)),
                    .init("columns", .array(t.columns.map(FieldValue.string))),
                    .init("flagged_cells", num(t.flaggedCells)),
                    .init("rows", .array(t.labels.enumerated().map { li, l in
                        .object([
                            .init("label", .string(l)),
                            .init("counts", .object(zip(t.columns, t.cells[li]).map { .init($0, num($1.count)) })),
                            .init("empty", .array(t.columns.indices.filter { t.isFlagged(li, $0) && t.cells[li][$0].isEmpty }
                                .map { .string(t.columns[$0]) })),
                            .init("thin", .array(t.columns.indices.filter { t.isFlagged(li, $0) && t.cells[li][$0].isThin }
                                .map { .string(t.columns[$0]) })),
                        ])
                    })),
                ])
            })),
        ])))
        o.append(.init("text_by_label", .object(acc.textCharsByLabel.keys.sorted().map { l in
            .init(l, .object([.init("chars", lengths(acc.textCharsByLabel[l]!)),
                              .init("words", lengths(acc.textWordsByLabel[l] ?? IntHistogram()))]))
        })))
        o.append(.init("field_flags", .array(cov.fieldFlags.map {
            .object([.init("path", .string($0.path)), .init("problem", .string($0.problem))])
        })))
        return o
    }

    static func scientific(_ p: Double) -> String {
        if p == 0 { return "0" }
        if p >= 0.001 { return format(p, 4) }
        var e = 0
        var m = p
        while m < 1 { m *= 10; e -= 1 }
        return format(m, 2) + "e" + String(e)
    }

    /// `d` rounded to `places` decimals, without trailing ".0" ("null" when not finite).
    public static func format(_ d: Double, _ places: Int) -> String {
        guard d.isFinite else { return "null" }
        var p = 1.0
        for _ in 0..<places { p *= 10 }
        let r = (d * p).rounded() / p
        var s = String(r)
        if s.hasSuffix(".0") { s.removeLast(2) }
        return s
    }

    // MARK: Text and Markdown

    /// One titled block of the report: lines of prose and/or a table.
    struct Section {
        var title: String
        var lines: [String] = []
        var table: [[String]] = []
        var rightAligned: Set<Int> = []
        var trailer: [String] = []
    }

    /// The report's sections; every dataset string is escaped for the terminal.
    func sections(bars: Bool) -> (headline: String, sections: [Section]) {
        let t: (String) -> String = { TerminalText.escape($0) }
        let records = acc.records
        func pct(_ n: Int, _ of: Int) -> String { of == 0 ? "-" : Self.format(100 * Double(n) / Double(of), 1) + "%" }
        var headline = "\(t(dataset.displayName)): \(Self.grouped(records)) \(records == 1 ? "record" : "records")"
        if !acc.malformed.isEmpty { headline += ", \(Self.grouped(acc.malformed.count)) malformed" }
        var out: [Section] = []

        var files = Section(title: "Files")
        if dataset.files.count > 1 || dataset.files.first?.splitFromName != nil {
            files.table = [["file", "format", "slots", "split", "source"]]
            for (k, f) in dataset.files.enumerated() {
                files.table.append([t(f.path), f.layout.summary, Self.grouped(slots(of: k)), f.splitFromName ?? "", f.sourceFromName ?? ""])
            }
            files.rightAligned = [2]
        } else if let f = dataset.files.first {
            files.lines = ["format: \(f.layout.summary)"]
        }
        files.trailer += dataset.skipped.map { "skipped \(t($0.path)): \($0.reason)" }
        files.trailer += dataset.allNotices.map { "notice: \(t($0))" }
        out.append(files)

        let r = dataset.roles
        var roles = Section(title: "Roles (how assay reads the fields; override with --text, --label, --split, --source, --id)")
        roles.table = [["role", "field", "why"]]
        for (name, value) in [("text", r.text.isEmpty ? nil : r.text.joined(separator: ",")), ("label", r.label),
                              ("split", r.split), ("source", r.source), ("id", r.id)] {
            roles.table.append([name, value.map(t) ?? "-", value == nil ? "none found" : t(r.reasons[name] ?? "")])
        }
        out.append(roles)

        if r.label != nil {
            var title = "Labels: \(acc.labels.count) classes"
            if let ir = imbalanceRatio { title += ", imbalance \(Self.format(ir, 1))x (largest/smallest)" }
            if let h = normalizedEntropy { title += ", normalised entropy \(Self.format(h, 3))" }
            var sec = Section(title: title)
            if !acc.hasLabelBreakdowns {
                sec.lines = ["more than \(Self.grouped(StatsAccumulator.labelBreakdownCap)) labels, so no cross-tabs, split differences or text lengths by label "
                    + "(is \(t(r.label!)) a label? --label sets it)"]
            }
            let labelled = acc.labels.values.reduce(0, +) + acc.unlabelled
            let maxCount = max(1, acc.labels.values.max() ?? 1, acc.unlabelled)
            sec.table = [bars ? ["label", "count", "share", ""] : ["label", "count", "share"]]
            var shown = labelsByCount
            let cap = 40
            if shown.count > cap { shown = Array(shown.prefix(cap - 3)) + Array(shown.suffix(3)) }
            for (i, l) in shown.enumerated() {
                if labelsByCount.count > cap && i == cap - 3 { sec.table.append(["…", "", "", "(\(labelsByCount.count - cap) more; --json lists all)"].prefix(bars ? 4 : 3).map { $0 }) }
                var row = [t(l.label), Self.grouped(l.count), pct(l.count, labelled)]
                if bars { row.append(Self.bar(l.count, maxCount, 24)) }
                sec.table.append(row)
            }
            if acc.unlabelled > 0 {
                var row = [StatsAccumulator.missingLabel, Self.grouped(acc.unlabelled), pct(acc.unlabelled, labelled)]
                if bars { row.append(Self.bar(acc.unlabelled, maxCount, 24)) }
                sec.table.append(row)
            }
            sec.rightAligned = [1, 2]
            out.append(sec)
        }

        if r.split != nil, !acc.splits.isEmpty {
            let splits = acc.splits.keys.sorted { Self.splitOrder($0, $1) }
            var sec = Section(title: "Label × split")
            sec.table = [["label"] + splits.map(t) + ["total"]]
            let labels = labelsByCount.map(\.label) + (acc.unlabelled > 0 ? [StatsAccumulator.missingLabel] : [])
            for l in labels.prefix(60) {
                var row = [t(l)]
                var total = 0
                for s in splits {
                    let c = acc.labelBySplit[s]?[l] ?? 0
                    total += c
                    row.append(Self.grouped(c))
                }
                row.append(Self.grouped(total))
                sec.table.append(row)
            }
            sec.table.append(["total"] + splits.map { Self.grouped(acc.splits[$0] ?? 0) } + [Self.grouped(records)])
            sec.rightAligned = Set(1...(splits.count + 1))
            out.append(sec)
        }

        if let sc = coverage.splitComparison {
            let flagged = sc.rows.filter { $0.differs || !$0.absentIn.isEmpty }
            var sec = Section(title: "Split differences")
            let dist = zip(sc.splits, sc.distanceToReference).compactMap { s, d in d.map { "\(t(s)) \(Self.format($0, 3))" } }
            sec.lines = ["Jensen-Shannon distance of each split's label distribution to \(sc.splits.contains("train") ? "train" : t(sc.splits[0])): " + dist.joined(separator: ", ")]
            if flagged.isEmpty {
                sec.lines.append("no label's share differs significantly between splits, and none is absent from a split")
            } else {
                sec.table = [["label"] + sc.splits.map { t($0) + " share" } + ["spread", "p", "flag"]]
                for row in flagged.sorted(by: { $0.spread > $1.spread }).prefix(30) {
                    var flags: [String] = []
                    if !row.absentIn.isEmpty { flags.append("absent in " + row.absentIn.map(t).joined(separator: ", ")) }
                    if row.differs { flags.append("share differs") }
                    sec.table.append([t(row.label)] + row.shares.map { Self.format($0 * 100, 1) + "%" }
                                     + [Self.format(row.spread, 1) + " pts", row.pValue.map(Self.scientific) ?? "-", flags.joined(separator: "; ")])
                }
                sec.rightAligned = Set(1...(sc.splits.count + 2))
            }
            sec.trailer = ["measure: " + Coverage.SplitComparison.measure]
            out.append(sec)
        }

        let tabs = reportedCrossTabs
        if !tabs.isEmpty {
            var sec = Section(title: "Coverage gaps (label × field cells that are empty, or thin: below \(Self.format(thinFraction * 100, 1))% of the count expected if independent)")
            var rows: [[String]] = []
            for tab in tabs {
                for (li, l) in tab.labels.enumerated() {
                    for (ci, c) in tab.columns.enumerated() where tab.isFlagged(li, ci) {
                        let cell = tab.cells[li][ci]
                        rows.append([t(tab.field), t(c), t(l), Self.grouped(cell.count), Self.format(cell.expected, 1),
                                     cell.isEmpty ? "empty" : "thin"])
                    }
                }
            }
            if rows.isEmpty {
                sec.lines = ["none in " + tabs.map { "label × " + t($0.field) }.joined(separator: ", ")]
            } else {
                sec.table = [["field", "value", "label", "count", "expected", ""]] + rows.prefix(40)
                sec.rightAligned = [3, 4]
                if rows.count > 40 { sec.trailer = ["… \(rows.count - 40) more (--json lists every cell)"] }
            }
            out.append(sec)
        }

        if !r.text.isEmpty {
            var sec = Section(title: "Text length (\(t(r.text.joined(separator: " + "))))")
            sec.table = [[""] + Self.quantiles.map(\.0) + ["mean"]]
            for (name, h) in [("chars", acc.textChars), ("words", acc.textWords)] where h.total > 0 {
                sec.table.append([name] + Self.quantiles.map { Self.grouped(h.quantile($0.1) ?? 0) } + [Self.format(h.mean, 1)])
            }
            sec.rightAligned = Set(1...(Self.quantiles.count + 1))
            sec.trailer = ["empty texts: \(Self.grouped(acc.emptyTexts))" + (acc.missingTexts > 0 ? ", missing: \(Self.grouped(acc.missingTexts))" : "")]
            out.append(sec)
        }

        var fields = Section(title: "Fields")
        fields.table = [["field", "types", "missing", "empty", "distinct", "top values"]]
        for f in acc.orderedFields {
            let kinds = f.kinds.keys.filter { $0 != .null }.sorted().map(\.rawValue).joined(separator: "+")
            let d = f.distinct
            var top = f.top(3).map { "\(t(Self.clip($0.value, 18))) (\($0.count))" }.joined(separator: ", ")
            if f.arrayLengths.total > 0 {
                top = "lengths " + f.arrayLengths.pairs.prefix(3).map { "\($0.value):\($0.count)" }.joined(separator: " ")
            } else if top.isEmpty, f.valuesTruncated {
                top = "no repeated value seen"
            }
            fields.table.append([t(f.path), (kinds.isEmpty ? "null" : kinds) + (f.isMixed ? " (mixed!)" : ""),
                                 pct(records - f.present, records), pct(f.empty, records),
                                 (d.exact ? "" : "~") + Self.grouped(d.count), top])
        }
        fields.rightAligned = [2, 3, 4]
        fields.trailer = coverage.fieldFlags.map { "flag: \(t($0.path)): \($0.problem)" }
        out.append(fields)

        if !acc.malformed.isEmpty {
            var sec = Section(title: "Malformed records: \(Self.grouped(acc.malformed.count)) (not counted above)")
            sec.lines = acc.malformed.prefix(20).map { t($0.message) }
            if acc.malformed.count > 20 { sec.lines.append("… \(acc.malformed.count - 20) more (--json lists up to \(listLimit))") }
            out.append(sec)
        }
        if !acc.warnings.isEmpty {
            var sec = Section(title: "Warnings: \(Self.grouped(acc.warnings.count)) records kept with irregularities")
            sec.lines = acc.warnings.prefix(20).map { t($0.message) }
            if acc.warnings.count > 20 { sec.lines.append("… \(acc.warnings.count - 20) more") }
            out.append(sec)
        }
        return (headline, out)
    }

    /// The human form: aligned tables with bars.
    public func text(width: Int = 100) -> String {
        let (headline, sections) = sections(bars: true)
        var out = headline + "\n"
        for sec in sections where !(sec.lines.isEmpty && sec.table.isEmpty && sec.trailer.isEmpty) {
            if sec.title == "Files" && sec.table.isEmpty {
                out += (sec.lines + sec.trailer).map { "  " + $0 + "\n" }.joined()
                continue
            }
            out += "\n" + sec.title + "\n"
            out += sec.lines.map { "  " + $0 + "\n" }.joined()
            if !sec.table.isEmpty {
                // File paths are shown whole (two long ones differ at their ends).
                out += Table.render(sec.table, rightAligned: sec.rightAligned, indent: 2, maxWidth: sec.title == "Fields" ? width : 200,
                                    columnCap: sec.title == "Files" ? nil : Table.columnCap)
            }
            out += sec.trailer.map { "  " + $0 + "\n" }.joined()
        }
        return out
    }

    /// A Markdown report a team can paste into a review.
    public func markdown() -> String {
        let (headline, sections) = sections(bars: false)
        func cell(_ s: String) -> String { s.replacingOccurrences(of: "|", with: "\\|") }
        var out = "# assay report: \(headline)\n"
        for sec in sections where !(sec.lines.isEmpty && sec.table.isEmpty && sec.trailer.isEmpty) {
            out += "\n## \(sec.title)\n\n"
            out += sec.lines.map { "- " + $0 + "\n" }.joined()
            if !sec.lines.isEmpty && !sec.table.isEmpty { out += "\n" }
            if let header = sec.table.first {
                out += "| " + header.map(cell).joined(separator: " | ") + " |\n"
                out += "|" + header.indices.map { sec.rightAligned.contains($0) ? " ---: |" : " --- |" }.joined() + "\n"
                for row in sec.table.dropFirst() { out += "| " + row.map(cell).joined(separator: " | ") + " |\n" }
            }
            if !sec.trailer.isEmpty { out += "\n" + sec.trailer.map { "_" + $0 + "_\n" }.joined() }
        }
        return out
    }

    static func grouped(_ n: Int) -> String {
        let s = String(n.magnitude)
        var out = ""
        for (i, c) in s.enumerated() {
            if i > 0 && (s.count - i) % 3 == 0 { out += "," }
            out.append(c)
        }
        return n < 0 ? "-" + out : out
    }

    static func bar(_ n: Int, _ max: Int, _ width: Int) -> String {
        let eighths = Int((Double(n) / Double(max) * Double(width * 8)).rounded())
        let blocks = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]
        var s = String(repeating: "█", count: eighths / 8) + blocks[eighths % 8]
        if s.isEmpty && n > 0 { s = "▏" }
        return s
    }

    static func clip(_ s: String, _ n: Int) -> String {
        let flat = s.replacingNewlines
        return flat.count <= n ? flat : String(flat.prefix(n - 1)) + "…"
    }

    /// train, valid, test first, then the rest by name.
    public static func splitOrder(_ a: String, _ b: String) -> Bool {
        let order = ["train", "training", "valid", "validation", "dev", "val", "test", "testing"]
        let ia = order.firstIndex(of: a.lowercased()) ?? order.count
        let ib = order.firstIndex(of: b.lowercased()) ?? order.count
        return ia != ib ? ia < ib : a < b
    }
}

extension String {
    var replacingNewlines: String {
        String(String.UnicodeScalarView(unicodeScalars.map { $0 == "\n" || $0 == "\r" ? "↵" : $0 }))
    }
}

/// Plain-text tables for the CLI.
enum Table {
    /// The widest a column before the last may be: a longer cell (a label that is a whole
    /// paragraph) is cut, so the columns after it stay on the line.
    static let columnCap = 48

    static func render(_ rows: [[String]], rightAligned: Set<Int> = [], indent: Int = 0, maxWidth: Int = 200,
                       columnCap: Int? = Table.columnCap) -> String {
        guard let first = rows.first else { return "" }
        let rows = rows.map { r in
            r.enumerated().map { i, c in i < r.count - 1 ? columnCap.map { TerminalText.truncate(c, to: $0) } ?? c : c }
        }
        var widths = [Int](repeating: 0, count: first.count)
        for r in rows { for (i, c) in r.enumerated() where i < widths.count { widths[i] = max(widths[i], TerminalText.width(c)) } }
        var out = ""
        for r in rows {
            var line = String(repeating: " ", count: indent)
            for (i, c) in r.enumerated() {
                let pad = String(repeating: " ", count: max(0, widths[i] - TerminalText.width(c)))
                line += rightAligned.contains(i) ? pad + c : (i == r.count - 1 ? c : c + pad)
                if i < r.count - 1 { line += "  " }
            }
            while line.last == " " { line.removeLast() }
            out += TerminalText.truncate(line, to: maxWidth) + "\n"
        }
        return out
    }
}
