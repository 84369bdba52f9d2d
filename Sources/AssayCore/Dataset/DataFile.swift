import Synchronization

/// One file of a dataset: its bytes (mapped read-only), how it is laid out, the
/// split and source its name gives, and its record index.
public final class DataFile: Sendable {
    /// The path as the user named it, or as found under a named folder.
    public let path: String
    public let layout: FileLayout
    /// Split taken from the file name (`train`, `valid`, `test`), if any.
    public let splitFromName: String?
    /// Source taken from the folder or file name (`--source-from`), if asked for.
    public let sourceFromName: String?
    /// Things worth telling the user about this file (encoding fallback, ...).
    public let notices: [String]
    public let index: RecordIndex

    let mapped: MappedFile
    /// First byte of data (after a BOM and a header row).
    let dataStart: Int
    let dataStartLine: Int
    let lineRegex: LineRegex?
    private let shape = Mutex(IndexBuilder.DocumentShape())

    init(path: String, mapped: MappedFile, layout: FileLayout, splitFromName: String?,
         sourceFromName: String?, notices: [String]) throws(DatasetError) {
        self.path = path
        self.mapped = mapped
        self.splitFromName = splitFromName
        self.sourceFromName = sourceFromName
        var layout = layout
        var notices = notices
        var start = layout.bomLength
        var startLine = 1
        if let pattern = layout.lineRegex {
            do {
                let r = try LineRegex(pattern)
                lineRegex = r
                layout.columns = r.names
            } catch {
                throw .usage("--line-regex: \(error)")
            }
        } else {
            lineRegex = nil
        }
        if (layout.format == .csv || layout.format == .tsv) && layout.hasHeader, let base = mapped.base {
            // The header is the first line that is not blank.
            if let (lineStart, _) = Bytes.firstNonBlankLine(mapped.bytes, from: start) {
                startLine += Bytes.countNewlines(in: base, from: start, to: lineStart)
                start = lineStart
            }
            let (next, _) = DelimitedParser.recordEnd(base, from: start, to: mapped.size,
                                                      quoting: layout.quoting, delimiter: layout.delimiter)
            startLine += Bytes.countNewlines(in: base, from: start, to: next)
            start = next
        }
        if layout.format == .lines && layout.columns.isEmpty { layout.columns = ["text"] }
        if mapped.size > 0, layout.format == .lines, lineRegex == nil {
            notices.append("no delimiter found; each line is one record with a `text` field")
        }
        self.layout = layout
        self.dataStart = start
        self.dataStartLine = startLine
        self.index = RecordIndex(totalBytes: mapped.size)
        self.notices = notices
    }

    public var size: Int { mapped.size }

    /// Build the index (blocking). `releasePages` keeps a full scan's resident set small;
    /// `sampleOnly` indexes only the first records of a JSON Lines file; past its first
    /// segment, a line-format file's build pauses while `waitWhile` says so.
    func buildIndex(releasePages: Bool, sampleOnly: Bool, waitWhile: @escaping @Sendable () -> Bool = { false }) {
        let s = IndexBuilder.build(mapped, layout: layout, dataStart: dataStart, dataStartLine: dataStartLine,
                                   index: index, releasePages: releasePages, sampleOnly: sampleOnly,
                                   waitWhile: waitWhile)
        shape.withLock { $0 = s }
    }

    var documentShape: IndexBuilder.DocumentShape { shape.withLock { $0 } }

    /// The raw bytes of slot `i`: up to the next slot; for the last slot found so far
    /// (while indexing, the next one is not known yet), up to where its record ends.
    func rawBytes(of i: Int) -> UnsafeRawBufferPointer {
        let (start, next) = index.bounds(of: i)
        let end = next ?? mapped.base.map { IndexBuilder.slotEnd($0, from: start, size: mapped.size, layout: layout) } ?? mapped.size
        return UnsafeRawBufferPointer(start: mapped.base.map { $0 + start }, count: max(0, end - start))
    }

    /// 1-based line where slot `i` starts.
    public func line(of i: Int) -> Int { index.line(of: i, base: mapped.base) }

    /// Split for slot `i` in a JSON document that is an object of arrays.
    func documentSplit(of i: Int) -> String? {
        let runs = shape.withLock { $0.splitRuns }
        return runs.last(where: { $0.start <= i })?.key
    }

