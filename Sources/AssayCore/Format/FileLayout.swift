/// Data formats assay reads.
public enum DataFormat: String, Sendable, CaseIterable, Codable {
    /// One JSON object per line.
    case jsonl
    /// One JSON document: an array of records, or an object whose values are arrays
    /// (each key is then the split).
    case json
    case csv
    case tsv
    /// One record per line, fields taken from a regular expression's named groups
    /// (`--line-regex`), or the whole line as `text` when no regex is given.
    case lines
}

/// How quotes are treated in delimited files.
public enum Quoting: String, Sendable, Codable {
    /// RFC 4180: fields may be quoted, `""` is a quote, newlines inside quotes are text.
    case csv
    /// Quotes are ordinary characters (common for TSV, where texts hold unbalanced `"`).
    case none
}

public enum TextEncoding: String, Sendable, Codable {
    case utf8 = "utf-8"
    case latin1 = "latin-1"
}

/// Per-run overrides of what sniffing would decide.
public struct FormatOptions: Sendable, Hashable {
    public var format: DataFormat?
    public var delimiter: UInt8?
    /// false for `--no-header`; nil to sniff.
    public var header: Bool?
    public var quoting: Quoting?
    public var lineRegex: String?
    public var encoding: TextEncoding?

    public init(format: DataFormat? = nil, delimiter: UInt8? = nil, header: Bool? = nil,
                quoting: Quoting? = nil, lineRegex: String? = nil, encoding: TextEncoding? = nil) {
        self.format = format
        self.delimiter = delimiter
        self.header = header
        self.quoting = quoting
        self.lineRegex = lineRegex
        self.encoding = encoding
    }
}

/// How one file is to be read, decided by sniffing its content and the overrides.
public struct FileLayout: Sendable, Hashable {
    public var format: DataFormat
    public var delimiter: UInt8 = UInt8(ascii: ",")
    public var hasHeader = false
    public var quoting: Quoting = .csv
    public var encoding: TextEncoding = .utf8
    /// Bytes of a UTF-8 byte-order mark at the start (0 or 3).
    public var bomLength = 0
    /// Column names of a delimited file (from the header, or `col1`, `col2`, ...).
    public var columns: [String] = []
    public var lineRegex: String?

    public init(format: DataFormat) {
        self.format = format
    }

    /// A short description for `assay stats`: `csv, header, CRLF-tolerant` etc.
    public var summary: String {
        var parts = [format.rawValue]
        switch format {
        case .csv, .tsv:
            if format == .csv && delimiter != UInt8(ascii: ",") {
                parts.append("delimiter \(JSONWriter.quoted(String(UnicodeScalar(delimiter))))")
            }
            parts.append(hasHeader ? "header" : "no header")
            parts.append(quoting == .csv ? "quoted fields" : "no quoting")
        case .lines:
            if lineRegex != nil { parts.append("line regex") }
        default: break
        }
        if encoding == .latin1 { parts.append("latin-1") }
        if bomLength > 0 { parts.append("BOM") }
        return parts.joined(separator: ", ")
    }
}

/// Why a file could not be read at all.
public enum SniffFailure: Error, Sendable, Equatable, CustomStringConvertible {
    case empty
    case binary(offset: Int)
    case utf16

    public var description: String {
        switch self {
        case .empty: "empty file"
        case .binary(let offset): "binary file (NUL byte at offset \(offset)), not text data"
        case .utf16: "UTF-16 text is not supported; convert it with `iconv -f UTF-16 -t UTF-8`"
        }
    }
}

/// Decides a file's layout from its first bytes.
public enum FormatSniffer {
    static let sampleSize = 64 * 1024

