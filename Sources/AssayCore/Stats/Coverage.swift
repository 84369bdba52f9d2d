#if canImport(Glibc)
import Glibc
#endif

/// What a label pane and a coverage report need, computed from a scan's counts:
/// per-split label shares with the labels that differ most, cross-tabs whose thin
/// and empty cells are flagged, and field integrity flags.
public struct Coverage: Sendable {
    public let acc: StatsAccumulator
    /// A cell is thin when its count is below `thinFraction` of the count expected if
    /// the two fields were independent (row total × column total / all).
    public var thinFraction: Double

    public init(_ acc: StatsAccumulator, thinFraction: Double = 0.05) {
        self.acc = acc
        self.thinFraction = thinFraction
    }

    // MARK: splits

    /// Label shares per split, and which labels differ.
    public struct SplitComparison: Sendable {
        public struct Row: Sendable {
            public var label: String
            /// Count per split, in `splits` order.
            public var counts: [Int]
            /// Share of each split's records, in `splits` order (0...1).
            public var shares: [Double]
            /// Largest minus smallest share across splits, in percentage points.
            public var spread: Double
            /// p-value of a chi-square test that this label's share is the same in every split.
            public var pValue: Double?
            /// Splits (with records) in which this label never occurs.
            public var absentIn: [String]
            /// Share differs significantly (p < 0.001) and notably (a spread of at least one
            /// point, or one split's share at least 1.5 times another's).
            public var differs: Bool
        }
        public var splits: [String]
        public var splitTotals: [Int]
        public var rows: [Row]
        /// Jensen–Shannon distance (base 2, 0...1) between each split's label distribution and train's
        /// (or the first split's), in `splits` order; nil for the reference split itself.
        public var distanceToReference: [Double?]
        public static let measure = "chi-square test per label (label vs rest × split), flagged at p < 0.001 when shares spread by at least 1 point or differ 1.5-fold; Jensen-Shannon distance (base 2) between split distributions"
    }

    public var splitComparison: SplitComparison? {
        // Past the cap the "labels" are not classes (an id picked as the label): nothing to compare.
        guard acc.labelBySplit.count >= 2, acc.hasLabelBreakdowns else { return nil }
        let splits = acc.labelBySplit.keys.sorted { StatsReport.splitOrder($0, $1) }
        let totals = splits.map { s in acc.labelBySplit[s]!.values.reduce(0, +) }
        var labels = Set<String>()
        for m in acc.labelBySplit.values { labels.formUnion(m.keys) }
        let grand = totals.reduce(0, +)
        var rows: [SplitComparison.Row] = []
        for label in labels {
            let counts = splits.map { acc.labelBySplit[$0]?[label] ?? 0 }
            let shares = zip(counts, totals).map { $1 == 0 ? 0 : Double($0) / Double($1) }
            let spread = ((shares.max() ?? 0) - (shares.min() ?? 0)) * 100
            let absent = zip(splits, zip(counts, totals)).filter { $1.0 == 0 && $1.1 > 0 }.map(\.0)
            // 2 × k table: this label vs the rest, per split.
            let n = counts.reduce(0, +)
            var chi2 = 0.0
            var valid = n > 0 && n < grand
            for (c, t) in zip(counts, totals) where t > 0 {
                let e1 = Double(t) * Double(n) / Double(grand)
                let e2 = Double(t) - e1
                if e1 <= 0 || e2 <= 0 { valid = false; break }
                chi2 += pow(Double(c) - e1, 2) / e1 + pow(Double(t - c) - e2, 2) / e2
            }
            let df = splits.indices.filter { totals[$0] > 0 }.count - 1
            let p = valid && df > 0 ? Stats.chiSquareSurvival(chi2, df: Double(df)) : nil
            let hi = shares.max() ?? 0, lo = shares.min() ?? 0
            let ratio = lo > 0 ? hi / lo : .infinity
            let differs = (p.map { $0 < 0.001 } ?? false) && (spread >= 1 || ratio >= 1.5)
            rows.append(.init(label: label, counts: counts, shares: shares, spread: spread, pValue: p,
                              absentIn: label == StatsAccumulator.missingLabel ? [] : absent, differs: differs))
        }
        rows.sort { $0.counts.reduce(0, +) != $1.counts.reduce(0, +) ? $0.counts.reduce(0, +) > $1.counts.reduce(0, +) : $0.label < $1.label }
        let refIndex = splits.firstIndex(of: "train") ?? 0
        let ref = rows.map { Double($0.counts[refIndex]) }
        let distances: [Double?] = splits.indices.map { i in
            i == refIndex ? nil : Stats.jensenShannonDistance(ref, rows.map { Double($0.counts[i]) })
        }
        return SplitComparison(splits: splits, splitTotals: totals, rows: rows, distanceToReference: distances)
    }

