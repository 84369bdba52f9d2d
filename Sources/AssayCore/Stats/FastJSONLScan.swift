#if canImport(Glibc)
import Glibc
#endif

/// The stats scan for JSON Lines without building a `FieldValue` per record.
///
/// One pass over each record's bytes resolves field paths through a small trie, counts
/// values in allocation-free tables, and measures the text role with 8-bytes-a-step word
/// counting. Each record's values are buffered as events and committed only if the whole
/// record parses, so a malformed record adds nothing. It produces the same numbers as
/// `StatsAccumulator.add(_:roles:)` (tests compare the two); records it cannot judge
/// cheaply (a container as label or text) are measured by re-parsing them.
struct FastJSONLScanner {
    // MARK: field-path trie
    private var nodePath: [String] = [""]
    private let keys = KeyTrie()
    private var nodeElement: [Int32] = [-1]
    private var nodeRole: [UInt8] = [0]

    // MARK: per-node counts
    /// What `commit` reads of a node for each value, in one place (one cache line, no
    /// Swift array checks): its roles, and its tables, unretained (kept alive by the arrays
    /// below).
    private struct NodeInfo: BitwiseCopyable {
        var role: UInt8
        var textIndex: Int8
        var isElement: Bool
        /// The node has too many values for a cross-tab with the label.
        var crossDropped = false
        var counter: Unmanaged<ByteCounter>
        var cross: Unmanaged<PairCounts>
        var lengths: Unmanaged<Tally>
    }
    private let nodeInfo = ScanBuffer<NodeInfo>(capacity: 16)
    /// Per node: present, last record seen, empty, and six kind counts (see `NodeCounts`).
    private let counts = NodeCounts()
    private var counters: [ByteCounter]
    private let sketches = NodeSketches()
    private var arrayLengths: [Tally] = [Tally()]

    // MARK: roles
    private let roles: Roles
    private var labels = ByteCounter(cap: Int.max)
    private var splits = ByteCounter(cap: Int.max)
    private var sources = ByteCounter(cap: Int.max)
    /// For the label, split and source fields: the role table's entry of each entry of the
    /// field's own value table, so a role value costs one lookup (the field's) per record.
    private let labelOf = EntryMap(), splitOf = EntryMap(), sourceOf = EntryMap()
    private var labelBySplit = PairCounts()
    private var labelBySource = PairCounts()
    private var unlabelled = 0
    private let textChars = Tally()
    private let textWords = Tally()
    private var emptyTexts = 0
    private var missingTexts = 0
    private(set) var records = 0

    static let roleLabel: UInt8 = 1, roleSplit: UInt8 = 2, roleSource: UInt8 = 4, roleText: UInt8 = 8
    /// Top-level keys that stop a derived split or source from being added.
    static let roleDerivedSplitKey: UInt8 = 16, roleDerivedSourceKey: UInt8 = 32
    static let valueRoles: UInt8 = 15
    /// A role path names elements of the arrays around this node (`RolePath.elements`).
    static let roleIndexed: UInt8 = 64

    // MARK: per-record state
    private struct Event: BitwiseCopyable {
        var node: Int32
        var kind: FieldKind
        var inScratch: Bool
        /// For a string: the control characters it may hold (JSON strings have few kinds).
        var controls = TextKernels.Controls.any
        var offset: Int
        var length: Int   // bytes, or element count for arrays, or end offset for objects
        /// In an element other than the one its role path names: a field value only.
        var roleDenied = false
    }
    private let events = ScanBuffer<Event>(capacity: 64)
    /// Decoded bytes of the record's escaped strings and quoted CSV fields.
    private let scratch = ScanBuffer<UInt8>(capacity: 4096)
    private var base: UnsafeRawPointer
    private var pos = 0
    private var end = 0
    private var sawSplitKey = false
    private var sawSourceKey = false
    /// Whether the record gets a split or source from its file's name, which a top-level
    /// key of that name stops (so only then are top-level keys checked for it).
    private var derives = false
    private let splitKeyNode: Int32
    private let sourceKeyNode: Int32

    init(roles: Roles, base: UnsafeRawPointer) {
        self.roles = roles
        self.base = base
        labelPath = roles.label.map(RolePath.init)
        splitPath = roles.split.map(RolePath.init)
        sourcePath = roles.source.map(RolePath.init)
        textPaths = roles.text.map(RolePath.init)
        hasIndexedRoles = ([labelPath, splitPath, sourcePath].compactMap { $0 } + textPaths).contains { $0.elements != nil }
        keys.appendNode()  // the root
        let counter = ByteCounter(cap: FieldStats.valueCap)
        counters = [counter]
        let pairs = PairCounts()
        cross = [pairs]
        splitKeyNode = -2
        sourceKeyNode = -2
        nodeInfo.append(NodeInfo(role: 0, textIndex: -1, isElement: false, counter: .passUnretained(counter),
                                 cross: .passUnretained(pairs), lengths: .passUnretained(arrayLengths[0])))
    }

    // MARK: trie

    private mutating func child(of parent: Int32, keyAt p: UnsafeRawPointer, length n: Int) -> Int32 {
        let pi = Int(parent)
        let (k0, k1) = StableHash.fingerprint(p, n)
        let found = keys.find(parent: parent, p, n, k0, k1)
        if found >= 0 { return found }
        if nodePath.count > FieldStats.maxPaths { return overflowNode() }
        let key = String(decoding: UnsafeRawBufferPointer(start: p, count: n), as: UTF8.self)
        let path = pi == 0 ? key : nodePath[pi] + "." + key
        let id = addNode(path: path)
        keys.link(id, parent: parent, p, n, k0, k1)
        return id
    }

