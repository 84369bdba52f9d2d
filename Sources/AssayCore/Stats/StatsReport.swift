#if canImport(Glibc)
import Glibc
#endif

/// The numbers `assay stats` reports, built from a scan, as JSON or as aligned text.
public struct StatsReport: Sendable {
    public let dataset: Dataset
    public let acc: StatsAccumulator
    /// How many malformed records are listed one by one (the count is always exact).
    public var listLimit = 1000

    public init(dataset: Dataset, acc: StatsAccumulator) {
        self.dataset = dataset
        self.acc = acc
    }

    /// Labels by count descending, then name.
    public var labelsByCount: [(label: String, count: Int)] {
        acc.labels.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map { ($0.key, $0.value) }
    }

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

    public var json: FieldValue {
        var o: [FieldValue.Member] = []
        func num(_ n: Int) -> FieldValue { .number(String(n)) }
        func dbl(_ d: Double, _ places: Int = 4) -> FieldValue { .number(Self.format(d, places)) }
        func counts(_ d: [String: Int]) -> FieldValue {
            .object(d.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map { .init($0.key, num($0.value)) })
        }
        func issue(_ m: MalformedRecord) -> FieldValue {
            .object([.init("file", .string(m.file)), .init("line", num(m.line)), .init("reason", .string(m.reason))])
        }
        var fileSlots: [String: Int] = [:]
        for f in dataset.files { fileSlots[f.path] = f.index.count }
        o.append(.init("files", .array(dataset.files.map { f in
            var m: [FieldValue.Member] = [.init("path", .string(f.path)), .init("format", .string(f.layout.format.rawValue)),
                                          .init("layout", .string(f.layout.summary)), .init("slots", num(f.index.count))]
            if let s = f.splitFromName { m.append(.init("split", .string(s))) }
            if let s = f.sourceFromName { m.append(.init("source", .string(s))) }
            return .object(m)
        })))
        o.append(.init("skipped", .array(dataset.skipped.map {
            .object([.init("path", .string($0.path)), .init("reason", .string($0.reason))])
        })))
        o.append(.init("notices", .array(dataset.notices.map(FieldValue.string))))
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
        func lengths(_ h: IntHistogram) -> FieldValue {
            guard h.total > 0 else { return .null }
            return .object(Self.quantiles.map { .init($0.0, num(h.quantile($0.1) ?? 0)) } + [.init("mean", dbl(h.mean, 1))])
        }
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
                .init("missing_rate", dbl(acc.records == 0 ? 0 : Double(missing) / Double(acc.records))),
                .init("empty", num(f.empty)),
                .init("empty_rate", dbl(acc.records == 0 ? 0 : Double(f.empty) / Double(acc.records))),
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
        return .object(o)
    }

    static func format(_ d: Double, _ places: Int) -> String {
        guard d.isFinite else { return "null" }
        var p = 1.0
        for _ in 0..<places { p *= 10 }
        let r = (d * p).rounded() / p
        var s = String(r)
        if s.hasSuffix(".0") { s.removeLast(2) }
        return s
    }

    // MARK: Text