    /// Parsed records (malformed ones left out) of the first `count` slots, with their local
    /// slot numbers; found without the index (nil for a JSON document until it is indexed).
    func firstRecords(_ count: Int) -> [(local: Int, value: FieldValue)]? {
        guard let base = mapped.base else { return [] }
        guard let starts = IndexBuilder.firstSlots(base, from: dataStart, size: size, layout: layout, count: count)
        else {
            guard index.isComplete else { return nil }
            return (0..<min(count, index.count)).compactMap { i in parse(i).value.map { (i, $0) } }
        }
        return starts.enumerated().compactMap { i, start in
            let end = IndexBuilder.slotEnd(base, from: start, size: size, layout: layout)
            return parse(raw: UnsafeRawBufferPointer(start: base + start, count: end - start)).value.map { (i, $0) }
        }
    }

    /// One parsed slot: the record's own fields, or why it is broken, plus a warning
    /// for records that are kept but irregular (a CSV row with too few fields).
    struct Parsed {
        var value: FieldValue?
        var failure: String?
        var warning: String?
    }

    /// Parse slot `i` into the record's fields (without derived fields).
    func parse(_ i: Int) -> Parsed { parse(raw: rawBytes(of: i)) }

    /// Parse one record's bytes (a slot's, or a line a scan found itself).
    func parse(raw: UnsafeRawBufferPointer) -> Parsed {
        var parsed = parseBytes(raw)
        // Bytes past the end of a file that shrank read as zeros: say why the record broke.
        if let failure = parsed.failure, mapped.hasShrunk {
            parsed.failure = "\(Self.shrankNotice) (\(failure))"
        }
        return parsed
    }

    static let shrankNotice = "the file shrank on disk while open (truncated or rewritten); reopen it to read it again"

    private func parseBytes(_ raw: UnsafeRawBufferPointer) -> Parsed {
        let latin1 = layout.encoding == .latin1
        switch layout.format {
        case .jsonl:
            var end = raw.count
            while end > 0, Bytes.isSpace(raw[end - 1]) { end -= 1 }
            do {
                let v = try JSONParser.parse(UnsafeRawBufferPointer(rebasing: raw[0..<end]), latin1: latin1)
                guard case .object = v else {
                    return Parsed(failure: "not a JSON object (a record is {...}; found \(v.kind.rawValue))")
                }
                return Parsed(value: v)
            } catch {
                return Parsed(failure: "invalid JSON: \(error.description)")
            }
        case .json:
            do {
                let v = try JSONParser.parsePrefix(raw, latin1: latin1)
                switch v {
                case .object: return Parsed(value: v)
                case .array(let items):
                    return Parsed(value: .object(items.enumerated().map { .init("col\($0.offset + 1)", $0.element) }))
                default: return Parsed(value: .object([.init("value", v)]))
                }
            } catch {
                return Parsed(failure: "invalid JSON: \(error.description)")
            }
        case .csv, .tsv:
            let (fields, error) = DelimitedParser.fields(raw, layout: layout)
            if let error { return Parsed(failure: error) }
            var members: [FieldValue.Member] = []
            members.reserveCapacity(max(fields.count, layout.columns.count))
            for (k, f) in fields.enumerated() {
                members.append(.init(k < layout.columns.count ? layout.columns[k] : "col\(k + 1)", .string(f)))
            }
            var warning: String?
            if fields.count != layout.columns.count {
                warning = "\(fields.count) field\(fields.count == 1 ? "" : "s") where the header has \(layout.columns.count)"
            }
            return Parsed(value: .object(members), warning: warning)
        case .lines:
            var end = raw.count
            while end > 0, raw[end - 1] == Bytes.newline || raw[end - 1] == Bytes.cr { end -= 1 }
            let slice = UnsafeRawBufferPointer(rebasing: raw[0..<end])
            let text: String
            if latin1 {
                text = String(decodingLatin1: slice)
            } else if let bad = UTF8Validation.firstInvalid(slice) {
                return Parsed(failure: "invalid UTF-8 at column \(bad + 1)")
            } else {
                text = String(decoding: slice, as: UTF8.self)
            }
            guard let lineRegex else { return Parsed(value: .object([.init("text", .string(text))])) }
            guard let fields = lineRegex.match(text) else {
                return Parsed(failure: "line does not match --line-regex")
            }
            return Parsed(value: .object(fields.map { .init($0.name, $0.value.map(FieldValue.string) ?? .null) }))
        }
    }
}
