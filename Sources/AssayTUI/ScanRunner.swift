import AssayCore
import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs the background scans (filter, search, malformed lines) on other threads.
/// Results come back as actions through an inbox that the UI thread drains.
/// Each scan checks its cancel flag between records.
final class ScanRunner: Sendable {
    private let inbox = Mutex<[Action]>([])
    private let cancelled = Mutex<Set<Int>>([])
    private let running = Mutex<Set<Int>>([])
    /// The stats scan's latest counts: each report replaces the one before, so a
    /// slow UI thread takes in only the newest.
    private let latestStats = Mutex<Action?>(nil)
    /// Tests run scans synchronously for deterministic screens; such a scan
    /// stops at the records indexed so far instead of waiting for more.
    let inline: Bool

    init(inline: Bool) {
        self.inline = inline
    }

    /// Actions produced since the last call.
    func drain() -> [Action] {
        var out = inbox.withLock { box in
            defer { box.removeAll() }
            return box
        }
        let now = Self.now()
        if let s = latestStats.withLock({ slot -> Action? in
            // Partial counts are taken in at most every `partialInterval` (each one
            // rebuilds the Labels model on the UI thread, time the scan's cores could use);
            // until then the newest waits in the slot. The exact counts go at once.
            if case .statsUpdate(_, _, _, _, false)? = slot, !inline,
               now &- lastPartialTaken.withLock({ $0 }) < Self.partialInterval {
                return nil
            }
            defer { slot = nil }
            return slot
        }) {
            if case .statsUpdate(_, _, _, _, false) = s { lastPartialTaken.withLock { $0 = now } }
            out.append(s)
        }
        return out
    }

    /// Least time between two partial stats results taken in by the UI thread.
    static let partialInterval: UInt64 = 150_000_000
    private let lastPartialTaken = Mutex<UInt64>(0)

    var isBusy: Bool { running.withLock { !$0.isEmpty } }

    func cancel(_ id: Int) {
        _ = cancelled.withLock { $0.insert(id) }
    }

    func cancelAll() {
        let ids = running.withLock { $0 }
        cancelled.withLock { $0.formUnion(ids) }
    }

    private func isCancelled(_ id: Int) -> Bool { cancelled.withLock { $0.contains(id) } }

    private func post(_ a: Action) { inbox.withLock { $0.append(a) } }

    func perform(_ effect: Effect, source: any RecordSource, roles: Roles) {
        let job: @Sendable () -> Void
        let id: Int
        switch effect {
        case .startFilterScan(let i, let expression):
            id = i
            job = { [self] in self.scan(id: i, source: source, from: 0, wrap: false) { expression.matches($0, roles: roles) } }
        case .startSearchScan(let i, let expression, let from):
            id = i
            job = { [self] in self.scan(id: i, source: source, from: from, wrap: true) { expression.matches($0, roles: roles) } }
        case .startMalformedScan(let i):
            id = i
            job = { [self] in self.scanMalformed(id: i, source: source) }
        case .locateMalformed(let i, let record):
            id = i
            job = { [self] in self.post(.located(id: i, index: self.locate(id: i, record, source: source))) }
        case .startStatsScan(let i):
            id = i
            guard let stats = source as? StatsSource else { return }
            job = { [self] in self.scanStats(id: i, stats, source: source) }
        case .cancelScan(let i):
            cancel(i)
            return
        case .redraw:
            return
        }
        if inline {
            job()
            return
        }
        _ = running.withLock { $0.insert(id) }
        DispatchQueue.global(qos: .utility).async { [self] in
            job()
            _ = self.running.withLock { $0.remove(id) }
            _ = self.cancelled.withLock { $0.remove(id) }
        }
    }

    private static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

