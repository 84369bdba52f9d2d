import Dispatch
import Foundation
import Synchronization

/// Runs a full scan of a dataset on all cores and returns the merged counts.
public enum StatsScan {
    /// Scan every record. `progress` is called now and then with (records done, records
    /// total; an estimate while the index is still being built).
    /// `fast: false` forces the reference path (parse every record into a `FieldValue`).
    ///
    /// The scan does not wait for the record index: each chunk is the slots that start in a
    /// fixed byte range of a file, and a worker waits only until the index has got past the
    /// end of its range. Ranges depend on file sizes alone, so the counts do not depend on
    /// timing.
    ///
    /// Chunks are merged in file order while the scan runs (so the counts do not depend on
    /// timing, and the Labels pane and `assay stats` give the same numbers). With `partial`,
    /// the scan hands the counts merged so far to `partial` each time the next chunk in file
    /// order is done (for a pane that fills in while the scan runs); `isCancelled` is
    /// checked between chunks and while waiting for the index.
    public static func run(_ dataset: Dataset, fast: Bool = true,
                           progress: (@Sendable (Int, Int) -> Void)? = nil,
                           partial: (@Sendable (StatsAccumulator, _ done: Int, _ total: Int) -> Void)? = nil,
                           isCancelled: @escaping @Sendable () -> Bool = { false }) -> StatsAccumulator {
        run(dataset, fast: fast, minChunkBytes: 1 << 20, progress: progress, partial: partial, isCancelled: isCancelled)
    }

    /// `minChunkBytes`: tests make it small so that small files are scanned in many chunks.
    /// `useIndex`: tests read JSON Lines through the full index too, as a reference.
    static func run(_ dataset: Dataset, fast: Bool, minChunkBytes: Int,
                    progress: (@Sendable (Int, Int) -> Void)?,
                    partial: (@Sendable (StatsAccumulator, _ done: Int, _ total: Int) -> Void)?,
                    isCancelled: @escaping @Sendable () -> Bool, useIndex: Bool = false) -> StatsAccumulator {
        let findRecords = dataset.scanFindsRecords && !useIndex
        // Not waiting for the index, the scan has the index wait for it (unless browsing wants it).
        if findRecords {
            return dataset.scanFindingRecords {
                scan(dataset, fast: fast, findRecords: true, minChunkBytes: minChunkBytes, progress: progress,
                     partial: partial, isCancelled: isCancelled)
            }
        }
        return scan(dataset, fast: fast, findRecords: false, minChunkBytes: minChunkBytes, progress: progress,
                    partial: partial, isCancelled: isCancelled)
    }

