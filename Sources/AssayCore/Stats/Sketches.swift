/// A deterministic 64-bit hash of bytes, 8 bytes a step with a final avalanche, so that
/// distinct-count estimates are the same on every run (Swift's Hasher is seeded per process).
public enum StableHash {
    public static func hash(_ s: String) -> UInt64 {
        var s = s
        return s.withUTF8 { hash(UnsafeRawBufferPointer($0)) }
    }

    /// Sixteen lowercase hex digits.
    public static func hex(_ h: UInt64) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(16)
        appendHex(h, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// The sixteen lowercase hex digits of `h`, appended as bytes.
    static func appendHex(_ h: UInt64, to out: inout [UInt8]) {
        for shift in stride(from: 60, through: 0, by: -4) {
            let d = UInt8(truncatingIfNeeded: (h >> UInt64(shift)) & 0xF)
            out.append(d < 10 ? 0x30 + d : 0x57 + d)
        }
    }

    @inline(__always)
    public static func hash(_ raw: UnsafeRawBufferPointer) -> UInt64 {
        guard let base = raw.baseAddress else { return mix(0x9E37_79B9_7F4A_7C15) }
        return hash(base, raw.count)
    }

    /// Two words that, together with the length, identify a key of up to 16 bytes exactly
    /// (overlapping loads), and fingerprint a longer one (its first and last 8 bytes).
    @inline(__always)
    static func fingerprint(_ p: UnsafeRawPointer?, _ n: Int) -> (UInt64, UInt64) {
        guard let p, n > 0 else { return (0, 0) }
        if n >= 8 {
            let a = p.loadUnaligned(as: UInt64.self)
            let b = p.loadUnaligned(fromByteOffset: n >= 16 ? 8 : n - 8, as: UInt64.self)
            if n <= 16 { return (a, b) }
            return (a, b ^ p.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self))
        }
        if n >= 4 {
            let a = UInt64(p.loadUnaligned(as: UInt32.self))
            let b = UInt64(p.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self))
            return (a | b << 32, 0)
        }
        let a = UInt64(p.load(as: UInt8.self))
        let b = UInt64(p.load(fromByteOffset: n >> 1, as: UInt8.self))
        let c = UInt64(p.load(fromByteOffset: n - 1, as: UInt8.self))
        return (a | b << 8 | c << 16, 0)
    }

    /// Longer values take sixteen bytes a multiply: the 128-bit product of two words, each
    /// xor-ed with a constant or the running state, folded to 64 bits (as wyhash does).
    /// Every constant holds a 0xFF byte, which UTF-8 text never does, so no word of text
    /// can cancel one and zero the product.
    @inline(__always)
    static func hash(_ p: UnsafeRawPointer, _ n: Int) -> UInt64 {
        @inline(__always) func step(_ h: UInt64, _ w: UInt64) -> UInt64 {
            (h ^ (w &* 0x87c3_7b91_1142_53d5)).rotatedLeft(31) &* 0x4cf5_ad43_2745_937f
        }
        if n <= 16 {
            // Short values (labels, splits, ids, dates): the fingerprint holds every byte.
            let (a, b) = fingerprint(p, n)
            return mix(step(step(0x9E37_79B9_7F4A_7C15 ^ (UInt64(n) &* 0xff51_afd7_ed55_8ccd), a), b))
        }
        @inline(__always) func word(_ k: Int) -> UInt64 { p.loadUnaligned(fromByteOffset: k, as: UInt64.self) }
        @inline(__always) func fold(_ a: UInt64, _ b: UInt64) -> UInt64 {
            let r = a.multipliedFullWidth(by: b)
            return r.high ^ r.low
        }
        let k0: UInt64 = 0xa076_1d64_78bd_64ff, k1: UInt64 = 0xe703_7ed1_a0b4_28ff, k2: UInt64 = 0x8ebc_6af0_9c88_c6ff
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ (UInt64(n) &* 0xff51_afd7_ed55_8ccd)
        var i = 0
        if n > 48 {
            // Three independent lanes, so long texts do not wait on one multiply chain.
            var h1 = h ^ k1, h2 = h ^ k2
            while i + 48 < n {
                h = fold(word(i) ^ k0, word(i + 8) ^ h)
                h1 = fold(word(i + 16) ^ k1, word(i + 24) ^ h1)
                h2 = fold(word(i + 32) ^ k2, word(i + 40) ^ h2)
                i += 48
            }
            h ^= h1 ^ h2
        }
        while i + 16 < n {
            h = fold(word(i) ^ k0, word(i + 8) ^ h)
            i += 16
        }
        // The last sixteen bytes, overlapping the ones before (n > 16).
        return mix(fold(word(n - 16) ^ k1, word(n - 8) ^ h) ^ (UInt64(n) &* k2))
    }

    @inline(__always)
    static func mix(_ x: UInt64) -> UInt64 {
        var z = x
        z = (z ^ (z >> 33)) &* 0xff51_afd7_ed55_8ccd
        z = (z ^ (z >> 33)) &* 0xc4ce_b9fe_1a85_ec53
        return z ^ (z >> 33)
    }
}

extension UInt64 {
    @inline(__always) func rotatedLeft(_ k: UInt64) -> UInt64 { (self << k) | (self >> (64 - k)) }
}

