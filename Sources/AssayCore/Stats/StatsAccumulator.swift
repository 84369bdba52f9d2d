/// Per-field counts gathered by a scan.
public struct FieldStats: Sendable {
    public var path: String
    /// Records in which the field has a non-null value.
    public var present = 0
    /// Values seen, by kind (an array's elements count under the element path).
    public var kinds: [FieldKind: Int] = [:]
    /// Records whose value is empty: whitespace-only string, empty array or object.
    public var empty = 0
    /// Exact value counts while there are at most `FieldStats.valueCap` distinct values.
    public var values: [String: Int] = [:]
    public var valuesTruncated = false
    var sketch = HyperLogLog()
    /// Lengths of array values.
    public var arrayLengths = IntHistogram()
    var lastRecord = -1

    public static let valueCap = 10_000
    /// Most field paths counted one by one; further new paths (objects used as maps,
    /// with a key per id) are counted together under `overflowPath`.
    public static let maxPaths = 2_000
    public static let overflowPath = "(other fields)"
    /// Values longer than this many bytes are kept in value tables as a prefix and a hash.
    static let longValue = 1024

    /// How a value is kept in the value table: as it is, or, when longer than `longValue`
    /// bytes, its first bytes (cut at a character boundary), `… #` and the hash of the whole
    /// value, so 10,000 long documents cost kilobytes each at most, not megabytes, and equal
    /// values still count together.
    static func tableKey(_ s: String) -> String {
        guard s.utf8.count > longValue else { return s }
        var s = s
        return s.withUTF8 { buf in
            let raw = UnsafeRawBufferPointer(buf)
            var out: [UInt8] = []
            appendTableKey(raw, hash: StableHash.hash(raw), to: &out)
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// Whether a value-table key is the abbreviated form of a long value (so a filter
    /// `field == key` would not find it).
    public static func isAbbreviated(_ key: String) -> Bool {
        let u = Array(key.utf8)
        let marker = Array("… #".utf8)
        // The prefix is at least longValue - 35 bytes (cut back to a character boundary).
        guard u.count >= longValue - 35 + marker.count + 16 else { return false }
        let hex = u.suffix(16)
        guard hex.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) else { return false }
        return Array(u.dropLast(16).suffix(marker.count)) == marker
    }

    /// The hash at the end of an abbreviated key (what `hash(field)` gives in a filter), or nil.
    public static func abbreviatedHash(_ key: String) -> String? {
        isAbbreviated(key) ? String(key.utf8.suffix(16))! : nil
    }

    /// The long form of `tableKey` on bytes, given the value's `StableHash`.
    static func appendTableKey(_ raw: UnsafeRawBufferPointer, hash: UInt64, to out: inout [UInt8]) {
        var cut = longValue - 32
        while cut > 0, raw[cut] & 0xC0 == 0x80 { cut -= 1 }
        out.append(contentsOf: UnsafeRawBufferPointer(rebasing: raw[0..<cut]))
        out.append(contentsOf: "… #".utf8)
        StableHash.appendHex(hash, to: &out)
    }

    /// Whether a record may hold several values of the field: inside an array (`tags[]`),
    /// or the bucket of paths past `maxPaths`.
    let repeats: Bool

    init(path: String) {
        self.path = path
        repeats = path.contains("[]") || path == Self.overflowPath
    }

    /// Counts the value; false when it is not counted: a key repeated in one object (or a
    /// path spelled twice, `"a.b"` beside `"a": {"b": ...}`), where the first counts.
    @discardableResult
    mutating func add(_ value: FieldValue, record: Int) -> Bool {
        if lastRecord == record && !repeats { return false }
        kinds[value.kind, default: 0] += 1
        if value == .null { return true }
        if lastRecord != record {
            lastRecord = record
            present += 1
            if value.isEmptyValue { empty += 1 }
        }
        let text: String
        switch value {
        case .array(let items):
            arrayLengths.add(items.count)
            return true
        case .object:
            return true
        case .string(let s): text = s
        default: text = value.displayText
        }
        sketch.add(hash: StableHash.hash(text))
        let key = Self.tableKey(text)
        if let c = values[key] {
            values[key] = c + 1
        } else if values.count < Self.valueCap {
            values[key] = 1
        } else {
            valuesTruncated = true
        }
        return true
    }

    mutating func merge(_ o: FieldStats) {
        present += o.present
        empty += o.empty
        for (k, c) in o.kinds { kinds[k, default: 0] += c }
        // Values already here add up; new ones fill the room left. When not all new ones fit,
        // the most frequent (then by value) go first, so what is kept does not depend on
        // dictionary order. Only then is anything sorted: merging two full tables of a
        // high-cardinality field (ids, texts) is lookups only.
        var fresh: [(key: String, value: Int)] = []
        for (v, c) in o.values {
            if let i = values.index(forKey: v) {
                values.values[i] += c
            } else {
                fresh.append((v, c))
            }
        }
        let room = Self.valueCap - values.count
        if fresh.count > room {
            valuesTruncated = true
            if room > 0 {
                fresh.sort { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
                fresh.removeLast(fresh.count - room)
            } else {
                fresh = []
            }
        }
        for (v, c) in fresh { values[v] = c }
        valuesTruncated = valuesTruncated || o.valuesTruncated
        sketch.merge(o.sketch)
        arrayLengths.merge(o.arrayLengths)
    }

    /// Once the value table has overflowed, it keeps only values counted more than once:
    /// with more than `valueCap` distinct values (ids, urls, texts), values seen once say
    /// nothing, and a chunk's table is handed over and merged at the cost of its repeats
    /// alone. Done at the end of every chunk and of the scan, in every scan path.
    mutating func keepRepeatsIfTruncated() {
        guard valuesTruncated, values.contains(where: { $0.value < 2 }) else { return }
        values = values.filter { $0.value > 1 }
    }

    /// Distinct non-null scalar values: exact unless the value table overflowed.
    public var distinct: (count: Int, exact: Bool) {
        guard valuesTruncated else { return (values.count, true) }
        // The estimate (about 1% off) is never more than the values counted.
        let scalars = (kinds[.bool] ?? 0) + (kinds[.number] ?? 0) + (kinds[.string] ?? 0)
        return (min(scalars, max(sketch.estimate, values.count)), false)
    }

    /// The most common values, count descending then value ascending.
    public func top(_ n: Int) -> [(value: String, count: Int)] {
        values.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .prefix(n).map { ($0.key, $0.value) }
    }

    /// Share of all `records` (0...1) without the field: `missing_rate` in `assay stats`,
    /// and the browser's Fields view shows the same.
    public func missingRate(of records: Int) -> Double {
        records == 0 ? 0 : Double(records - present) / Double(records)
    }

    /// Share of all `records` (0...1) whose value is empty, also out of all records (not of
    /// those that have the field), so that it adds up with `missingRate`: `empty_rate` in
    /// `assay stats`, and the browser's Fields view shows the same.
    public func emptyRate(of records: Int) -> Double {
        records == 0 ? 0 : Double(empty) / Double(records)
    }

    /// Kinds other than null, when more than one is seen (e.g. numbers and strings).
    public var isMixed: Bool {
        kinds.keys.filter { $0 != .null }.count > 1
    }
}

extension FieldValue {
    var isEmptyValue: Bool {
        switch self {
        case .string(let s): s.allSatisfy(\.isWhitespace)
        case .array(let a): a.isEmpty
        case .object(let m): m.isEmpty
        default: false
        }
    }
}

/// Counts of one scan over a range of record slots; merged across workers.
public struct StatsAccumulator: Sendable {
    public var records = 0
    public var malformed: [MalformedRecord] = []
    public var warnings: [MalformedRecord] = []
    /// Record slots (records and malformed ones) the scan met, per file (its position in
    /// the dataset).
    public var slotsPerFile: [Int: Int] = [:]
    var fieldOrder: [String] = []
    public var fields: [String: FieldStats] = [:]
    public var labels: [String: Int] = [:]
    public var unlabelled = 0
    public var splits: [String: Int] = [:]
    public var sources: [String: Int] = [:]
    public var labelBySplit: [String: [String: Int]] = [:]
    public var labelBySource: [String: [String: Int]] = [:]
    public var textChars = IntHistogram()
    public var textWords = IntHistogram()
    public var emptyTexts = 0
    public var missingTexts = 0
    /// Text lengths per label (`(missing)` for unlabelled records), while there are at most
    /// `labelBreakdownCap` labels: a "label" with a value per record (an id picked as the
    /// label) would otherwise take two histograms a record, gigabytes on a big file.
    public var textCharsByLabel: [String: IntHistogram] = [:]
    public var textWordsByLabel: [String: IntHistogram] = [:]
    /// The most labels that get breakdowns by label (text lengths, cross-tabs): more are
    /// not classes but values of an id or a text picked as the label.
    public static let labelBreakdownCap = 1000
    /// field path → value → label → count, for fields with at most `crossTabCap` distinct
    /// values (label × any low-cardinality field). Fields that outgrow the cap are dropped.
    public var labelByValue: [String: [String: [String: Int]]] = [:]
    var crossTabDropped: Set<String> = []
    /// The role fields these counts were made with.
    public var labelField: String?
    public var splitField: String?
    public var sourceField: String?
    /// Label name used for records with no label in cross-tabs.
    public static let missingLabel = "(missing)"
    /// Most distinct values a field may have to be cross-tabulated with the label.
    public static let crossTabCap = 50

    public init() {}

    mutating func add(_ record: Record, roles: Roles) {
        records += 1
        crossSeenInRecord.removeAll(keepingCapacity: true)
        labelField = roles.label
        splitField = roles.split
        sourceField = roles.source
        let label = roles.label.flatMap { record.field($0) }.flatMap(\.roleValue)
        let labelKey = label ?? Self.missingLabel
        // Past the cap no cross-tab is made (`Coverage.crossTab`): none is counted either.
        let crossLabel = roles.label == nil || !hasLabelBreakdowns ? nil : labelKey
        visit(record.value, path: "", record: record.index, label: crossLabel)

        if let label { labels[label, default: 0] += 1 } else if roles.label != nil { unlabelled += 1 }
        if let sf = roles.split {
            let split = record.field(sf).flatMap(\.roleValue) ?? Self.missingLabel
            splits[split, default: 0] += 1
            labelBySplit[split, default: [:]][labelKey, default: 0] += 1
        }
        if let sf = roles.source {
            let source = record.field(sf).flatMap(\.roleValue) ?? Self.missingLabel
            sources[source, default: 0] += 1
            labelBySource[source, default: [:]][labelKey, default: 0] += 1
        }
        if !roles.text.isEmpty {
            if let text = roles.text(of: record) {
                let (chars, words) = TextKernels.measure(text)
                textChars.add(chars)
                textWords.add(words)
                if roles.label != nil && hasLabelBreakdowns {
                    textCharsByLabel[labelKey, default: IntHistogram()].add(chars)
                    textWordsByLabel[labelKey, default: IntHistogram()].add(words)
                }
                if words == 0 { emptyTexts += 1 }
            } else {
                missingTexts += 1
            }
        }
        dropLabelBreakdownsPastCap()
    }

    private mutating func visit(_ value: FieldValue, path: String, record: Int, label: String?) {
        switch value {
        case .object(let members):
            if !path.isEmpty { addField(path, value, record: record, label: label) }
            for m in members {
                visit(m.value, path: path.isEmpty ? m.key : path + "." + m.key, record: record, label: label)
            }
        case .array(let items):
            addField(path, value, record: record, label: label)
            for item in items { visit(item, path: path + "[]", record: record, label: label) }
        default:
            addField(path, value, record: record, label: label)
        }
    }

    private mutating func addField(_ path: String, _ value: FieldValue, record: Int, label: String?) {
        var path = path
        if fields[path] == nil {
            if fields.count >= FieldStats.maxPaths { path = FieldStats.overflowPath }
            if fields[path] == nil { fieldOrder.append(path) }
        }
        guard fields[path, default: FieldStats(path: path)].add(value, record: record),
              let label, !crossTabDropped.contains(path) else { return }
        let key: String
        switch value {
        case .null, .array, .object: return
        case .string(let s): key = FieldStats.tableKey(s)
        default: key = value.displayText
        }
        // Array elements count once per record and value in cross-tabs (a record holding a
        // tag twice is one record with that tag), so a cell is the records `tags[] == "x"` finds.
        if path.contains("[]") {
            guard crossSeenInRecord.insert(path + "\u{0}" + key).inserted else { return }
        }
        addCross(path, key, label, 1)
    }

    /// (element path, value) pairs already cross-tabulated for the record being added.
    private var crossSeenInRecord: Set<String> = []

    mutating func addCross(_ path: String, _ value: String, _ label: String, _ n: Int) {
        guard !crossTabDropped.contains(path) else { return }
        if labelByValue[path] == nil { labelByValue[path] = [:] }
        if labelByValue[path]![value] == nil, labelByValue[path]!.count >= Self.crossTabCap {
            labelByValue[path] = nil
            crossTabDropped.insert(path)
            return
        }
        labelByValue[path]![value, default: [:]][label, default: 0] += n
    }

    mutating func merge(_ o: StatsAccumulator) {
        records += o.records
        malformed += o.malformed
        warnings += o.warnings
        for (k, n) in o.slotsPerFile { slotsPerFile[k, default: 0] += n }
        for p in o.fieldOrder {
            var target = p
            if fields[p] == nil && fields.count >= FieldStats.maxPaths { target = FieldStats.overflowPath }
            if fields[target] != nil {
                // In place: a copy taken out of the dictionary would copy its value table.
                fields[target]!.merge(o.fields[p]!)
            } else {
                var theirs = o.fields[p]!
                theirs.path = target
                fields[target] = theirs
                fieldOrder.append(target)
            }
        }
        for (k, v) in o.labels { labels[k, default: 0] += v }
        unlabelled += o.unlabelled
        for (k, v) in o.splits { splits[k, default: 0] += v }
        for (k, v) in o.sources { sources[k, default: 0] += v }
        for (s, m) in o.labelBySplit { for (l, c) in m { labelBySplit[s, default: [:]][l, default: 0] += c } }
        for (s, m) in o.labelBySource { for (l, c) in m { labelBySource[s, default: [:]][l, default: 0] += c } }
        textChars.merge(o.textChars)
        textWords.merge(o.textWords)
        for (l, h) in o.textCharsByLabel { textCharsByLabel[l, default: IntHistogram()].merge(h) }
        for (l, h) in o.textWordsByLabel { textWordsByLabel[l, default: IntHistogram()].merge(h) }
        crossTabDropped.formUnion(o.crossTabDropped)
        for p in crossTabDropped { labelByValue[p] = nil }
        for (p, byValue) in o.labelByValue where !crossTabDropped.contains(p) {
            for (v, byLabel) in byValue { for (l, c) in byLabel { addCross(p, v, l, c) } }
        }
        dropLabelBreakdownsPastCap()
        labelField = labelField ?? o.labelField
        splitField = splitField ?? o.splitField
        sourceField = sourceField ?? o.sourceField
        emptyTexts += o.emptyTexts
        missingTexts += o.missingTexts
    }

    /// Whether the labels counted are few enough to be classes and get breakdowns by
    /// label (text lengths, cross-tabs, split differences): at most `labelBreakdownCap`.
    public var hasLabelBreakdowns: Bool { labels.count <= Self.labelBreakdownCap }

    /// Past `labelBreakdownCap` labels, no breakdowns by label (text lengths, cross-tabs).
    /// Scans stop counting them once a chunk has that many labels (all the labels have
    /// more), so what is kept depends on the labels counted, never on chunking.
    mutating func dropLabelBreakdownsPastCap() {
        guard !hasLabelBreakdowns else { return }
        textCharsByLabel = [:]
        textWordsByLabel = [:]
        labelByValue = [:]
    }

    /// `FieldStats.keepRepeatsIfTruncated` on every field.
    mutating func keepRepeatsOfTruncatedFields() {
        for p in fieldOrder where fields[p]?.valuesTruncated == true { fields[p]!.keepRepeatsIfTruncated() }
    }

    /// Field paths in first-seen order.
    public var orderedFields: [FieldStats] { fieldOrder.compactMap { fields[$0] } }
}

extension FieldValue {
    /// The value as a label, split or source: strings as they are, scalars as written,
    /// containers as compact JSON; nil for null and for blank strings (an empty CSV cell).
    public var roleValue: String? {
        switch self {
        case .null: return nil
        case .string(let s): return s.allSatisfy(\.isWhitespace) ? nil : s
        default: return displayText
        }
    }
}
