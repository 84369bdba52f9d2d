import Dispatch
import Foundation
import Synchronization

/// Errors that stop a dataset from opening.
public enum DatasetError: Error, Sendable, CustomStringConvertible, Equatable {
    /// Nothing readable was found (exit code 1).
    case nothingReadable([String])
    /// The call's words are off (exit code 2).
    case usage(String)

    public var description: String {
        switch self {
        case .nothingReadable(let why): (["no readable data"] + why).joined(separator: "\n  ")
        case .usage(let why): why
        }
    }
}

/// A file that was looked at and not taken, and why.
public struct SkippedFile: Sendable, Hashable, Codable {
    public var path: String
    public var reason: String
}

/// Options for opening a dataset.
public struct OpenOptions: Sendable {
    public var format = FormatOptions()
    /// `dir`: a file's parent folder names its source; `file`: the file name's first word does.
    public var sourceFrom: SourceFrom?
    /// Role overrides (`--text a,b`, `--label`, ...).
    public var roles = RoleOverrides()
    /// Keep the resident set small while indexing (for full scans of huge files).
    public var releasePages = false
    /// Index only as far as role inference needs, when every file is JSON Lines: for a
    /// one-pass stats scan, which then finds the records itself (`assay stats`). Browsing
    /// needs the full index.
    public var sampleIndexOnly = false
    /// A stats scan starts right after opening (the browser's Labels pane): where it finds
    /// the records itself, the index waits for it past its first records from the start,
    /// not only once it runs (two seconds at most if none comes).
    public var statsScanFollows = false

    public enum SourceFrom: String, Sendable, CaseIterable {
        case dir, file
    }

    public init() {}
}

/// A dataset: one or more files read as one sequence of records.
///
/// Opening maps the files read-only, sniffs each one's format, and starts indexing
/// record boundaries in the background; the first records are available at once.
public final class Dataset: RecordSource, @unchecked Sendable {
    public let files: [DataFile]
    public let skipped: [SkippedFile]
    /// `file: notice` lines worth showing (encoding fallback, files taken from folders...).
    public let notices: [String]
    public private(set) var roles: Roles
    public let displayName: String
    let options: OpenOptions
    /// Stats scans find the records of every file themselves (not from the index): every
    /// file is JSON Lines. Otherwise they need the full index (quoted CSV, JSON documents),
    /// which also numbers records across files.
    let scanFindsRecords: Bool
    /// The index holds only a sample of each file: `OpenOptions.sampleIndexOnly`, taken when
    /// the scan finds the records itself.
    let sampleIndexOnly: Bool
    private let indexing = DispatchGroup()
    /// Stats scans running that find the records themselves: the index builder waits for
    /// them (two cores are better spent on the scan) unless the whole index is wanted.
    private let scansFindingRecords = Atomic<Int>(0)
    private let wholeIndexWanted = Atomic<Bool>(false)
    /// Until when the index waits for a scan announced by `OpenOptions.statsScanFollows`
    /// (uptime nanoseconds; 0 once one has run).
    private let scanAwaitedUntil = Atomic<UInt64>(0)

    /// The path that names standard input (`-`).
    public static let stdinPath = FileDiscovery.stdinPath