    public static func sniff(_ bytes: UnsafeRawBufferPointer, fileName: String,
                             options: FormatOptions) throws(SniffFailure) -> (FileLayout, notices: [String]) {
        var notices: [String] = []
        let n = bytes.count
        var bom = 0
        if n >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { bom = 3 }
        if n >= 2, (bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF) {
            throw .utf16
        }
        // Sample from the first line that is not blank (a file may start with blank lines).
        guard let (lineStart, lead) = Bytes.firstNonBlankLine(bytes, from: bom) else { throw .empty }
        let sampleEnd = min(n, lineStart + sampleSize)
        let sample = UnsafeRawBufferPointer(rebasing: bytes[lineStart..<sampleEnd])
        if let nul = sample.firstIndex(of: 0), nul < 8192 { throw .binary(offset: lineStart + nul) }
        let firstNonSpace = lead - lineStart

        var encoding = options.encoding ?? .utf8
        if options.encoding == nil {
            // Ignore a multi-byte sequence cut by the end of the sample.
            var checkEnd = sample.count
            if sampleEnd < n {
                var k = 0
                while k < 3, checkEnd > 0, sample[checkEnd - 1] & 0xC0 == 0x80 { checkEnd -= 1; k += 1 }
                if checkEnd > 0, sample[checkEnd - 1] >= 0xC0 { checkEnd -= 1 }
            }
            let checked = UnsafeRawBufferPointer(rebasing: sample[0..<checkEnd])
            if let bad = latin1Line(checked) {
                encoding = .latin1
                let line = 1 + Bytes.countNewlines(in: bytes.baseAddress!, from: 0, to: lineStart) + bad
                notices.append("not valid UTF-8 (first at line \(line)); reading it as Latin-1 (use --encoding utf-8 to override)")
            }
        }

        let lower = fileName.lowercased()
        let namedJSONLines = lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson")
        var format = options.format
        if format == nil, options.lineRegex != nil { format = .lines }
        if format == nil {
            let first = sample[firstNonSpace]
            if first == UInt8(ascii: "[") {
                format = .json
            } else if first == UInt8(ascii: "{") {
                // A first line that is not a whole value (a broken record, or a document's
                // opening line) is outvoted by a name saying JSON Lines or by the lines after it.
                let jsonLines = looksLikeJSONLines(bytes, from: lead, namedJSON: lower.hasSuffix(".json")) || namedJSONLines
                    || mostLinesAreObjects(sample, after: firstNonSpace)
                format = jsonLines ? .jsonl : .json
            } else if namedJSONLines {
                format = .jsonl
            } else {
                format = nil
            }
        }

        var layout: FileLayout
        if let f = format, f == .jsonl || f == .json {
            layout = FileLayout(format: f)
        } else if format == .lines {
            layout = FileLayout(format: .lines)
            layout.lineRegex = options.lineRegex
        } else {
            let delimiter = options.delimiter ?? guessDelimiter(sample, fileName: lower, forced: format)
            guard let delimiter else {
                // No delimiter: every line is one text record.
                layout = FileLayout(format: .lines)
                layout.encoding = encoding
                layout.bomLength = bom
                layout.columns = ["text"]
                return (layout, notices)
            }
            let f: DataFormat = format ?? (delimiter == 0x09 ? .tsv : .csv)
            layout = FileLayout(format: f)
            layout.delimiter = delimiter
            layout.quoting = options.quoting ?? (f == .tsv ? .none : .csv)
            let rows = DelimitedParser.rows(sample, layout: layout, encoding: encoding, limit: 21)
            let firstRow = rows.first ?? []
            layout.hasHeader = options.header ?? looksLikeHeader(rows)
            if layout.hasHeader {
                layout.columns = uniqueNames(firstRow)
            } else {
                layout.columns = (1...max(1, firstRow.count)).map { "col\($0)" }
            }
        }
        layout.encoding = encoding
        layout.bomLength = bom
        return (layout, notices)
    }

    /// Whether the sample reads as Latin-1: more of its lines with non-ASCII bytes are invalid
    /// UTF-8 than valid. Then the 0-based line of the first invalid one; nil for UTF-8 (a
    /// few broken lines among valid UTF-8 text are malformed records, not another encoding).
    static func latin1Line(_ sample: UnsafeRawBufferPointer) -> Int? {
        guard UTF8Validation.firstInvalid(sample) != nil, let base = sample.baseAddress else { return nil }
        var valid = 0, invalid = 0, firstInvalid: Int?
        var line = 0, i = 0
        while i < sample.count {
            let nl = Bytes.find(Bytes.newline, in: base, from: i, to: sample.count)
            let bytes = UnsafeRawBufferPointer(rebasing: sample[i..<nl])
            if bytes.contains(where: { $0 >= 0x80 }) {
                if UTF8Validation.firstInvalid(bytes) == nil {
                    valid += 1
                } else {
                    invalid += 1
                    if firstInvalid == nil { firstInvalid = line }
                }
            }
            line += 1
            i = nl + 1
        }
        return invalid > valid ? firstInvalid : nil
    }

    /// The longest first line `looksLikeJSONLines` parses to decide; a longer one is judged
    /// by what starts the next line.
    static let longestParsedLine = 16 << 20

    /// JSON Lines if the first line (from `start`, its first non-space byte, to its newline
    /// anywhere in the file: it may be longer than the sample) is a whole JSON value on its
    /// own, and either another line follows or the whole file is that one line of a record.
    /// `namedJSON`: the file's name ends in `.json`.
    static func looksLikeJSONLines(_ bytes: UnsafeRawBufferPointer, from start: Int, namedJSON: Bool = false) -> Bool {
        guard let base = bytes.baseAddress else { return false }
        let n = bytes.count
        let nl = Bytes.find(Bytes.newline, in: base, from: start, to: n)
        var next = nl
        while next < n, Bytes.isSpace(bytes[next]) { next += 1 }
        let rest = next < n
        guard nl - start <= longestParsedLine else {
            // Too long to parse only to sniff: records one per line if the next line starts
            // another object (a long document line is followed by more of the document).
            return rest && bytes[next] == UInt8(ascii: "{")
        }
        guard let value = try? JSONParser.parse(UnsafeRawBufferPointer(rebasing: bytes[start..<nl])) else { return false }
        if rest { return true }
        // A single object: a document of splits (all values arrays, or in a `.json` file, some
        // arrays of records beside other keys: `{"version": ..., "data": [...]}`) is JSON,
        // else one record.
        guard case .object(let members) = value, !members.isEmpty else { return true }
        func isArray(_ v: FieldValue) -> Bool { if case .array = v { true } else { false } }
        func isRecords(_ v: FieldValue) -> Bool {
            guard case .array(let items) = v, !items.isEmpty else { return false }
            return items.allSatisfy { if case .object = $0 { true } else { false } }
        }
        if members.allSatisfy({ isArray($0.value) }) { return false }
        return !(namedJSON && members.contains { isRecords($0.value) })
    }

