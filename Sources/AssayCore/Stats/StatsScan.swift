import Dispatch
import Foundation
import Synchronization

/// Runs a full scan of a dataset on all cores and returns the merged counts.
public enum StatsScan {
    /// Scan every record. `progress` is called now and then with (slots done, slots total).
    public static func run(_ dataset: Dataset, progress: (@Sendable (Int, Int) -> Void)? = nil) -> StatsAccumulator {
        dataset.waitForIndex()
        let total = dataset.recordCount
        let roles = dataset.roles
        let workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
        let chunk = max(1024, min(65_536, total / (workers * 8) + 1))
        let chunks = (total + chunk - 1) / chunk
        let results = Mutex<[Int: StatsAccumulator]>([:])
        let done = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            var acc = StatsAccumulator()
            let lo = c * chunk, hi = min(total, lo + chunk)
            for i in lo..<hi {
                switch dataset.record(at: i) {
                case .record(let r):
                    acc.add(r, roles: roles)
                case .malformed(let m, _):
                    acc.malformed.append(m)
                }
            }
            if dataset.hasWarnings {
                for i in lo..<hi { if let w = dataset.warning(at: i) { acc.warnings.append(w) } }
            }
            results.withLock { $0[c] = acc }
            let d = done.add(hi - lo, ordering: .relaxed).newValue
            progress?(d, total)
        }
        var merged = StatsAccumulator()
        results.withLock { r in
            for c in 0..<chunks { if let a = r[c] { merged.merge(a) } }
        }
        return merged
    }
}

extension Dataset {
    /// Whether any file can hold records with warnings (delimited files can have ragged rows).
    var hasWarnings: Bool {
        files.contains { $0.layout.format == .csv || $0.layout.format == .tsv }
    }
}