    /// Open paths (files or folders). Throws when nothing readable is found.
    public static func open(_ paths: [String], options: OpenOptions = OpenOptions()) throws(DatasetError) -> Dataset {
        guard !paths.isEmpty else { throw .usage("no path given") }
        let found = FileDiscovery.discover(paths)
        var files: [DataFile] = []
        var skipped = found.skipped
        var notices: [String] = []
        for candidate in found.files {
            let mapped: MappedFile
            do {
                mapped = try MappedFile(path: candidate.path)
            } catch {
                skipped.append(SkippedFile(path: candidate.path, reason: error.description))
                continue
            }
            let layout: FileLayout
            let sniffNotices: [String]
            do {
                (layout, sniffNotices) = try FormatSniffer.sniff(mapped.bytes, fileName: candidate.path,
                                                                 options: options.format)
            } catch {
                skipped.append(SkippedFile(path: candidate.path, reason: error.description))
                continue
            }
            // (A one-line `.json` file may have sniffed as JSON Lines.)
            if candidate.fromFolder, layout.format == .json || candidate.path.lowercased().hasSuffix(".json"),
               let why = FileDiscovery.notRecords(mapped.bytes) {
                skipped.append(SkippedFile(path: candidate.path, reason: why))
                continue
            }
            let file = try DataFile(path: candidate.path, mapped: mapped, layout: layout,
                                    splitFromName: SplitNames.split(forPath: candidate.path),
                                    sourceFromName: options.sourceFrom.map { SplitNames.source(forPath: candidate.path, from: $0) },
                                    notices: sniffNotices)
            notices += sniffNotices.map { "\(candidate.path): \($0)" }
            files.append(file)
        }
        guard !files.isEmpty else {
            throw .nothingReadable(skipped.map { "\($0.path): \($0.reason)" })
        }
        let dataset = Dataset(files: files, skipped: skipped, notices: notices, options: options,
                              explicitFolder: found.folders)
        return dataset
    }

    private init(files: [DataFile], skipped: [SkippedFile], notices: [String], options: OpenOptions,
                 explicitFolder: [String]) {
        self.files = files
        self.skipped = skipped
        self.notices = notices
        self.options = options
        scanFindsRecords = files.allSatisfy { $0.layout.format == .jsonl }
        sampleIndexOnly = options.sampleIndexOnly && scanFindsRecords
        if options.statsScanFollows && scanFindsRecords {
            scanAwaitedUntil.store(DispatchTime.now().uptimeNanoseconds + 2_000_000_000, ordering: .relaxed)
        }
        self.roles = Roles()
        if files.count == 1 {
            displayName = files[0].path
        } else if explicitFolder.count == 1 {
            displayName = "\(explicitFolder[0]) (\(files.count) files)"
        } else {
            displayName = "\(files[0].path) +\(files.count - 1) files"
        }
        startIndexing()
        waitForFirstSlots()
        let sample = sampleRecords(limit: 1000)
        roles = RoleInference.infer(sample: sample, files: files, overrides: options.roles)
        roleNotices = Self.unknownRoleFields(options.roles, sample: sample)
    }

    /// Role flags naming a field that none of the sampled records has (a typo, most often).
    public private(set) var roleNotices: [String] = []

    static func unknownRoleFields(_ o: RoleOverrides, sample: [Record]) -> [String] {
        guard !sample.isEmpty else { return [] }
        let leaves = sample.flatMap { $0.value.leaves().map(\.path) }
        let paths = FieldPath.reachable(from: leaves)
        // The top-level fields, first seen first.
        var order: [String] = []
        var seen = Set<String>()
        for leaf in leaves {
            let top = String(leaf.prefix { $0 != "." && $0 != "[" })
            if !top.isEmpty, seen.insert(top).inserted { order.append(top) }
        }
        let flags: [(String, String?)] = [("--label", o.label), ("--split", o.split), ("--source", o.source), ("--id", o.id)]
            + (o.text ?? []).map { ("--text", $0) }
        return flags.compactMap { flag, path in
            guard let path, !paths.contains(path) else { return nil }
            let known = order.prefix(12).joined(separator: ", ") + (order.count > 12 ? ", …" : "")
            return "\(flag) \(path): no such field in the first \(sample.count == 1 ? "record" : "\(sample.count) records") (fields: \(known))"
        }
    }

    private func startIndexing() {
        let files = self.files
        let release = options.releasePages, sampleOnly = sampleIndexOnly
        indexing.enter()
        DispatchQueue.global(qos: .userInitiated).async { [indexing, self] in
            let waits: @Sendable () -> Bool = { self.indexDefersToScan }
            for f in files { f.buildIndex(releasePages: release, sampleOnly: sampleOnly, waitWhile: waits) }
            indexing.leave()
        }
    }