    private mutating func element(of parent: Int32) -> Int32 {
        let pi = Int(parent)
        if nodeElement[pi] >= 0 { return nodeElement[pi] }
        if nodePath.count > FieldStats.maxPaths { return overflowNode() }
        let id = addNode(path: nodePath[pi] + "[]")
        nodeElement[pi] = id
        return id
    }

    /// The node that counts every path past `FieldStats.maxPaths` (not a child of any node).
    private var overflow: Int32 = -1
    private mutating func overflowNode() -> Int32 {
        if overflow < 0 { overflow = addNode(path: FieldStats.overflowPath) }
        return overflow
    }

    /// The node first given each path. A second node can spell the same path (a key with a
    /// dot in it, `"a.b"`, beside `"a": {"b": ...}`): its values are counted on the first.
    private var nodeOfPath: [String: Int32] = [:]
    private var canonicalNode: [Int32] = [0]
    private var hasAliases = false

    private mutating func addNode(path: String) -> Int32 {
        let id = Int32(nodePath.count)
        if let first = nodeOfPath[path] {
            canonicalNode.append(first)
            hasAliases = true
        } else {
            nodeOfPath[path] = id
            canonicalNode.append(id)
        }
        nodePath.append(path)
        keys.appendNode()
        nodeElement.append(-1)
        var role: UInt8 = 0
        var elements: [Int]? = nil
        func take(_ rolePath: RolePath?, _ bit: UInt8) -> Bool {
            guard let rolePath else { return false }
            let m = rolePath.match(path)
            guard m.matches else { return false }
            role |= bit
            if m.indexed { elements = rolePath.elements }
            return true
        }
        _ = take(labelPath, Self.roleLabel)
        _ = take(splitPath, Self.roleSplit)
        _ = take(sourcePath, Self.roleSource)
        let ti = textPaths.firstIndex { take($0, Self.roleText) }
        if let elements {
            role |= Self.roleIndexed
            roleElements[id] = elements
        }
        if path == Dataset.derivedSplitField { role |= Self.roleDerivedSplitKey }
        if path == Dataset.derivedSourceField { role |= Self.roleDerivedSourceKey }
        nodeRole.append(role)
        counts.append()
        let counter = ByteCounter(cap: FieldStats.valueCap)
        counters.append(counter)
        sketches.append()
        let lengths = Tally()
        arrayLengths.append(lengths)
        let pairs = PairCounts()
        cross.append(pairs)
        nodeInfo.append(NodeInfo(role: role, textIndex: Int8(ti ?? -1), isElement: path.contains("[]"),
                                 counter: .passUnretained(counter), cross: .passUnretained(pairs),
                                 lengths: .passUnretained(lengths)))
        if hasIndexedRoles { nodeArrayDepth[id] = path.ranges(of: "[]").count }
        fieldOrder.append(id)
        return id
    }

    // MARK: roles inside arrays

    private let labelPath: RolePath?, splitPath: RolePath?, sourcePath: RolePath?
    private let textPaths: [RolePath]
    /// Whether a role path names array elements (`instances[0].output`): only then do
    /// elements check what they hold.
    private let hasIndexedRoles: Bool
    /// For nodes with `roleIndexed`: the element of each array around them their role
    /// value must be in (-1: any), outermost first.
    private var roleElements: [Int32: [Int]] = [:]
    /// With indexed roles: per node, how many arrays are around it (the `[]` in its path),
    /// which is the place of its own elements in a `roleElements` list.
    private var nodeArrayDepth: [Int32: Int] = [:]

    /// The role values in element `element` of array `node` (its events from `first`)
    /// that their role path wants from another element count as field values only.
    private mutating func denyRoleValues(from first: Int, array node: Int32, element: Int) {
        guard let depth = nodeArrayDepth[node] else { return }
        for k in first..<events.count {
            let n = events.base[k].node
            guard nodeRole[Int(n)] & Self.roleIndexed != 0, let wanted = roleElements[n], depth < wanted.count else { continue }
            if wanted[depth] >= 0 && wanted[depth] != element { events.base[k].roleDenied = true }
        }
    }

    private var fieldOrder: [Int32] = []
    /// label entry << 32 | value entry → count, per node, while the node has few values.
    private var cross: [PairCounts]
    private var crossSeenInRecord: [Int64] = []
    /// Text lengths (characters, words) per label entry + 1 (0: no label).
    private var textByLabel: [(chars: Tally, words: Tally)] = []
    /// Scratch for the abbreviated table key of a long value.
    private var longKey: [UInt8] = []

    // MARK: scanning

    @inline(__always) private func byte(_ i: Int) -> UInt8 { base.load(fromByteOffset: i, as: UInt8.self) }

    /// JSON whitespace within a line: a newline ends the record (a record's line holds none,
    /// so this only matters where the scan finds lines itself, `scanLine`).
    @inline(__always) private mutating func skipSpace() {
        while pos < end {
            let b = byte(pos)
            guard b == 0x20 || b == 0x09 || b == 0x0D else { return }
            pos += 1
        }
    }

    /// Parse the object starting at `from` (after spaces), into the record's events; `pos`
    /// is then past the spaces following it.
    private mutating func parseTopLevel(from: Int, to: Int, derives: Bool) -> Bool {
        self.derives = derives
        pos = from
        end = to
        events.removeAll()
        scratch.removeAll()
        sawSplitKey = false
        sawSourceKey = false
        skipSpace()
        guard pos < end, byte(pos) == UInt8(ascii: "{") else { return false }
        guard parseObject(node: 0, depth: 0, topLevel: true) else { return false }
        skipSpace()
        return true
    }