    private static func scan(_ dataset: Dataset, fast: Bool, findRecords: Bool, minChunkBytes: Int,
                             progress: (@Sendable (Int, Int) -> Void)?,
                             partial: (@Sendable (StatsAccumulator, _ done: Int, _ total: Int) -> Void)?,
                             isCancelled: @escaping @Sendable () -> Bool) -> StatsAccumulator {
        let roles = dataset.roles
        let workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
        let plan = chunkPlan(fileSizes: dataset.files.map(\.size), workers: workers, minChunkBytes: minChunkBytes)
        let results = Slots<StatsAccumulator>(count: plan.count, initial: StatsAccumulator())
        // Per chunk that found its lines itself: the newlines it passed.
        let chunkNewlines = Slots<Int>(count: plan.count, initial: 0)
        let done = Atomic<Int>(0)
        let work: @Sendable (Int) -> Void = { c in
            let chunk = plan[c]
            let file = dataset.files[chunk.file]
            var acc: StatsAccumulator
            let count: Int
            if findRecords {
                let r = scanLines(dataset, fileIndex: chunk.file, bytes: chunk.bytes, roles: roles, fast: fast)
                acc = r.acc
                count = r.slots
                chunkNewlines[c] = r.newlines
            } else {
                guard let (global, local) = slots(of: chunk, in: dataset, isCancelled: isCancelled),
                      !local.isEmpty else { return }
                if readsFast(file, roles: roles, fast: fast), let base = file.mapped.base {
                    acc = scanFast(dataset, file: file, base: base, global: global, local: local, roles: roles)
                } else {
                    acc = scanRecords(dataset, file: file, global: global, local: local, roles: roles)
                }
                count = local.count
            }
            acc.slotsPerFile[chunk.file] = count
            results[c] = acc
            let d = done.add(count, ordering: .relaxed).newValue
            progress?(d, estimatedTotal(dataset))
        }
        // Workers take chunks as they free up (no wave waits for its slowest chunk); this
        // thread merges finished chunks in chunk order and hands over what it has after each.
        let finished = Mutex<[Bool]>([Bool](repeating: false, count: plan.count))
        let ready = DispatchSemaphore(value: 0)
        let taken = Atomic<Int>(0)
        let group = DispatchGroup()
        group.enter()
        // `isCancelled` is escaping: the dispatch block holding it may outlive `group.leave()`
        // by a moment (a `withoutActuallyEscaping` check trapped on exactly that).
        DispatchQueue.global().async {
            DispatchQueue.concurrentPerform(iterations: min(workers, plan.count)) { _ in
                while !isCancelled() {
                    let c = taken.add(1, ordering: .relaxed).oldValue
                    if c >= plan.count { break }
                    work(c)
                    finished.withLock { $0[c] = true }
                    ready.signal()
                }
            }
            ready.signal()  // wakes the merger when cancelled with chunks left
            group.leave()
        }
        var merged = StatsAccumulator()
        var next = 0
        var doneRecords = 0
        // Chunks that found their own lines number them from 0: where the chunk starts.
        var lineFile = -1, lineBase = 0
        while next < plan.count {
            ready.wait()
            var advanced = false
            while next < plan.count, finished.withLock({ $0[next] }) {
                var acc = results[next]
                results[next] = StatsAccumulator()
                let k = plan[next].file
                if findRecords {
                    if lineFile != k { (lineFile, lineBase) = (k, dataset.files[k].dataStartLine) }
                    for i in acc.malformed.indices { acc.malformed[i].line += lineBase }
                    lineBase += chunkNewlines[next]
                }
                // A chunk with no slots (or cancelled) left its counts empty: 0.
                doneRecords += acc.slotsPerFile[k, default: 0]
                merged.merge(acc)
                // After every chunk, not every batch of chunks found done together: which
                // values a full table keeps must not depend on timing.
                merged.keepRepeatsOfTruncatedFields()
                next += 1
                advanced = true
            }
            if advanced {
                partial?(merged, doneRecords, next == plan.count ? doneRecords : estimatedTotal(dataset))
            }
            if isCancelled() { break }
        }
        group.wait()
        return merged
    }

    /// One chunk of the scan: the slots of `file` that start in `bytes`.
    struct Chunk: Sendable {
        var file: Int
        var bytes: Range<Int>
    }

    /// Byte ranges covering every file: about three chunks a worker, at most 128 MiB (so a
    /// chunk counts fewer than 2^32 of anything, as `Tally` needs, and so a
    /// pane gets news of a huge file often). Not smaller: each chunk's value tables are
    /// merged by string, and a chunk too small to fill its tables hands over every value.
    /// (The index builder, itself parallel, gets past the first chunks within milliseconds.)
    static func chunkPlan(fileSizes: [Int], workers: Int, minChunkBytes: Int) -> [Chunk] {
        let total = fileSizes.reduce(0, +)
        let step = max(minChunkBytes, min(128 << 20, total / (workers * 3) + 1))
        var plan: [Chunk] = []
        for (k, size) in fileSizes.enumerated() {
            var lo = 0
            repeat {
                let hi = min(size, lo + step)
                plan.append(Chunk(file: k, bytes: lo..<hi))
                lo = hi
            } while lo < size
        }
        return plan
    }

    /// The global first slot and the file's local slots of `chunk`, waiting for the index
    /// builder to get past the chunk's end; nil if cancelled meanwhile.
    static func slots(of chunk: Chunk, in dataset: Dataset, isCancelled: () -> Bool) -> (global: Int, local: Range<Int>)? {
        let file = dataset.files[chunk.file]
        func slot(atOrAfter offset: Int) -> Int? {
            while true {
                if let s = file.index.firstSlot(atOrAfter: offset) { return s }
                if isCancelled() { return nil }
                usleep(200)
            }
        }
        guard let lo = slot(atOrAfter: chunk.bytes.lowerBound),
              let hi = chunk.bytes.upperBound >= file.size ? slot(atOrAfter: Int.max) : slot(atOrAfter: chunk.bytes.upperBound)
        else { return nil }
        // Files are indexed one after another: once this one has slots, the ones before are complete.
        let base = dataset.files[..<chunk.file].reduce(0) { $0 + $1.index.count }
        return (base + lo, lo..<max(lo, hi))
    }