    /// Block until the first records are indexed (all of them, in small files), so that a
    /// browser's first screen has them: not past 2 s, and not while the index waits for a
    /// stats scan, which cannot start before this returns. (Role inference does not wait
    /// for the index: `sampleRecords`.)
    private func waitForFirstSlots() {
        let deadline = DispatchTime.now() + .seconds(2)
        while DispatchTime.now() < deadline {
            if files.allSatisfy({ $0.index.isComplete || $0.index.isSampleOnly }) { return }
            if files[0].index.count >= 1000 { return }
            if indexDefersToScan && files[0].index.count > 0 { return }
            usleep(1000)
        }
    }

    /// Notices, plus what the index pass found (a JSON document whose structure breaks off,
    /// or whose keys beside its splits hold no records), known once indexing is complete,
    /// and files that shrank on disk while open.
    public var allNotices: [String] {
        notices + roleNotices + files.flatMap { f in
            let shape = f.documentShape
            var out = shape.error.map { ["\(f.path):\($0)"] } ?? []
            if f.mapped.hasShrunk { out.append("\(f.path): \(DataFile.shrankNotice)") }
            if !shape.keysNotRead.isEmpty {
                func quoted(_ keys: [String]) -> String { keys.map { "'\($0)'" }.joined(separator: ", ") }
                let one = shape.keysNotRead.count == 1
                out.append("\(f.path): read the arrays under \(quoted(shape.splitRuns.map(\.key))) as splits; "
                    + "\(quoted(shape.keysNotRead)) \(one ? "holds" : "hold") no array of records and \(one ? "was" : "were") not read")
            }
            return out
        }
    }

    /// Which file a record came from (its `fileIndex`), for the browser's record detail: in
    /// a folder, the line number alone does not say where the record is. Nil for one file.
    public func filePath(at fileIndex: Int) -> String? {
        guard files.count > 1, files.indices.contains(fileIndex) else { return nil }
        return files[fileIndex].path
    }

    /// Block until every file is indexed.
    public func waitForIndex() {
        wantWholeIndex()
        indexing.wait()
    }

    public func wantWholeIndex() { wholeIndexWanted.store(true, ordering: .relaxed) }

    /// Whether the index builder waits: a stats scan that finds the records itself is
    /// running, and nobody has asked for the whole index.
    var indexDefersToScan: Bool {
        if wholeIndexWanted.load(ordering: .relaxed) { return false }
        if scansFindingRecords.load(ordering: .relaxed) > 0 { return true }
        return DispatchTime.now().uptimeNanoseconds < scanAwaitedUntil.load(ordering: .relaxed)
    }

    /// Brackets a stats scan that finds the records itself (`StatsScan.run`).
    func scanFindingRecords<T>(_ body: () -> T) -> T {
        scansFindingRecords.add(1, ordering: .relaxed)
        defer {
            scanAwaitedUntil.store(0, ordering: .relaxed)
            scansFindingRecords.subtract(1, ordering: .relaxed)
        }
        return body()
    }

    public var isIndexComplete: Bool { files.allSatisfy { $0.index.isComplete } }

    public var indexProgress: IndexProgress {
        var p = IndexProgress(records: 0, bytesScanned: 0, totalBytes: 0, isComplete: true)
        for f in files {
            let fp = f.index.progress
            p.records += fp.records
            p.bytesScanned += fp.bytesScanned
            p.totalBytes += fp.totalBytes
            p.isComplete = p.isComplete && fp.isComplete
        }
        return p
    }

    /// Record slots indexed so far: all of earlier files, and the part found of the current one.
    public var recordCount: Int {
        var n = 0
        for f in files {
            n += f.index.count
            if !f.index.isComplete { break }
        }
        return n
    }

    /// Which file holds global slot `index`, and the slot within it.
    public func locate(_ index: Int) -> (file: Int, local: Int)? {
        var rest = index
        for (k, f) in files.enumerated() {
            let c = f.index.count
            if rest < c { return (k, rest) }
            if !f.index.isComplete { return nil }
            rest -= c
        }
        return nil
    }