    // MARK: cross-tabs

    /// Label × another field's values, with thin and empty cells flagged.
    public struct CrossTab: Sendable {
        public struct Cell: Sendable {
            public var count: Int
            public var expected: Double
            public var isEmpty: Bool { count == 0 }
            public var isThin: Bool
            /// Flagged: thin, or empty where at least one record was expected (an empty cell
            /// of a rare label and a rare value is no gap).
            public var isGap: Bool { count == 0 ? expected >= 1 : isThin }
        }
        /// The other field (`split`, `source`, `lang`, ...).
        public var field: String
        public var columns: [String]
        public var labels: [String]
        /// cells[labelIndex][columnIndex]
        public var cells: [[Cell]]
        public var columnTotals: [Int]
        public var rowTotals: [Int]
        public var thinFraction: Double
        /// Whether cell (label `li`, column `ci`) is flagged: a gap, in a row of a label and a
        /// column of a value (records without a label, or without a split, are no class and
        /// no split to cover).
        public func isFlagged(_ li: Int, _ ci: Int) -> Bool {
            labels[li] != StatsAccumulator.missingLabel && columns[ci] != StatsAccumulator.missingLabel && cells[li][ci].isGap
        }
        public var flaggedCells: Int {
            labels.indices.reduce(0) { n, li in n + columns.indices.filter { isFlagged(li, $0) }.count }
        }
    }

    /// Fields a label can be cross-tabulated with: the split and source roles and every
    /// field with few distinct values.
    public var crossTabFields: [String] {
        var out: [String] = []
        for f in acc.orderedFields where acc.labelByValue[f.path] != nil && f.path != acc.labelField {
            out.append(f.path)
        }
        return out
    }

    /// The split or source role's label counts per value, `(missing)` included for records
    /// without one (blank values too); nil for other fields.
    public func roleTable(_ field: String) -> [String: [String: Int]]? {
        if field == acc.splitField, !acc.labelBySplit.isEmpty { return acc.labelBySplit }
        if field == acc.sourceField, !acc.labelBySource.isEmpty { return acc.labelBySource }
        return nil
    }

    /// Label × `field`. A field's value table counts only the records that have the field;
    /// with `roleColumns`, the split and source roles are counted from their role tables
    /// instead, whose `(missing)` column holds the rest, as in stats' Label × split table.
    public func crossTab(_ field: String, roleColumns: Bool = false) -> CrossTab? {
        let table: [String: [String: Int]]
        if roleColumns, let t = roleTable(field) {
            table = t
        } else if let t = acc.labelByValue[field] {
            table = t
        } else if field == acc.splitField {
            table = acc.labelBySplit
        } else if field == acc.sourceField {
            table = acc.labelBySource
        } else {
            return nil
        }
        // Past the cap the "labels" are not classes (an id picked as the label): no table of them.
        guard !table.isEmpty, acc.hasLabelBreakdowns else { return nil }
        let columns = table.keys.sorted { StatsReport.splitOrder($0, $1) }
        var labelTotals: [String: Int] = [:]
        for m in table.values { for (l, c) in m { labelTotals[l, default: 0] += c } }
        let labels = labelTotals.keys.sorted { labelTotals[$0]! != labelTotals[$1]! ? labelTotals[$0]! > labelTotals[$1]! : $0 < $1 }
        let colTotals = columns.map { table[$0]!.values.reduce(0, +) }
        let rowTotals = labels.map { labelTotals[$0]! }
        let n = Double(colTotals.reduce(0, +))
        let cells = labels.enumerated().map { li, l in
            columns.enumerated().map { ci, c in
                let count = table[c]?[l] ?? 0
                let expected = n == 0 ? 0 : Double(rowTotals[li]) * Double(colTotals[ci]) / n
                return CrossTab.Cell(count: count, expected: expected,
                                     isThin: count > 0 && Double(count) < thinFraction * expected)
            }
        }
        return CrossTab(field: field, columns: columns, labels: labels, cells: cells, columnTotals: colTotals,
                        rowTotals: rowTotals, thinFraction: thinFraction)
    }