    /// The record count, or while the index is being built, an estimate from the bytes it
    /// has read.
    static func estimatedTotal(_ dataset: Dataset) -> Int {
        let p = dataset.indexProgress
        if p.isComplete || p.bytesScanned == 0 { return p.records }
        return Int(Double(p.records) * Double(p.totalBytes) / Double(p.bytesScanned))
    }

    /// The reference path: every record through `Dataset.record(at:)`.
    static func scanRecords(_ dataset: Dataset, file: DataFile, global: Int, local: Range<Int>,
                            roles: Roles) -> StatsAccumulator {
        var acc = StatsAccumulator()
        let ragged = file.layout.format == .csv || file.layout.format == .tsv
        for i in local {
            switch dataset.record(at: global + i - local.lowerBound) {
            case .record(let r): acc.add(r, roles: roles)
            case .malformed(let m, _): acc.malformed.append(m)
            }
            if ragged, let w = dataset.warning(at: global + i - local.lowerBound) { acc.warnings.append(w) }
        }
        acc.keepRepeatsOfTruncatedFields()
        return acc
    }

    /// A chunk of a JSON Lines file, read without the index: the non-blank lines that start
    /// in `bytes` (the slots the index would give it), found here, each read by
    /// the fast scanner or else by the full parser. Lines of malformed records count from
    /// the chunk's first line (0); the merger adds where the chunk starts. Returns the
    /// counts, the slots found, and the newlines passed.
    static func scanLines(_ dataset: Dataset, fileIndex: Int, bytes: Range<Int>, roles: Roles,
                          fast: Bool) -> (acc: StatsAccumulator, slots: Int, newlines: Int) {
        let file = dataset.files[fileIndex]
        guard let base = file.mapped.base else { return (StatsAccumulator(), 0, 0) }
        let size = file.size
        // The first line starting in the range.
        var a = max(bytes.lowerBound, file.dataStart)
        if a > file.dataStart { a = min(size, Bytes.find(Bytes.newline, in: base, from: a - 1, to: size) + 1) }
        var scanner = FastJSONLScanner(roles: roles, base: base)
        let useFast = readsFast(file, roles: roles, fast: fast)
        var side = StatsAccumulator()
        var malformed: [MalformedRecord] = []
        let split = file.splitFromName.map { Array($0.utf8) }
        let source = file.sourceFromName.map { Array($0.utf8) }
        var slots = 0, newlines = 0
        var released = a
        while a < bytes.upperBound && a < size {
            let nl: Int
            if useFast, let e = scanner.scanLine(from: a, limit: size, index: slots, derivedSplit: split, derivedSource: source) {
                nl = e
                slots += 1
            } else {
                nl = Bytes.find(Bytes.newline, in: base, from: a, to: size)
                if Bytes.endTrimmingSpace(base, from: a, to: nl) > a {
                    // Rare: the full parser names the problem (or, if it disagrees, reads the record).
                    let parsed = file.parse(raw: UnsafeRawBufferPointer(start: base + a, count: nl - a))
                    if var value = parsed.value {
                        dataset.addDerivedFields(&value, file: file, local: slots)
                        side.add(Record(index: slots, fileIndex: fileIndex, line: newlines, value: value), roles: roles)
                    } else {
                        malformed.append(MalformedRecord(file: file.path, line: newlines, reason: parsed.failure ?? "unreadable"))
                    }
                    slots += 1
                }
            }
            if nl == size { break }
            newlines += 1
            a = nl + 1
            if a - released >= 16 << 20 {
                file.mapped.release(released..<a)
                released = a
            }
        }
        file.mapped.release(released..<min(a, size))
        return (chunkCounts(scanner, side: side, malformed: malformed, warnings: []), slots, newlines)
    }

    /// Whether `file`'s records go through `FastJSONLScanner` (else the full parser).
    static func readsFast(_ file: DataFile, roles: Roles, fast: Bool) -> Bool {
        let format = file.layout.format
        return fast && (format == .jsonl || format == .csv || format == .tsv) && file.layout.encoding == .utf8
            && roles.text.count <= 64 && RolePath.scannable(roles)
    }

    /// A chunk's counts: the fast scanner's, plus what the full parser read.
    static func chunkCounts(_ scanner: FastJSONLScanner, side: StatsAccumulator, malformed: [MalformedRecord],
                            warnings: [MalformedRecord]) -> StatsAccumulator {
        // Records read by the full parser add to the same tables, so singletons stay until then.
        var acc = scanner.accumulator(repeatsOnly: side.records == 0)
        acc.merge(side)
        acc.malformed = malformed
        acc.warnings = warnings
        acc.keepRepeatsOfTruncatedFields()
        return acc
    }