    public var fieldPaths: [String] {
        var seen = Set<String>()
        var out: [String] = []
        for r in sampleRecords(limit: 200) {
            for leaf in r.value.leaves() where seen.insert(leaf.path).inserted { out.append(leaf.path) }
        }
        return out
    }

    /// Parse slot `index`: the record with its derived fields, or why it is broken.
    public func record(at index: Int) -> RecordResult {
        guard let (k, local) = locate(index) else {
            return .malformed(MalformedRecord(file: files.last?.path ?? "", line: 0,
                                              reason: "record \(index + 1) is not indexed yet"), index: index)
        }
        let file = files[k]
        let parsed = file.parse(local)
        guard var value = parsed.value else {
            return .malformed(MalformedRecord(file: file.path, line: file.line(of: local),
                                              reason: parsed.failure ?? "unreadable"), index: index)
        }
        addDerivedFields(&value, file: file, local: local)
        return .record(Record(index: index, fileIndex: k, line: file.line(of: local), value: value))
    }

    public var skippedFiles: [String] { skipped.map { "\($0.path): \($0.reason)" } }

    public func rawRecord(at index: Int, limit: Int) -> (bytes: [UInt8], truncated: Bool)? {
        guard let (k, local) = locate(index) else { return nil }
        var raw = files[k].rawBytes(of: local)
        // The newline ending the slot is no part of it.
        while let last = raw.last, last == Bytes.newline || last == Bytes.cr { raw = UnsafeRawBufferPointer(rebasing: raw.dropLast()) }
        return (Array(raw.prefix(limit)), raw.count > limit)
    }

    /// The irregularity of slot `index` that kept it a record (a ragged CSV row), if any.
    public func warning(at index: Int) -> MalformedRecord? {
        guard let (k, local) = locate(index) else { return nil }
        let file = files[k]
        guard let w = file.parse(local).warning else { return nil }
        return MalformedRecord(file: file.path, line: file.line(of: local), reason: w)
    }

    /// Field added to records whose file name (or JSON document key) gives the split.
    public static let derivedSplitField = "split"
    /// Field added to records whose folder or file name gives the source (`--source-from`).
    public static let derivedSourceField = "source"

    func addDerivedFields(_ value: inout FieldValue, file: DataFile, local: Int) {
        guard case .object(var members) = value else { return }
        let split = file.layout.format == .json ? (file.documentSplit(of: local) ?? file.splitFromName) : file.splitFromName
        if let split, !members.contains(where: { $0.key == Self.derivedSplitField }) {
            members.append(.init(Self.derivedSplitField, .string(split)))
        }
        if let source = file.sourceFromName, !members.contains(where: { $0.key == Self.derivedSourceField }) {
            members.append(.init(Self.derivedSourceField, .string(source)))
        }
        value = .object(members)
    }

    /// The records role inference reads (and field lists show): the first slots of each
    /// file in turn, `limit` in all, at least 50 a file, malformed ones left out. The same
    /// records every time: they are found without the index (except in a JSON document,
    /// which is waited for, up to 2 s, when it is not indexed yet). `Record.index` is the
    /// record's place in the sample.
    func sampleRecords(limit: Int) -> [Record] {
        var out: [Record] = []
        let perFile = max(50, limit / max(1, files.count))
        var slots = 0
        let deadline = DispatchTime.now() + .seconds(2)
        for (k, f) in files.enumerated() {
            var first = f.firstRecords(perFile)
            while first == nil, DispatchTime.now() < deadline {
                usleep(1000)
                first = f.firstRecords(perFile)
            }
            for (local, var value) in first ?? [] {
                addDerivedFields(&value, file: f, local: local)
                out.append(Record(index: out.count, fileIndex: k, line: 0, value: value))
            }
            slots += perFile
            if slots >= limit { break }
        }
        return out
    }
}