    /// Scans records `from..<count` (waiting for the index to grow while it is
    /// being built), then `0..<from` if `wrap`, posting matches about every 30 ms.
    private func scan(id: Int, source: any RecordSource, from: Int, wrap: Bool, matches: (RecordResult) -> Bool) {
        var found: [Int] = []
        var i = max(0, from)
        var scanned = 0
        var phase2 = false
        var lastPost = Self.now()
        var postedAny = false
        func flush(done: Bool) {
            post(.scanProgress(id: id, found: found, scanned: scanned, total: source.recordCount, done: done))
            found.removeAll(keepingCapacity: true)
            lastPost = Self.now()
        }
        while !isCancelled(id) {
            let count = source.recordCount
            let end = phase2 ? min(from, count) : count
            if i >= end {
                if phase2 { break }
                if !source.indexProgress.isComplete && !inline {
                    flush(done: false)
                    sleepMilliseconds(20)
                    continue
                }
                if source.recordCount > i { continue }
                if wrap && from > 0 {
                    phase2 = true
                    i = 0
                    continue
                }
                break
            }
            if matches(source.record(at: i)) {
                found.append(i)
                if !postedAny {
                    // Show the first hit at once (a search jumps to it).
                    postedAny = true
                    scanned += 1
                    i += 1
                    flush(done: false)
                    continue
                }
            }
            i += 1
            scanned += 1
            if scanned & 127 == 0, Self.now() - lastPost > 30_000_000 { flush(done: false) }
        }
        if !isCancelled(id) { flush(done: true) }
    }

    private func scanStats(id: Int, _ stats: any StatsSource, source: any RecordSource) {
        let final = stats.scanStats(partial: { [self] acc, done, total in
            guard !self.isCancelled(id) else { return }
            self.latestStats.withLock { $0 = .statsUpdate(id: id, acc: acc, done: done, total: total, complete: false) }
        }, isCancelled: { [self] in self.isCancelled(id) })
        guard !isCancelled(id) else { return }
        // The scan may find JSON Lines records itself, ahead of the index.
        let total = max(source.recordCount, final.slotsPerFile.values.reduce(0, +))
        latestStats.withLock { $0 = .statsUpdate(id: id, acc: final, done: total, total: total, complete: true) }
    }

    private func scanMalformed(id: Int, source: any RecordSource) {
        var found: [MalformedEntry] = []
        var i = 0
        var lastPost = Self.now()
        func flush(done: Bool) {
            post(.malformedFound(id: id, entries: found, scanned: i, total: source.recordCount, done: done))
            found.removeAll()
            lastPost = Self.now()
        }
        while !isCancelled(id) {
            if i >= source.recordCount {
                if !source.indexProgress.isComplete && !inline {
                    flush(done: false)
                    sleepMilliseconds(50)
                    continue
                }
                if source.recordCount > i { continue }
                break
            }
            // A block at a time: the source may check many slots faster than it parses them.
            let upTo = min(source.recordCount, i + 4096)
            for (index, m) in source.malformedSlots(in: i..<upTo) {
                found.append(MalformedEntry(record: m, index: index))
            }
            i = upTo
            if Self.now() - lastPost > 100_000_000 { flush(done: false) }
        }
        if !isCancelled(id) { flush(done: true) }
    }

    /// The slot of a malformed line: binary search by line (exact for one file),
    /// verified, else a linear scan.
    private func locate(id: Int, _ m: MalformedRecord, source: any RecordSource) -> Int? {
        func isIt(_ r: RecordResult) -> Bool {
            if case .malformed(let x, _) = r { return x.file == m.file && x.line == m.line }
            return false
        }
        var lo = 0
        var hi = source.recordCount - 1
        while lo <= hi {
            let mid = (lo + hi) / 2
            let r = source.record(at: mid)
            if isIt(r) { return mid }
            let line: Int
            switch r {
            case .record(let rec): line = rec.line
            case .malformed(let x, _): line = x.line
            }
            if line < m.line { lo = mid + 1 } else { hi = mid - 1 }
        }
        for i in 0..<source.recordCount {
            if i & 1023 == 0, isCancelled(id) { return nil }
            if isIt(source.record(at: i)) { return i }
        }
        return nil
    }
}

/// Sleeps the current (background) thread.
func sleepMilliseconds(_ milliseconds: Int) {
    var ts = timespec(tv_sec: milliseconds / 1000, tv_nsec: (milliseconds % 1000) * 1_000_000)
    nanosleep(&ts, nil)
}