/// HyperLogLog distinct-count estimator (2^14 registers, ~0.8% standard error).
public struct HyperLogLog: Sendable {
    static let p = 14
    static let m = 1 << p
    var registers: [UInt8]

    public init() {
        registers = [UInt8](repeating: 0, count: Self.m)
    }

    init(registers: UnsafeBufferPointer<UInt8>) {
        self.registers = Array(registers)
    }

    public mutating func add(hash: UInt64) {
        registers.withUnsafeMutableBufferPointer { Self.add(hash: hash, to: $0.baseAddress!) }
    }

    @inline(__always)
    static func add(hash: UInt64, to registers: UnsafeMutablePointer<UInt8>) {
        let idx = Int(hash >> UInt64(64 - p))
        let rest = hash << UInt64(p) | (1 << UInt64(p - 1))
        let rank = UInt8(rest.leadingZeroBitCount + 1)
        if rank > registers[idx] { registers[idx] = rank }
    }

    public mutating func merge(_ other: HyperLogLog) {
        for i in 0..<Self.m where other.registers[i] > registers[i] { registers[i] = other.registers[i] }
    }

    public var estimate: Int {
        let m = Double(Self.m)
        var sum = 0.0
        var zeros = 0
        for r in registers {
            sum += 1.0 / Double(UInt64(1) << UInt64(r))
            if r == 0 { zeros += 1 }
        }
        let alpha = 0.7213 / (1 + 1.079 / m)
        var e = alpha * m * m / sum
        if e <= 2.5 * m, zeros > 0 {
            e = m * log(m / Double(zeros))
        }
        return Int(e.rounded())
    }
}

#if canImport(Glibc)
import Glibc
#endif

/// Counts of small non-negative integers (text lengths), exact and mergeable.
public struct IntHistogram: Sendable, Equatable {
    /// counts[v] for v < dense.count; larger values in `sparse`.
    var dense: [Int] = []
    var sparse: [Int: Int] = [:]
    public private(set) var total = 0
    public private(set) var sum = 0
    static let denseLimit = 1 << 16

    public init() {}

    public mutating func add(_ v: Int, count: Int = 1) {
        total += count
        sum += v * count
        if v < Self.denseLimit {
            if v >= dense.count { dense += [Int](repeating: 0, count: max(v + 1 - dense.count, min(1024, Self.denseLimit - dense.count))) }
            dense[v] += count
        } else {
            sparse[v, default: 0] += count
        }
    }

    public mutating func merge(_ o: IntHistogram) {
        for (v, c) in o.dense.enumerated() where c > 0 { add(v, count: c) }
        for (v, c) in o.sparse { add(v, count: c) }
    }

    /// Ascending (value, count) pairs.
    public var pairs: [(value: Int, count: Int)] {
        // Built with the labelled element type: an array of plain `(Int, Int)` returned as
        // this type is converted element by element through dynamic casts.
        var out: [(value: Int, count: Int)] = []
        for (v, c) in dense.enumerated() where c > 0 { out.append((v, c)) }
        for v in sparse.keys.sorted() { out.append((v, sparse[v]!)) }
        return out
    }

    /// The q-quantile (nearest rank; q in 0...1).
    public func quantile(_ q: Double) -> Int? {
        guard total > 0 else { return nil }
        let rank = max(1, Int((q * Double(total)).rounded(.up)))
        var seen = 0
        for (v, c) in dense.enumerated() where c > 0 {
            seen += c
            if seen >= rank { return v }
        }
        let large = sparse.keys.sorted()
        for v in large {
            seen += sparse[v]!
            if seen >= rank { return v }
        }
        return large.last ?? dense.lastIndex { $0 > 0 }
    }

    public var mean: Double { total == 0 ? 0 : Double(sum) / Double(total) }
}

/// Counts of non-negative integers (text lengths) in a growable buffer, for the scan's
/// per-record updates (an `IntHistogram` checks its array's uniqueness on every add);
/// `histogram` hands them over.
///
/// Counts are 32-bit: a scan chunk holds at most 128 MiB, so no count reaches 2^32, and
/// the per-label text-length tallies take half the cache (their updates miss it often).
final class Tally {
    private var counts: UnsafeMutablePointer<UInt32>
    private var capacity = 256
    private var large: [Int: Int] = [:]

    init() {
        counts = .allocate(capacity: capacity)
        counts.initialize(repeating: 0, count: capacity)
    }

    deinit { counts.deallocate() }

    @inline(__always) func add(_ v: Int) {
        if v < capacity { counts[v] &+= 1 } else { addBeyond(v) }
    }

    private func addBeyond(_ v: Int) {
        guard v < IntHistogram.denseLimit else {
            large[v, default: 0] += 1
            return
        }
        let c = min(IntHistogram.denseLimit, max(v + 1, capacity * 2))
        counts = counts.grown(moving: capacity, to: c)
        (counts + capacity).initialize(repeating: 0, count: c - capacity)
        capacity = c
        counts[v] &+= 1
    }

    var histogram: IntHistogram {
        var h = IntHistogram()
        for v in 0..<capacity where counts[v] > 0 { h.add(v, count: Int(counts[v])) }
        for (v, c) in large.sorted(by: { $0.key < $1.key }) { h.add(v, count: c) }
        return h
    }
}
