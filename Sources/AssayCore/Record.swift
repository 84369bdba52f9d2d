/// One record of a dataset: its position, where it came from, and its fields.
public struct Record: Sendable {
    /// 0-based position in the dataset (across all files, in file order).
    public var index: Int
    /// Index into `Dataset.files`.
    public var fileIndex: Int
    /// 1-based line in its file where the record starts.
    public var line: Int
    /// The record as an object. Derived fields (a split taken from the file name,
    /// a source taken from the folder) are added as ordinary members.
    public var value: FieldValue

    public init(index: Int, fileIndex: Int, line: Int, value: FieldValue) {
        self.index = index
        self.fileIndex = fileIndex
        self.line = line
        self.value = value
    }

    /// The value at a dotted path (`label`, `meta.url`, `instances[0].output`).
    public func field(_ path: String) -> FieldValue? { value.value(at: path) }
}

/// A record slot that could not be parsed.
public struct MalformedRecord: Sendable, Hashable, Codable {
    /// The file's path as the user named it (or as found under a named folder).
    public var file: String
    /// 1-based line where the broken record starts.
    public var line: Int
    /// What is wrong, in a few words (e.g. `unterminated string at column 41`).
    public var reason: String

    public init(file: String, line: Int, reason: String) {
        self.file = file
        self.line = line
        self.reason = reason
    }

    /// `file:line: reason`, the form compilers use, so editors can jump to it.
    public var message: String { "\(file):\(line): \(reason)" }
}

/// What a record slot holds once parsed.
public enum RecordResult: Sendable {
    case record(Record)
    case malformed(MalformedRecord, index: Int)

    public var record: Record? {
        if case .record(let r) = self { return r }
        return nil
    }
}

/// The fields that play each role. Inferred by name and by shape, or set by flags.
public struct Roles: Sendable, Hashable, Codable {
    /// Text fields; several are joined with one space.
    public var text: [String]
    public var label: String?
    public var split: String?
    public var source: String?
    public var id: String?
    /// Why each role was chosen, keyed by role name (`text`, `label`, ...).
    public var reasons: [String: String]

    public init(text: [String] = [], label: String? = nil, split: String? = nil,
                source: String? = nil, id: String? = nil, reasons: [String: String] = [:]) {
        self.text = text
        self.label = label
        self.split = split
        self.source = source
        self.id = id
        self.reasons = reasons
    }

    /// The text of a record under these roles (text fields joined with one space).
    public func text(of record: Record) -> String? {
        let parts = text.compactMap { record.field($0) }.filter { $0 != .null }
        if parts.isEmpty { return nil }
        return parts.map(\.displayText).joined(separator: " ")
    }
}

/// Progress of the record index, which is built in the background.
public struct IndexProgress: Sendable, Hashable {
    /// Record slots found so far.
    public var records: Int
    /// Bytes scanned so far, of `totalBytes`.
    public var bytesScanned: Int64
    public var totalBytes: Int64
    public var isComplete: Bool

    public init(records: Int, bytesScanned: Int64, totalBytes: Int64, isComplete: Bool) {
        self.records = records
        self.bytesScanned = bytesScanned
        self.totalBytes = totalBytes
        self.isComplete = isComplete
    }

    public var fraction: Double {
        isComplete || totalBytes == 0 ? 1 : Double(bytesScanned) / Double(totalBytes)
    }
}

/// What a browser needs from a dataset. `Dataset` is the real one; tests may fake it.
public protocol RecordSource: AnyObject, Sendable {
    /// A short name for the title bar (the file, or the folder and file count).
    var displayName: String { get }
    /// Record slots indexed so far (records plus malformed slots). Grows while indexing.
    var recordCount: Int { get }
    var indexProgress: IndexProgress { get }
    var roles: Roles { get }
    /// Field paths seen in the first records, in first-seen order.
    var fieldPaths: [String] { get }
    /// Parse record slot `index` (0 ..< recordCount). Thread-safe.
    func record(at index: Int) -> RecordResult
    /// The malformed slots among `range` (indexed slots only), in order. Sources may
    /// answer faster than parsing every record; the default does just that.
    func malformedSlots(in range: Range<Int>) -> [(index: Int, record: MalformedRecord)]
    /// The user went to browse past the records indexed so far (end, jump, filter, search):
    /// an index that defers to a running stats scan stops deferring.
    func wantWholeIndex()
    /// What opening the data noticed (a Latin-1 fallback, data after a JSON document, a
    /// role flag naming no field), each naming its file.
    var allNotices: [String] { get }
    /// The path of file `fileIndex` (a record's `fileIndex`) when the source reads several
    /// files, so a record's detail can say where it came from; nil for a single file.
    func filePath(at fileIndex: Int) -> String?
    /// The bytes of slot `index` as they are in the file (at most `limit` of them), and
    /// whether there were more: what a malformed record's detail shows.
    func rawRecord(at index: Int, limit: Int) -> (bytes: [UInt8], truncated: Bool)?
    /// Files of a folder or list that were not read, each as "path: why".
    var skippedFiles: [String] { get }
}

extension RecordSource {
    public func wantWholeIndex() {}
    public var allNotices: [String] { [] }
    public func filePath(at fileIndex: Int) -> String? { nil }
    public func rawRecord(at index: Int, limit: Int) -> (bytes: [UInt8], truncated: Bool)? { nil }
    public var skippedFiles: [String] { [] }

    public func malformedSlots(in range: Range<Int>) -> [(index: Int, record: MalformedRecord)] {
        var out: [(index: Int, record: MalformedRecord)] = []
        for i in range {
            if case .malformed(let m, _) = record(at: i) { out.append((i, m)) }
        }
        return out
    }
}