    /// Scan one record occupying `[from, to)`. Returns false (adding nothing) if it is not
    /// a valid JSON object; the caller then asks the full parser for the reason.
    mutating func scanRecord(from: Int, to: Int, index: Int, derivedSplit: [UInt8]?, derivedSource: [UInt8]?) -> Bool {
        guard parseTopLevel(from: from, to: to, derives: derivedSplit != nil || derivedSource != nil), pos == end
        else { return false }
        finishRecord(index: index, derivedSplit: derivedSplit, derivedSource: derivedSource)
        return true
    }

    /// Scan the record on the line starting at `from`, finding the line's end on the way
    /// (the index is not used): the offset of the newline ending it (or `limit`, the end of
    /// the file). Nil (adding nothing) if the line is not one valid JSON object; the caller
    /// then finds the line's end and asks the full parser. Nothing valid spans a newline:
    /// a string stops at any control byte, and spaces stop at one.
    mutating func scanLine(from: Int, limit: Int, index: Int, derivedSplit: [UInt8]?, derivedSource: [UInt8]?) -> Int? {
        guard parseTopLevel(from: from, to: limit, derives: derivedSplit != nil || derivedSource != nil),
              pos == end || byte(pos) == Bytes.newline else { return nil }
        finishRecord(index: index, derivedSplit: derivedSplit, derivedSource: derivedSource)
        return pos
    }

    /// Add the derived split and source (unless the record has such fields) and commit.
    private mutating func finishRecord(index: Int, derivedSplit: [UInt8]?, derivedSource: [UInt8]?) {
        if let d = derivedSplit, !sawSplitKey {
            let id = topLevelNode(Dataset.derivedSplitField)
            events.append(Event(node: id, kind: .string, inScratch: true, offset: scratch.count, length: d.count))
            scratch.append(contentsOf: d)
        }
        if let d = derivedSource, !sawSourceKey {
            let id = topLevelNode(Dataset.derivedSourceField)
            events.append(Event(node: id, kind: .string, inScratch: true, offset: scratch.count, length: d.count))
            scratch.append(contentsOf: d)
        }
        commit(record: index)
    }

    // MARK: CSV and TSV

    /// Trie nodes of the columns of the delimited file being scanned (`col1`... past the header).
    private var columnNodes: [Int32] = []
    private var columnNames: [String] = []