    /// Whether most of the (up to eight) non-blank lines after the one at `start`, those
    /// whole within the sample, are each a JSON object on its own: a JSON Lines file whose
    /// first line is broken. A pretty-printed document's lines are fragments (`"train": [`,
    /// `{...},` with its comma) and rarely parse alone.
    static func mostLinesAreObjects(_ sample: UnsafeRawBufferPointer, after start: Int) -> Bool {
        guard let base = sample.baseAddress else { return false }
        var objects = 0, lines = 0
        var i = Bytes.find(Bytes.newline, in: base, from: start, to: sample.count) + 1
        while i < sample.count, lines < 8 {
            let nl = Bytes.find(Bytes.newline, in: base, from: i, to: sample.count)
            guard nl < sample.count else { break }
            let line = UnsafeRawBufferPointer(rebasing: sample[i..<nl])
            i = nl + 1
            guard line.contains(where: { !Bytes.isSpace($0) }) else { continue }
            lines += 1
            if case .object? = try? JSONParser.parse(line) { objects += 1 }
        }
        return objects >= 2 && objects * 2 > lines
    }

    static func guessDelimiter(_ sample: UnsafeRawBufferPointer, fileName: String, forced: DataFormat?) -> UInt8? {
        if forced == .tsv || fileName.hasSuffix(".tsv") || fileName.hasSuffix(".tab") { return 0x09 }
        // Count candidates per line over the first lines (quotes ignored: a rough but robust vote).
        let candidates: [UInt8] = [0x09, UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "|")]
        var lines: [[Int]] = []
        var counts = [Int](repeating: 0, count: candidates.count)
        var inQuotes = false
        for b in sample {
            if b == Bytes.quote { inQuotes.toggle() }
            if b == Bytes.newline && !inQuotes {
                lines.append(counts)
                counts = [Int](repeating: 0, count: candidates.count)
                if lines.count >= 50 { break }
                continue
            }
            if !inQuotes, let k = candidates.firstIndex(of: b) { counts[k] += 1 }
        }
        if lines.isEmpty || counts.contains(where: { $0 > 0 }) { lines.append(counts) }
        if forced == .csv || fileName.hasSuffix(".csv") {
            // A .csv file is comma-separated unless commas are absent and another delimiter is consistent.
            if lines.allSatisfy({ $0[1] == 0 }), let k = [2, 3, 0].first(where: { c in lines.allSatisfy { $0[c] > 0 } }) {
                return candidates[k]
            }
            return UInt8(ascii: ",")
        }
        // Tab first: it is the least likely to occur in free text.
        for k in [0, 1, 2, 3] where lines.allSatisfy({ $0[k] > 0 }) {
            return candidates[k]
        }
        return nil
    }

    /// A first row is a header when its cells look like names (short, not numeric, no
    /// sentence punctuation; some may be empty) that the rows below it do not repeat as
    /// values of the same column.
    static func looksLikeHeader(_ rows: [[String]]) -> Bool {
        guard let first = rows.first else { return false }
        var names = 0
        for (k, cell) in first.enumerated() {
            let c = cell.trimmingSpaces
            // An unnamed column (pandas writes its index column so); repeated names are
            // made unique.
            if c.isEmpty { continue }
            if c.count > 40 || Double(c) != nil { return false }
            if c.unicodeScalars.contains(where: { !($0.properties.isAlphabetic || $0.properties.numericType != nil
                || "_- .#/()".unicodeScalars.contains($0)) }) { return false }
            if c.split(separator: " ").count > 4 { return false }
            // A column's name is not also one of its values (`pos` above more `pos` rows).
            if rows.dropFirst().contains(where: { k < $0.count && $0[k].trimmingSpaces == c }) { return false }
            names += 1
        }
        return names > 0
    }

    static func uniqueNames(_ names: [String]) -> [String] {
        var seen: [String: Int] = [:]
        return names.enumerated().map { i, raw in
            var name = raw.trimmingSpaces
            if name.isEmpty { name = "col\(i + 1)" }
            if let n = seen[name] {
                seen[name] = n + 1
                return "\(name)_\(n + 1)"
            }
            seen[name] = 1
            return name
        }
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}
