/// A deterministic 64-bit hash of bytes, 8 bytes a step with a final avalanche, so that
/// distinct-count estimates are the same on every run (Swift's Hasher is seeded per process).
public enum StableHash {
    public static func hash(_ s: String) -> UInt64 {
        var s = s
        return s.withUTF8 { hash(UnsafeRawBufferPointer($0)) }
    }

    @inline(__always)
    public static func hash(_ raw: UnsafeRawBufferPointer) -> UInt64 {
        guard let base = raw.baseAddress else { return mix(0x9E37_79B9_7F4A_7C15) }
        return hash(base, raw.count)
    }

    @inline(__always)
    static func hash(_ p: UnsafeRawPointer, _ n: Int) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ (UInt64(n) &* 0xff51_afd7_ed55_8ccd)
        var i = 0
        while i + 8 <= n {
            let w = p.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            h = (h ^ (w &* 0x87c3_7b91_1142_53d5)).rotatedLeft(31) &* 0x4cf5_ad43_2745_937f
            i += 8
        }
        if i < n {
            var w: UInt64 = 0
            var k = 0
            while i < n {
                w |= UInt64(p.load(fromByteOffset: i, as: UInt8.self)) << UInt64(8 * k)
                i += 1
                k += 1
            }
            h = (h ^ (w &* 0x87c3_7b91_1142_53d5)).rotatedLeft(31) &* 0x4cf5_ad43_2745_937f
        }
        return mix(h)
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
        var out: [(Int, Int)] = []
        for (v, c) in dense.enumerated() where c > 0 { out.append((v, c)) }
        for v in sparse.keys.sorted() { out.append((v, sparse[v]!)) }
        return out
    }

    /// The q-quantile (nearest rank; q in 0...1).
    public func quantile(_ q: Double) -> Int? {
        guard total > 0 else { return nil }
        let rank = max(1, Int((q * Double(total)).rounded(.up)))
        var seen = 0
        for (v, c) in pairs {
            seen += c
            if seen >= rank { return v }
        }
        return pairs.last?.value
    }

    public var mean: Double { total == 0 ? 0 : Double(sum) / Double(total) }
}