    /// Scan one CSV/TSV record occupying `[from, to)`, exactly as `DelimitedParser.fields`
    /// splits it. Returns nil (adding nothing) when the record is broken or not valid UTF-8;
    /// otherwise the number of fields (the caller warns when it differs from the header's).
    mutating func scanDelimitedRecord(from: Int, to: Int, index: Int, layout: FileLayout,
                                      derivedSplit: [UInt8]?, derivedSource: [UInt8]?) -> Int? {
        events.removeAll()
        scratch.removeAll()
        sawSplitKey = false
        sawSourceKey = false
        if columnNames != layout.columns {
            columnNames = layout.columns
            columnNodes = layout.columns.map { topLevelNode($0) }
        }
        var e = to
        while e > from, byte(e - 1) == Bytes.newline || byte(e - 1) == Bytes.cr { e -= 1 }
        // A NUL byte makes the record malformed (`DelimitedParser.fields` says why).
        if e > from, memchr(base + from, 0, e - from) != nil { return nil }
        let delimiter = layout.delimiter
        let quoted = layout.quoting == .csv
        var i = from
        var field = 0
        @inline(__always) func node(_ k: Int) -> Int32 {
            if k < columnNodes.count { return columnNodes[k] }
            return topLevelNode("col\(k + 1)")
        }
        @inline(__always) func valid(_ p: UnsafeRawPointer, _ n: Int) -> Bool {
            var k = 0
            while k + 8 <= n {
                if p.loadUnaligned(fromByteOffset: k, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 {
                    return UTF8Validation.firstInvalid(UnsafeRawBufferPointer(start: p, count: n)) == nil
                }
                k += 8
            }
            while k < n {
                if p.load(fromByteOffset: k, as: UInt8.self) >= 0x80 {
                    return UTF8Validation.firstInvalid(UnsafeRawBufferPointer(start: p, count: n)) == nil
                }
                k += 1
            }
            return true
        }
        func emit(_ k: Int, inScratch: Bool, offset: Int, length: Int) {
            let id = node(k)
            let r = nodeRole[Int(id)]
            if r & Self.roleDerivedSplitKey != 0 { sawSplitKey = true }
            if r & Self.roleDerivedSourceKey != 0 { sawSourceKey = true }
            events.append(Event(node: id, kind: .string, inScratch: inScratch, offset: offset, length: length))
        }
        while true {
            if quoted, i < e, byte(i) == Bytes.quote {
                let off = scratch.count
                var j = i + 1
                var closed = false
                while j < e {
                    let q = memchr(base + j, Int32(Bytes.quote), e - j)
                    let qi = q.map { base.distance(to: UnsafeRawPointer($0)) } ?? e
                    scratch.append((base + j).assumingMemoryBound(to: UInt8.self), count: qi - j)
                    j = qi
                    if j >= e { break }
                    if j + 1 < e, byte(j + 1) == Bytes.quote { scratch.append(Bytes.quote); j += 2; continue }
                    closed = true
                    j += 1
                    break
                }
                if !closed { return nil }
                while j < e, byte(j) != delimiter { scratch.append(byte(j)); j += 1 }
                let n = scratch.count - off
                let ok = n == 0 || valid(UnsafeRawPointer(scratch.base + off), n)
                if !ok { return nil }
                emit(field, inScratch: true, offset: off, length: n)
                i = j
            } else {
                let d = memchr(base + i, Int32(delimiter), e - i)
                let j = d.map { base.distance(to: UnsafeRawPointer($0)) } ?? e
                var fe = j
                if fe > i, byte(fe - 1) == Bytes.cr { fe -= 1 }
                if !valid(base + i, fe - i) { return nil }
                emit(field, inScratch: false, offset: i, length: fe - i)
                i = j
            }
            field += 1
            if i >= e { break }
            i += 1
            if i == e { emit(field, inScratch: false, offset: i, length: 0); field += 1; break }
        }
        finishRecord(index: index, derivedSplit: derivedSplit, derivedSource: derivedSource)
        return field
    }

    /// Whether `[from, to)` is a valid JSON object, counting nothing.
    mutating func isValidRecord(from: Int, to: Int) -> Bool {
        parseTopLevel(from: from, to: to, derives: false) && pos == end
    }

    private mutating func topLevelNode(_ name: String) -> Int32 {
        var n = name
        return n.withUTF8 { child(of: 0, keyAt: UnsafeRawPointer($0.baseAddress!), length: $0.count) }
    }

    private mutating func parseValue(node: Int32, depth: Int) -> Bool {
        guard pos < end else { return false }
        let b = byte(pos)
        switch b {
        case Bytes.quote:
            return parseStringValue(node: node)
        case UInt8(ascii: "{"):
            return parseObject(node: node, depth: depth, topLevel: false)
        case UInt8(ascii: "["):
            return parseArray(node: node, depth: depth)
        case UInt8(ascii: "t"):
            return literal("true", node: node, kind: .bool)
        case UInt8(ascii: "f"):
            return literal("false", node: node, kind: .bool)
        case UInt8(ascii: "n"):
            return literal("null", node: node, kind: .null)
        default:
            return parseNumber(node: node)
        }
    }

    private mutating func literal(_ word: StaticString, node: Int32, kind: FieldKind) -> Bool {
        let n = word.utf8CodeUnitCount
        guard pos + n <= end, memcmp(base + pos, word.utf8Start, n) == 0 else { return false }
        events.append(Event(node: node, kind: kind, inScratch: false, offset: pos, length: n))
        pos += n
        return true
    }

    private mutating func digits() -> Int {
        let s = pos
        while pos < end, byte(pos) &- UInt8(ascii: "0") < 10 { pos += 1 }
        return pos - s
    }

    private mutating func parseNumber(node: Int32) -> Bool {
        let start = pos
        if byte(pos) == UInt8(ascii: "-") { pos += 1 }
        guard digits() > 0 else { return false }
        if pos < end, byte(pos) == UInt8(ascii: ".") {
            pos += 1
            guard digits() > 0 else { return false }
        }
        if pos < end, byte(pos) | 0x20 == UInt8(ascii: "e") {
            pos += 1
            if pos < end, byte(pos) == UInt8(ascii: "+") || byte(pos) == UInt8(ascii: "-") { pos += 1 }
            guard digits() > 0 else { return false }
        }
        events.append(Event(node: node, kind: .number, inScratch: false, offset: start, length: pos - start))
        return true
    }

    /// The string opening at `pos`, validated, with `pos` moved past it: where its content
    /// is, in place or (when it holds escapes) decoded onto the end of scratch, and the
    /// control characters its escapes gave.
    private mutating func scanString() -> (offset: Int, length: Int, inScratch: Bool, controls: TextKernels.Controls)? {
        let start = pos + 1
        guard let (stop, high) = TextKernels.stringBody(base, from: start, end: end) else { return nil }
        var close = stop, anyHigh = high, controls = TextKernels.Controls.absent
        let escaped = byte(stop) == Bytes.backslash
        let off = scratch.count
        if escaped {
            // Decoded while the rest of the body is scanned.
            scratch.append((base + start).assumingMemoryBound(to: UInt8.self), count: stop - start)
            guard let rest = TextKernels.unescape(base, escape: stop, end: end, into: scratch) else { return nil }
            close = rest.close
            anyHigh = high || rest.high
            controls = rest.controls
        }
        // Non-ASCII must be valid UTF-8.
        if anyHigh, UTF8Validation.firstInvalid(UnsafeRawBufferPointer(start: base + start, count: close - start)) != nil {
            return nil
        }
        pos = close + 1
        return escaped ? (off, scratch.count - off, true, controls) : (start, close - start, false, .absent)
    }

    private mutating func parseStringValue(node: Int32) -> Bool {
        guard let s = scanString() else { return false }
        events.append(Event(node: node, kind: .string, inScratch: s.inScratch, controls: s.controls, offset: s.offset, length: s.length))
        return true
    }

    private mutating func parseObject(node: Int32, depth: Int, topLevel: Bool) -> Bool {
        guard depth < JSONParser.maxDepth else { return false }
        let start = pos
        let eventIndex = events.count
        if !topLevel {
            events.append(Event(node: node, kind: .object, inScratch: false, offset: start, length: 0))
        }
        pos += 1
        skipSpace()
        var members = 0
        if pos < end, byte(pos) == UInt8(ascii: "}") {
            pos += 1
        } else {
            while true {
                guard pos < end else { return false }
                if byte(pos) != Bytes.quote {
                    skipSpace()
                    guard pos < end, byte(pos) == Bytes.quote else { return false }
                }
                // Usually the key the trie expects next: matched in place, not scanned.
                var (keyNode, keyLength) = keys.predicted(parent: node, base + pos + 1, available: end - pos - 1)
                if keyNode >= 0 {
                    pos += keyLength + 2
                } else {
                    guard let k = scanString() else { return false }
                    if k.inScratch {
                        keyNode = child(of: node, keyAt: UnsafeRawPointer(scratch.base + k.offset), length: k.length)
                        scratch.removeLast(k.length)
                    } else {
                        keyNode = child(of: node, keyAt: base + k.offset, length: k.length)
                    }
                }
                if topLevel && derives {
                    let r = nodeRole[Int(keyNode)]
                    if r & Self.roleDerivedSplitKey != 0 { sawSplitKey = true }
                    if r & Self.roleDerivedSourceKey != 0 { sawSourceKey = true }
                }
                // Usually right after the key.
                if pos < end, byte(pos) == UInt8(ascii: ":") {
                    pos += 1
                } else {
                    skipSpace()
                    guard pos < end, byte(pos) == UInt8(ascii: ":") else { return false }
                    pos += 1
                }
                skipSpace()
                guard parseValue(node: keyNode, depth: depth + 1) else { return false }
                members += 1
                skipSpace()
                guard pos < end else { return false }
                let b = byte(pos)
                pos += 1
                if b == UInt8(ascii: ",") { continue }
                if b == UInt8(ascii: "}") { break }
                return false
            }
        }
        if !topLevel {
            events[eventIndex].length = pos   // end offset, for re-reading a container role value
            if members == 0 { events[eventIndex].inScratch = true }  // marks an empty object
        }
        return true
    }

    private mutating func parseArray(node: Int32, depth: Int) -> Bool {
        guard depth < JSONParser.maxDepth else { return false }
        let eventIndex = events.count
        events.append(Event(node: node, kind: .array, inScratch: false, offset: pos, length: 0))
        pos += 1
        skipSpace()
        var count = 0
        if pos < end, byte(pos) == UInt8(ascii: "]") {
            pos += 1
        } else {
            let el = element(of: node)
            while true {
                skipSpace()
                let first = events.count
                guard parseValue(node: el, depth: depth + 1) else { return false }
                if hasIndexedRoles { denyRoleValues(from: first, array: node, element: count) }
                count += 1
                skipSpace()
                guard pos < end else { return false }
                let b = byte(pos)
                pos += 1
                if b == UInt8(ascii: ",") { continue }
                if b == UInt8(ascii: "]") { break }
                return false
            }
        }
        events[eventIndex].length = count
        return true
    }

    // MARK: committing a record

    /// Cross-tab updates of the record being committed, applied once its label is known.
    private struct PendingCross: BitwiseCopyable {
        var node: Int32
        var entry: Int32
    }
    private let pendingCross = ScanBuffer<PendingCross>(capacity: 16)

    /// One pass over the record's events: every field's counts, and the role values (the
    /// first occurrence of a role field decides) as they come. Cross-tab counts wait for the
    /// end, when the record's label is known.
    private mutating func commit(record: Int) {
        records += 1
        if !crossSeenInRecord.isEmpty { crossSeenInRecord.removeAll(keepingCapacity: true) }
        pendingCross.removeAll()
        var label: Int32 = -1, split: Int32 = -1, source: Int32 = -1
        var labelSeen = false, splitSeen = false, sourceSeen = false
        var textSeen: UInt64 = 0
        var textParts = 0, chars = 0, words = 0
        // Past the cap there are no breakdowns by label (`StatsAccumulator.dropLabelBreakdownsPastCap`).
        let trackCross = roles.label != nil && labels.count <= StatsAccumulator.labelBreakdownCap
        if hasAliases {
            for k in 0..<events.count { events.base[k].node = canonicalNode[Int(events.base[k].node)] }
        }
        let sbase: UnsafeRawPointer? = UnsafeRawPointer(scratch.base)
        let overflow = self.overflow
        for k in 0..<events.count {
            let e = events.base[k]
            let n = Int(e.node)
            let info = nodeInfo.base + n
            let c = counts.row(n)
            let repeated = c[NodeCounts.lastRecord] == record
            // A key repeated in one object (or a path spelled twice): the first counts, for
            // the field as for the roles. Array elements and the overflow bucket repeat by
            // design (`FieldStats.repeats`).
            if repeated && !info.pointee.isElement && e.node != overflow { continue }
            c[NodeCounts.kinds + Self.kindIndex(e.kind)] += 1
            let r = e.roleDenied ? 0 : info.pointee.role & Self.valueRoles
            if e.kind == .null {
                if r != 0 {
                    if r & Self.roleLabel != 0 { labelSeen = true }
                    if r & Self.roleSplit != 0 { splitSeen = true }
                    if r & Self.roleSource != 0 { sourceSeen = true }
                    if r & Self.roleText != 0 { textSeen |= 1 << UInt64(info.pointee.textIndex) }
                }
                continue
            }
            let p = e.inScratch && e.kind != .object ? sbase.map { $0 + e.offset } : base + e.offset
            if !repeated {
                c[NodeCounts.lastRecord] = record
                c[NodeCounts.present] += 1
                switch e.kind {
                case .array: if e.length == 0 { c[NodeCounts.empty] += 1 }
                case .object: if e.inScratch { c[NodeCounts.empty] += 1 }
                case .string: if Self.isBlank(p, e.length) { c[NodeCounts.empty] += 1 }
                default: break
                }
            }
            var field: (hash: UInt64, entry: Int32) = (0, -1)
            switch e.kind {
            case .array:
                info.pointee.lengths._withUnsafeGuaranteedRef { $0.add(e.length) }
            case .object:
                break
            default:
                field = fieldValue(node: n, p, e.length)
                let counter = info.pointee.counter
                // Values in the table reach the distinct-count sketch when the counts are
                // handed over (`accumulator()`); only those turned away go now.
                if field.entry < 0 { HyperLogLog.add(hash: field.hash, to: sketches.registers(n)) }
                if trackCross && !info.pointee.crossDropped {
                    if field.entry < 0 || counter._withUnsafeGuaranteedRef({ $0.count }) > StatsAccumulator.crossTabCap {
                        info.pointee.crossDropped = true
                    } else if !info.pointee.isElement || firstInRecord(node: e.node, value: field.entry) {
                        pendingCross.append(PendingCross(node: e.node, entry: field.entry))
                    }
                }
            }
            guard r != 0 else { continue }
            // A role value: a container is re-read as compact JSON.
            var valueBytes: [UInt8]? = nil
            if e.kind == .array || e.kind == .object {
                let end = e.kind == .object ? e.length : containerEnd(from: e.offset)
                let v = (try? JSONParser.parsePrefix(UnsafeRawBufferPointer(start: base + e.offset, count: end - e.offset)))
                valueBytes = Array((v?.compactJSON ?? "").utf8)
            }
            let blank = e.kind == .string && Self.isBlank(p, e.length)
            if r & Self.roleLabel != 0 && !labelSeen {
                labelSeen = true
                if !blank { label = Self.roleEntry(labels, labelOf, valueBytes, p, e.length, field) }
            }
            if r & Self.roleSplit != 0 && !splitSeen {
                splitSeen = true
                if !blank { split = Self.roleEntry(splits, splitOf, valueBytes, p, e.length, field) }
            }
            if r & Self.roleSource != 0 && !sourceSeen {
                sourceSeen = true
                if !blank { source = Self.roleEntry(sources, sourceOf, valueBytes, p, e.length, field) }
            }
            if r & Self.roleText != 0 {
                let bit: UInt64 = 1 << UInt64(info.pointee.textIndex)
                if textSeen & bit == 0 {
                    textSeen |= bit
                    textParts += 1
                    let m: (chars: Int, words: Int)
                    if let vb = valueBytes {
                        m = vb.withUnsafeBytes { TextKernels.measure($0.baseAddress!, vb.count) }
                    } else {
                        m = TextKernels.measure(p ?? base, e.length, controls: e.controls)
                    }
                    chars += m.chars
                    words += m.words
                }
            }
        }
        for i in 0..<pendingCross.count {
            let x = pendingCross.base[i]
            nodeInfo.base[Int(x.node)].cross._withUnsafeGuaranteedRef { $0.add(x.entry, label: label) }
        }
        if roles.label != nil {
            if label < 0 { unlabelled += 1 }
        }
        if roles.split != nil {
            let s = split < 0 ? missingSplit() : split
            labelBySplit.add(s, label: label)
        }
        if roles.source != nil {
            let s = source < 0 ? missingSource() : source
            labelBySource.add(s, label: label)
        }
        if !roles.text.isEmpty {
            if textParts == 0 {
                missingTexts += 1
            } else {
                chars += textParts - 1
                textChars.add(chars)
                textWords.add(words)
                if words == 0 { emptyTexts += 1 }
                if trackCross {
                    let l = Int(label) + 1
                    while l >= textByLabel.count { textByLabel.append((Tally(), Tally())) }
                    textByLabel[l].chars.add(chars)
                    textByLabel[l].words.add(words)
                }
            }
        }
    }

    /// A role value's entry in its role table `c`. A scalar's entry in its field's own table
    /// (`field`, already counted there) usually gives it through `map` without a lookup.
    @inline(__always)
    private static func roleEntry(_ c: ByteCounter, _ map: EntryMap, _ valueBytes: [UInt8]?, _ p: UnsafeRawPointer?,
                           _ length: Int, _ field: (hash: UInt64, entry: Int32)) -> Int32 {
        if let vb = valueBytes {
            return vb.withUnsafeBytes { c.add($0.baseAddress, vb.count, hash: StableHash.hash($0), n: 1) }
        }
        if field.entry >= 0 {
            let known = map[field.entry]
            if known >= 0 {
                c.add(entry: known)
                return known
            }
        }
        // The field's table hashed the same bytes.
        let x = c.add(p, length, hash: field.hash, n: 1)
        if field.entry >= 0 { map[field.entry] = x }
        return x
    }

    /// Count a scalar value in its field's table: the value's hash, and its entry (-1 when
    /// the table is full and does not hold it).
    @inline(__always)
    private mutating func fieldValue(node n: Int, _ p: UnsafeRawPointer?, _ length: Int) -> (hash: UInt64, entry: Int32) {
        let h = StableHash.hash(p ?? base, length)
        let counter = nodeInfo.base[n].counter
        guard length > FieldStats.longValue else {
            return (h, counter._withUnsafeGuaranteedRef { $0.add(p, length, hash: h) })
        }
        // Built only if the table may hold it (a full table turns most away).
        if counter._withUnsafeGuaranteedRef({ $0.turnsAway(hash: h) }) { return (h, -1) }
        longKey.removeAll(keepingCapacity: true)
        FieldStats.appendTableKey(UnsafeRawBufferPointer(start: p, count: length), hash: h, to: &longKey)
        // The key ends in the value's hash, which therefore identifies it too.
        return (h, longKey.withUnsafeBytes { k in counter._withUnsafeGuaranteedRef { $0.add(k.baseAddress, k.count, hash: h) } })
    }

    /// Array elements count once per record and value in cross-tabs (as in
    /// `StatsAccumulator.addField`): whether (node, value) is new in this record.
    private mutating func firstInRecord(node: Int32, value: Int32) -> Bool {
        let pair = Int64(node) << 32 | Int64(value)
        if crossSeenInRecord.contains(pair) { return false }
        crossSeenInRecord.append(pair)
        return true
    }

    private static let missingKey = Array(StatsAccumulator.missingLabel.utf8)

    private mutating func missingSplit() -> Int32 {
        Self.missingKey.withUnsafeBytes { splits.add($0.baseAddress, $0.count, hash: StableHash.hash($0)) }
    }

    private mutating func missingSource() -> Int32 {
        Self.missingKey.withUnsafeBytes { sources.add($0.baseAddress, $0.count, hash: StableHash.hash($0)) }
    }

    /// End offset of the (valid) array starting at `from`.
    private func containerEnd(from: Int) -> Int {
        var p = JSONParser(UnsafeRawBufferPointer(start: base + from, count: end - from))
        _ = try? p.parseValue(depth: 0)
        return from + p.pos
    }

    @inline(__always) static func kindIndex(_ k: FieldKind) -> Int {
        switch k {
        case .null: 0
        case .bool: 1
        case .number: 2
        case .string: 3
        case .array: 4
        case .object: 5
        }
    }

    /// Whitespace-only (or empty) text, as `Character.isWhitespace` judges it.
    @inline(__always)
    static func isBlank(_ p: UnsafeRawPointer?, _ n: Int) -> Bool {
        guard let p, n > 0 else { return true }
        // Most values start with a visible ASCII character: answered without a call.
        let b = p.load(as: UInt8.self)
        if b > 0x20 && b < 0x80 { return false }
        return isBlankScan(p, n)
    }

    private static func isBlankScan(_ p: UnsafeRawPointer, _ n: Int) -> Bool {
        for i in 0..<n {
            let b = p.load(fromByteOffset: i, as: UInt8.self)
            if b >= 0x80 {
                return String(decoding: UnsafeRawBufferPointer(start: p, count: n), as: UTF8.self).allSatisfy(\.isWhitespace)
            }
            if !(b == 0x20 || (b >= 0x09 && b <= 0x0D)) { return false }
        }
        return true
    }

    /// Reference for tests: Unicode scalars and `isWhitespace` from the standard library.
    static func measureScalars(_ p: UnsafeRawPointer, _ n: Int) -> (chars: Int, words: Int) {
        let s = String(decoding: UnsafeRawBufferPointer(start: p, count: n), as: UTF8.self)
        var chars = 0, words = 0
        var inWord = false
        for u in s.unicodeScalars {
            chars += 1
            if u.properties.isWhitespace { inWord = false } else if !inWord { inWord = true; words += 1 }
        }
        return (chars, words)
    }

    // MARK: results

    /// The counts as a `StatsAccumulator` (string-keyed, mergeable with other chunks).
    /// With `repeatsOnly`, a full value table hands over only its values counted more than
    /// once, as `FieldStats.keepRepeatsIfTruncated` would leave it (no strings are made for
    /// the rest).
    func accumulator(repeatsOnly: Bool = true) -> StatsAccumulator {
        var acc = StatsAccumulator()
        acc.records = records
        for id in fieldOrder {
            let n = Int(id)
            let c = counts.row(n)
            // A path met only in records that turned out malformed is no field.
            if (0..<6).allSatisfy({ c[NodeCounts.kinds + $0] == 0 }) { continue }
            var f = FieldStats(path: nodePath[n])
            f.present = c[NodeCounts.present]
            for (k, kind) in [FieldKind.null, .bool, .number, .string, .array, .object].enumerated()
            where c[NodeCounts.kinds + k] > 0 {
                f.kinds[kind] = c[NodeCounts.kinds + k]
            }
            f.empty = c[NodeCounts.empty]
            // A full table hands over its repeats only (`FieldStats.keepRepeatsIfTruncated`).
            f.values = counters[n].dictionary(minCount: repeatsOnly && counters[n].truncated ? 2 : 1)
            f.valuesTruncated = counters[n].truncated
            if counters[n].count > 0 {
                let r = sketches.registers(n)
                for i in 0..<counters[n].count { HyperLogLog.add(hash: counters[n].hash(at: i), to: r) }
            }
            if let r = sketches.existing(n) { f.sketch = HyperLogLog(registers: r) }
            f.arrayLengths = arrayLengths[n].histogram
            acc.fields[f.path] = f
            acc.fieldOrder.append(f.path)
        }
        acc.labels = labels.dictionary()
        acc.unlabelled = unlabelled
        acc.labelField = roles.label
        acc.splitField = roles.split
        acc.sourceField = roles.source
        let labelNames = (0..<labels.count).map { labels.key($0) }
        func labelName(_ i: Int64) -> String { i < 0 ? StatsAccumulator.missingLabel : labelNames[Int(i)] }
        if roles.label != nil && labels.count <= StatsAccumulator.labelBreakdownCap {
            for id in fieldOrder {
                let n = Int(id)
                let path = nodePath[n]
                if nodeInfo[n].crossDropped {
                    acc.crossTabDropped.insert(path)
                    continue
                }
                cross[n].forEach { v, l, c in
                    acc.labelByValue[path, default: [:]][counters[n].key(v), default: [:]][labelName(l), default: 0] += c
                }
            }
            for (l, t) in textByLabel.enumerated() {
                let chars = t.chars.histogram
                guard chars.total > 0 else { continue }
                acc.textCharsByLabel[labelName(Int64(l - 1))] = chars
                acc.textWordsByLabel[labelName(Int64(l - 1))] = t.words.histogram
            }
        }
        if roles.split != nil {
            let names = (0..<splits.count).map { splits.key($0) }
            labelBySplit.forEach { si, l, c in
                let s = names[si]
                acc.splits[s, default: 0] += c
                acc.labelBySplit[s, default: [:]][labelName(l), default: 0] += c
            }
        }
        if roles.source != nil {
            let names = (0..<sources.count).map { sources.key($0) }
            labelBySource.forEach { si, l, c in
                let s = names[si]
                acc.sources[s, default: 0] += c
                acc.labelBySource[s, default: [:]][labelName(l), default: 0] += c
            }
        }
        acc.textChars = textChars.histogram
        acc.textWords = textWords.histogram
        acc.emptyTexts = emptyTexts
        acc.missingTexts = missingTexts
        return acc
    }
}

/// Counts of (entry, label entry) pairs: a dense matrix for the usual small tables,
/// a dictionary past them. Label entry -1 is "no label". A class over manually managed
/// memory, like `ByteCounter`: it is updated for every value the scan cross-tabulates.
final class PairCounts {
    private var dense: UnsafeMutablePointer<Int>
    private var rows = 0, columns = 0
    private var sparse: [Int64: Int] = [:]
    static let denseRows = 256, denseColumns = 4096