    /// The human form: aligned tables, every dataset string escaped for the terminal.
    public func text(width: Int = 100) -> String {
        var out = ""
        let t: (String) -> String = { TerminalText.escape($0) }
        let records = acc.records
        func pct(_ n: Int, _ of: Int) -> String { of == 0 ? "-" : Self.format(100 * Double(n) / Double(of), 1) + "%" }

        out += "\(t(dataset.displayName)): \(Self.grouped(records)) records"
        if !acc.malformed.isEmpty { out += ", \(Self.grouped(acc.malformed.count)) malformed" }
        out += "\n"
        if dataset.files.count > 1 || dataset.files.first?.splitFromName != nil {
            var rows = [["file", "format", "slots", "split", "source"]]
            for f in dataset.files {
                rows.append([t(f.path), f.layout.summary, Self.grouped(f.index.count), f.splitFromName ?? "", f.sourceFromName ?? ""])
            }
            out += "\nFiles\n" + Table.render(rows, rightAligned: [2], indent: 2)
        } else if let f = dataset.files.first {
            out += "  format: \(f.layout.summary)\n"
        }
        if !dataset.skipped.isEmpty {
            out += "\nSkipped\n"
            for s in dataset.skipped { out += "  \(t(s.path)): \(s.reason)\n" }
        }
        if !dataset.notices.isEmpty {
            out += "\nNotices\n"
            for n in dataset.notices { out += "  \(t(n))\n" }
        }

        let r = dataset.roles
        out += "\nRoles (how assay reads the fields; override with --text, --label, --split, --source, --id)\n"
        var roleRows: [[String]] = []
        for (name, value) in [("text", r.text.isEmpty ? nil : r.text.joined(separator: ",")), ("label", r.label),
                              ("split", r.split), ("source", r.source), ("id", r.id)] {
            roleRows.append([name, value.map(t) ?? "-", value == nil ? "none found" : t(r.reasons[name] ?? "")])
        }
        out += Table.render(roleRows, indent: 2)

        if r.label != nil {
            var header = "\nLabels: \(acc.labels.count) classes"
            if let ir = imbalanceRatio { header += ", imbalance \(Self.format(ir, 1))x (largest/smallest)" }
            if let h = normalizedEntropy { header += ", normalised entropy \(Self.format(h, 3))" }
            out += header + "\n"
            let labelled = acc.labels.values.reduce(0, +) + acc.unlabelled
            let maxCount = max(1, acc.labels.values.max() ?? 1, acc.unlabelled)
            var rows = [["label", "count", "share", ""]]
            var shown = labelsByCount
            let cap = 40
            if shown.count > cap { shown = Array(shown.prefix(cap - 3)) + Array(shown.suffix(3)) }
            for (i, l) in shown.enumerated() {
                if labelsByCount.count > cap && i == cap - 3 { rows.append(["…", "", "", "(\(labelsByCount.count - cap) more; --json lists all)"]) }
                rows.append([t(l.label), Self.grouped(l.count), pct(l.count, labelled), Self.bar(l.count, maxCount, 24)])
            }
            if acc.unlabelled > 0 {
                rows.append([StatsAccumulator.missingLabel, Self.grouped(acc.unlabelled), pct(acc.unlabelled, labelled),
                             Self.bar(acc.unlabelled, maxCount, 24)])
            }
            out += Table.render(rows, rightAligned: [1, 2], indent: 2)
        }

        if r.split != nil, !acc.splits.isEmpty {
            let splits = acc.splits.keys.sorted { Self.splitOrder($0, $1) }
            out += "\nLabel × split\n"
            var rows = [["label"] + splits.map(t) + ["total"]]
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
                rows.append(row)
            }
            rows.append(["total"] + splits.map { Self.grouped(acc.splits[$0] ?? 0) } + [Self.grouped(records)])
            out += Table.render(rows, rightAligned: Set(1...(splits.count + 1)), indent: 2)
        }

        if !r.text.isEmpty {
            out += "\nText length (\(t(r.text.joined(separator: " + "))))\n"
            var rows = [[""] + Self.quantiles.map(\.0) + ["mean"]]
            for (name, h) in [("chars", acc.textChars), ("words", acc.textWords)] where h.total > 0 {
                rows.append([name] + Self.quantiles.map { Self.grouped(h.quantile($0.1) ?? 0) } + [Self.format(h.mean, 1)])
            }
            out += Table.render(rows, rightAligned: Set(1...(Self.quantiles.count + 1)), indent: 2)
            out += "  empty texts: \(Self.grouped(acc.emptyTexts))"
            if acc.missingTexts > 0 { out += ", missing: \(Self.grouped(acc.missingTexts))" }
            out += "\n"
        }

        out += "\nFields\n"
        var rows = [["field", "types", "missing", "empty", "distinct", "top values"]]
        for f in acc.orderedFields {
            let kinds = f.kinds.keys.filter { $0 != .null }.sorted().map(\.rawValue).joined(separator: "+")
            let d = f.distinct
            var top = f.top(3).map { "\(t(Self.clip($0.value, 18))) (\($0.count))" }.joined(separator: ", ")
            if f.arrayLengths.total > 0 {
                top = "lengths " + f.arrayLengths.pairs.prefix(3).map { "\($0.value):\($0.count)" }.joined(separator: " ")
            }
            rows.append([t(f.path), (kinds.isEmpty ? "null" : kinds) + (f.isMixed ? " (mixed!)" : ""),
                         pct(records - f.present, records), pct(f.empty, records),
                         (d.exact ? "" : "~") + Self.grouped(d.count), top])
        }
        out += Table.render(rows, rightAligned: [2, 3, 4], indent: 2, maxWidth: width)

        if !acc.malformed.isEmpty {
            out += "\nMalformed records: \(Self.grouped(acc.malformed.count)) (not counted above)\n"
            for m in acc.malformed.prefix(20) { out += "  \(t(m.message))\n" }
            if acc.malformed.count > 20 { out += "  … \(acc.malformed.count - 20) more (--json lists up to \(listLimit))\n" }
        }
        if !acc.warnings.isEmpty {
            out += "\nWarnings: \(Self.grouped(acc.warnings.count)) records kept with irregularities\n"
            for m in acc.warnings.prefix(20) { out += "  \(t(m.message))\n" }
            if acc.warnings.count > 20 { out += "  … \(acc.warnings.count - 20) more\n" }
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
    static func render(_ rows: [[String]], rightAligned: Set<Int> = [], indent: Int = 0, maxWidth: Int = 200) -> String {
        guard let first = rows.first else { return "" }
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
