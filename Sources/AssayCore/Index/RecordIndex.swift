import Synchronization

/// Where each record slot starts in a file: a compact, growable table built by one
/// pass over the bytes. Records are parsed only when asked for.
///
/// Offsets are kept in blocks of 4096 records: one 64-bit base offset and line
/// number per block, one 32-bit delta per record (~4 bytes a record). A block whose
/// records span more than 4 GiB falls back to full offsets. Readers may use the slots
/// found so far while the builder is still running.
public final class RecordIndex: Sendable {
    static let blockShift = 12
    static let blockSize = 1 << blockShift

    struct Block: Sendable {
        var baseOffset: Int
        var baseLine: Int
        /// Every record in the block starts exactly one line after the previous one.
        var dense: Bool
        var deltas: [UInt32]
        /// Absolute offsets, used instead of `deltas` once a delta would overflow.
        var wide: [Int]?

        func offset(_ k: Int) -> Int {
            if let wide { return wide[k] }
            return baseOffset + Int(deltas[k])
        }
    }

    struct State: Sendable {
        var blocks: [Block] = []
        var count = 0
        var bytesScanned: Int64 = 0
        var complete = false
        /// Only the first slots were indexed, on purpose (see `finishSample`).
        var sampleOnly = false
        var lastLine = 0
    }

    let totalBytes: Int64
    private let state = Mutex(State())

    init(totalBytes: Int) {
        self.totalBytes = Int64(totalBytes)
    }

    /// Record slots found so far.
    public var count: Int { state.withLock { $0.count } }

    public var isComplete: Bool { state.withLock { $0.complete } }

    /// The builder stopped after the first slots, for role inference: a one-pass scan
    /// reads the rest of the file itself (`OpenOptions.sampleIndexOnly`).
    public var isSampleOnly: Bool { state.withLock { $0.sampleOnly } }

    public var progress: IndexProgress {
        state.withLock { s in
            IndexProgress(records: s.count, bytesScanned: s.complete ? totalBytes : s.bytesScanned,
                          totalBytes: totalBytes, isComplete: s.complete)
        }
    }

    /// Start offset of slot `i`, and of the slot after it (nil if `i` is the last found so far).
    func bounds(of i: Int) -> (start: Int, next: Int?) {
        state.withLock { s in
            let start = s.blocks[i >> Self.blockShift].offset(i & (Self.blockSize - 1))
            let j = i + 1
            guard j < s.count else { return (start, nil) }
            return (start, s.blocks[j >> Self.blockShift].offset(j & (Self.blockSize - 1)))
        }
    }

    /// Start offsets of slots `range` plus one more: the next slot's start, or `fileEnd`.
    func starts(_ range: Range<Int>, fileEnd: Int) -> [Int] {
        state.withLock { s in
            var out: [Int] = []
            out.reserveCapacity(range.count + 1)
            for i in range { out.append(s.blocks[i >> Self.blockShift].offset(i & (Self.blockSize - 1))) }
            let j = range.upperBound
            out.append(j < s.count ? s.blocks[j >> Self.blockShift].offset(j & (Self.blockSize - 1)) : fileEnd)
            return out
        }
    }

    /// The first slot starting at or after byte `offset`, once the index can tell: a slot
    /// found so far starts there or later, or the index is complete (then `count` if none
    /// does). Nil while the builder has not got that far. Slots start in ascending order.
    func firstSlot(atOrAfter offset: Int) -> Int? {
        state.withLock { s in
            @inline(__always) func start(_ i: Int) -> Int { s.blocks[i >> Self.blockShift].offset(i & (Self.blockSize - 1)) }
            guard s.count > 0, start(s.count - 1) >= offset else { return s.complete ? s.count : nil }
            var lo = 0, hi = s.count - 1
            while lo < hi {
                let mid = (lo + hi) >> 1
                if start(mid) >= offset { hi = mid } else { lo = mid + 1 }
            }
            return lo
        }
    }

    /// 1-based line where slot `i` starts. `base` is the file's bytes, needed to count
    /// lines in blocks whose records span several lines (CSV with embedded newlines).
    func line(of i: Int, base: UnsafeRawPointer?) -> Int {
        let block = state.withLock { $0.blocks[i >> Self.blockShift] }
        let k = i & (Self.blockSize - 1)
        if block.dense { return block.baseLine + k }
        guard let base else { return block.baseLine }
        return block.baseLine + Bytes.countNewlines(in: base, from: block.baseOffset, to: block.offset(k))
    }

    /// Append slots found by the builder: ascending offsets with their 1-based lines.
    func append(offsets: [Int], lines: [Int], scannedTo: Int) {
        state.withLock { s in
            for (offset, line) in zip(offsets, lines) {
                let k = s.count & (Self.blockSize - 1)
                if k == 0 {
                    var b = Block(baseOffset: offset, baseLine: line, dense: true, deltas: [])
                    b.deltas.reserveCapacity(Self.blockSize)
                    s.blocks.append(b)
                } else if line != s.lastLine + 1 {
                    s.blocks[s.blocks.count - 1].dense = false
                }
                let bi = s.blocks.count - 1
                let delta = offset - s.blocks[bi].baseOffset
                if s.blocks[bi].wide != nil {
                    s.blocks[bi].wide!.append(offset)
                } else if delta > Int(UInt32.max) {
                    let b = s.blocks[bi]
                    s.blocks[bi].wide = b.deltas.map { b.baseOffset + Int($0) } + [offset]
                    s.blocks[bi].deltas = []
                } else {
                    s.blocks[bi].deltas.append(UInt32(delta))
                }
                s.lastLine = line
                s.count += 1
            }
            s.bytesScanned = Int64(scannedTo)
        }
    }

    /// End a build that indexed only the first slots (`isComplete` stays false).
    func finishSample() {
        state.withLock { $0.sampleOnly = true }
    }

    func finish() {
        state.withLock { s in
            s.complete = true
            s.bytesScanned = totalBytes
        }
    }
}