    init() {
        dense = .allocate(capacity: 0)
    }

    deinit { dense.deallocate() }

    @inline(__always)
    func add(_ entry: Int32, label: Int32) {
        let a = Int(entry), l = Int(label) + 1
        if a < rows && l < columns {
            dense[a * columns + l] += 1
        } else if a < Self.denseRows && l < Self.denseColumns {
            widen(rows: a + 1, columns: l + 1)
            dense[a * columns + l] += 1
        } else {
            sparse[Int64(label) << 32 | Int64(entry), default: 0] += 1
        }
    }

    private func widen(rows r: Int, columns c: Int) {
        let newRows = r > rows ? min(Self.denseRows, max(r, rows * 2, 4)) : rows
        let newColumns = c > columns ? min(Self.denseColumns, max(c, columns * 2, 16)) : columns
        let d = UnsafeMutablePointer<Int>.allocate(capacity: newRows * newColumns)
        d.initialize(repeating: 0, count: newRows * newColumns)
        for a in 0..<rows {
            for l in 0..<columns { d[a * newColumns + l] = dense[a * columns + l] }
        }
        dense.deallocate()
        dense = d
        rows = newRows
        columns = newColumns
    }

    /// (entry, label entry, count) for every non-zero pair.
    func forEach(_ body: (Int, Int64, Int) -> Void) {
        for a in 0..<rows {
            for l in 0..<columns where dense[a * columns + l] > 0 { body(a, Int64(l - 1), dense[a * columns + l]) }
        }
        for (k, c) in sparse { body(Int(UInt32(truncatingIfNeeded: k)), k >> 32, c) }
    }
}

/// Entries of one table for the entries of another (-1: not known yet), growing as needed.
final class EntryMap {
    private var map: UnsafeMutablePointer<Int32> = .allocate(capacity: 0)
    private var capacity = 0