    // MARK: field integrity

    public struct FieldFlag: Sendable, Hashable {
        public var path: String
        public var problem: String
    }

    /// Fields worth a look: mixed types, mostly missing, mostly empty.
    public var fieldFlags: [FieldFlag] {
        var out: [FieldFlag] = []
        let n = max(1, acc.records)
        for f in acc.orderedFields {
            if f.isMixed {
                let kinds = f.kinds.filter { $0.key != .null }.sorted { $0.key < $1.key }
                    .map { "\($0.value) \($0.key.rawValue)" }.joined(separator: ", ")
                out.append(.init(path: f.path, problem: "mixed types: \(kinds)"))
            }
            let missing = acc.records - f.present
            if missing > 0 && missing * 2 > n && !f.path.hasSuffix("[]") {
                out.append(.init(path: f.path, problem: "missing in \(StatsReport.format(100 * Double(missing) / Double(n), 1))% of records"))
            }
        }
        return out
    }
}

/// Statistics helpers.
public enum Stats {
    /// P(X ≥ x) for X ~ chi-square with `df` degrees of freedom.
    public static func chiSquareSurvival(_ x: Double, df: Double) -> Double {
        guard x > 0 else { return 1 }
        return upperRegularizedGamma(df / 2, x / 2)
    }

    /// Q(a, x) = Γ(a, x) / Γ(a), by series for x < a + 1 and a continued fraction otherwise.
    static func upperRegularizedGamma(_ a: Double, _ x: Double) -> Double {
        let lg: Double = lgamma(a)
        if x < a + 1 {
            var sum = 1.0 / a, term = sum, ap = a
            for _ in 0..<1000 {
                ap += 1
                term *= x / ap
                sum += term
                if abs(term) < abs(sum) * 1e-15 { break }
            }
            return max(0, 1 - sum * exp(-x + a * log(x) - lg))
        }
        var b = x + 1 - a, c = 1 / 1e-300, d = 1 / b, h = d
        for i in 1...1000 {
            let an = -Double(i) * (Double(i) - a)
            b += 2
            d = an * d + b
            if abs(d) < 1e-300 { d = 1e-300 }
            c = b + an / c
            if abs(c) < 1e-300 { c = 1e-300 }
            d = 1 / d
            let del = d * c
            h *= del
            if abs(del - 1) < 1e-15 { break }
        }
        return min(1, exp(-x + a * log(x) - lg) * h)
    }

    /// Jensen–Shannon distance (square root of the divergence, base 2) between two count vectors.
    public static func jensenShannonDistance(_ p: [Double], _ q: [Double]) -> Double? {
        let sp = p.reduce(0, +), sq = q.reduce(0, +)
        guard sp > 0, sq > 0, p.count == q.count else { return nil }
        var js = 0.0
        for (a, b) in zip(p, q) {
            let pa = a / sp, qb = b / sq, m = (pa + qb) / 2
            if pa > 0 { js += 0.5 * pa * log2(pa / m) }
            if qb > 0 { js += 0.5 * qb * log2(qb / m) }
        }
        return sqrt(max(0, js))
    }
}