    /// The fast path for JSON Lines, CSV and TSV in UTF-8.
    static func scanFast(_ dataset: Dataset, file: DataFile, base: UnsafeRawPointer, global: Int,
                          local: Range<Int>, roles: Roles) -> StatsAccumulator {
        let starts = file.index.starts(local, fileEnd: file.size)
        var scanner = FastJSONLScanner(roles: roles, base: base)
        var side = StatsAccumulator()
        var malformed: [MalformedRecord] = []
        let split = file.splitFromName.map { Array($0.utf8) }
        let source = file.sourceFromName.map { Array($0.utf8) }
        var warnings: [MalformedRecord] = []
        let delimited = file.layout.format != .jsonl
        let columns = file.layout.columns.count
        var released = starts[0]
        for k in 0..<local.count {
            let a = starts[k]
            let b = starts[k + 1]
            let ok: Bool
            if delimited {
                let fields = scanner.scanDelimitedRecord(from: a, to: b, index: global + k, layout: file.layout,
                                                         derivedSplit: split, derivedSource: source)
                ok = fields != nil
                if let fields, fields != columns {
                    warnings.append(MalformedRecord(
                        file: file.path, line: file.line(of: local.lowerBound + k),
                        reason: "\(fields) field\(fields == 1 ? "" : "s") where the header has \(columns)"))
                }
            } else {
                ok = scanner.scanRecord(from: a, to: Bytes.endTrimmingSpace(base, from: a, to: b), index: global + k,
                                        derivedSplit: split, derivedSource: source)
            }
            if !ok {
                // Rare: ask the full parser, which names the problem (or, if it disagrees, reads the record).
                switch dataset.record(at: global + k) {
                case .record(let r):
                    side.add(r, roles: roles)
                    if delimited, let w = dataset.warning(at: global + k) { warnings.append(w) }
                case .malformed(let m, _): malformed.append(m)
                }
            }
            if a - released >= 16 << 20 {
                file.mapped.release(released..<a)
                released = a
            }
        }
        file.mapped.release(released..<starts[local.count])
        return chunkCounts(scanner, side: side, malformed: malformed, warnings: warnings)
    }
}

/// A record source that can also be scanned for stats (the Labels pane needs one).
public protocol StatsSource: AnyObject, Sendable {
    /// Scan every record, calling `partial` with the counts merged so far after each chunk;
    /// returns the exact counts (or what was counted before `isCancelled` turned true).
    func scanStats(partial: @escaping @Sendable (StatsAccumulator, _ done: Int, _ total: Int) -> Void,
                   isCancelled: @escaping @Sendable () -> Bool) -> StatsAccumulator
}

extension Dataset: StatsSource {
    public func scanStats(partial: @escaping @Sendable (StatsAccumulator, Int, Int) -> Void,
                          isCancelled: @escaping @Sendable () -> Bool) -> StatsAccumulator {
        StatsScan.run(self, partial: partial, isCancelled: isCancelled)
    }
}

extension Dataset {
    /// Malformed slots among `range`: JSON Lines are checked with the fast scanner (no
    /// record is built) and the pages read are released; other formats are parsed.
    public func malformedSlots(in range: Range<Int>) -> [(index: Int, record: MalformedRecord)] {
        var out: [(index: Int, record: MalformedRecord)] = []
        var i = range.lowerBound
        while i < range.upperBound {
            guard let (k, local) = locate(i) else { break }
            let file = files[k]
            let n = min(range.upperBound - i, file.index.count - local)
            guard n > 0 else { break }
            if file.layout.format == .jsonl, file.layout.encoding == .utf8, let base = file.mapped.base {
                let starts = file.index.starts(local..<(local + n), fileEnd: file.size)
                var scanner = FastJSONLScanner(roles: Roles(), base: base)
                for j in 0..<n {
                    let b = Bytes.endTrimmingSpace(base, from: starts[j], to: starts[j + 1])
                    if !scanner.isValidRecord(from: starts[j], to: b),
                       case .malformed(let m, _) = record(at: i + j) {
                        out.append((i + j, m))
                    }
                }
                if options.releasePages { file.mapped.release(starts[0]..<starts[n]) }
            } else {
                for j in 0..<n {
                    if case .malformed(let m, _) = record(at: i + j) { out.append((i + j, m)) }
                }
            }
            i += n
        }
        return out
    }
}