    deinit { map.deallocate() }

    subscript(i: Int32) -> Int32 {
        @inline(__always) get { Int(i) < capacity ? map[Int(i)] : -1 }
        set {
            let n = Int(i)
            if n >= capacity {
                let c = max(n + 1, capacity * 2, 64)
                map = map.grown(moving: capacity, to: c)
                (map + capacity).initialize(repeating: -1, count: c - capacity)
                capacity = c
            }
            map[n] = newValue
        }
    }
}

/// The scalar counts of every trie node in one manually managed block, so the per-value
/// updates in `commit` are plain stores (no copy-on-write checks on Swift arrays).
final class NodeCounts {
    static let present = 0, lastRecord = 1, empty = 2, kinds = 3, stride = 9
    private var base: UnsafeMutablePointer<Int>
    private var capacity = 16
    private(set) var count = 0

    init() {
        base = .allocate(capacity: capacity * Self.stride)
        append()
    }

    deinit { base.deallocate() }

    func append() {
        if count == capacity {
            capacity *= 2
            base = base.grown(moving: count * Self.stride, to: capacity * Self.stride)
        }
        let row = base + count * Self.stride
        row.initialize(repeating: 0, count: Self.stride)
        row[Self.lastRecord] = -1
        count += 1
    }

    @inline(__always) func row(_ n: Int) -> UnsafeMutablePointer<Int> { base + n * Self.stride }
}

/// HyperLogLog registers per trie node, allocated on a node's first value. The block
/// pointers sit in a `ScanBuffer`: kept in a Swift array they cost a dynamic exclusivity
/// check (a runtime call) on every value that reaches a sketch.
final class NodeSketches {
    private let blocks = ScanBuffer<UnsafeMutablePointer<UInt8>?>(capacity: 16)

    init() { append() }

    func append() { blocks.append(nil) }

    @inline(__always) func registers(_ n: Int) -> UnsafeMutablePointer<UInt8> {
        if let b = blocks[n] { return b }
        let b = UnsafeMutablePointer<UInt8>.allocate(capacity: HyperLogLog.m)
        b.initialize(repeating: 0, count: HyperLogLog.m)
        blocks[n] = b
        return b
    }

    func existing(_ n: Int) -> UnsafeBufferPointer<UInt8>? {
        blocks[n].map { UnsafeBufferPointer(start: $0, count: HyperLogLog.m) }
    }

    deinit { for i in 0..<blocks.count { blocks[i]?.deallocate() } }
}
