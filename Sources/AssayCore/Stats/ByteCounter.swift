#if canImport(Glibc)
import Glibc
#endif

/// Counts of byte strings in an open-addressing table; keys live in one arena, so a
/// lookup allocates nothing. Stops adding new keys at `cap` (existing keys keep counting).
struct ByteCounter {
    /// Upper 32 bits: the key's hash tag; lower 32 bits: entry index + 1; 0 = empty.
    /// Keeping the tag in the slot means a probe touches one cache line, not two.
    private var table: [UInt64]
    private var hashes: [UInt64] = []
    private var starts: [Int] = []
    private var lengths: [Int] = []
    private(set) var counts: [Int] = []
    private var arena: [UInt8] = []
    let cap: Int
    private(set) var truncated = false
    /// One bit per hash bucket of the keys held (64 Ki bits): once the table is full,
    /// most new values are turned away here without touching the table (a cache miss).
    private var filter = [UInt64](repeating: 0, count: 1024)

    init(cap: Int) {
        self.cap = cap
        table = [UInt64](repeating: 0, count: 16)
    }

    var count: Int { counts.count }

    /// Add `n` to the key's count. Returns the entry index, or -1 when the table is full
    /// and the key is new.
    @inline(__always)
    mutating func add(_ p: UnsafeRawPointer?, _ len: Int, hash: UInt64, n: Int = 1) -> Int32 {
        let bucket = Int(truncatingIfNeeded: hash >> 40) & 0xFFFF
        let bit: UInt64 = 1 << UInt64(bucket & 63)
        if counts.count >= cap, filter[bucket >> 6] & bit == 0 {
            truncated = true
            return -1
        }
        let mask = table.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        let tag = hash & 0xFFFF_FFFF_0000_0000
        while true {
            let e = table[slot]
            if e == 0 { break }
            if e & 0xFFFF_FFFF_0000_0000 == tag {
                let i = Int(e & 0xFFFF_FFFF) - 1
                if lengths[i] == len, equal(i, p, len) {
                    counts[i] += n
                    return Int32(i)
                }
            }
            slot = (slot + 1) & mask
        }
        guard counts.count < cap else {
            truncated = true
            return -1
        }
        let i = counts.count
        hashes.append(hash)
        starts.append(arena.count)
        lengths.append(len)
        counts.append(n)
        if len > 0, let p { arena.append(contentsOf: UnsafeRawBufferPointer(start: p, count: len)) }
        table[slot] = tag | UInt64(i + 1)
        filter[bucket >> 6] |= bit
        if counts.count * 2 > table.count { grow() }
        return Int32(i)
    }

    @inline(__always)
    private func equal(_ i: Int, _ p: UnsafeRawPointer?, _ len: Int) -> Bool {
        if len == 0 { return true }
        return arena.withUnsafeBytes { a in memcmp(a.baseAddress! + starts[i], p!, len) == 0 }
    }

    private mutating func grow() {
        var t = [UInt64](repeating: 0, count: table.count * 2)
        let mask = t.count - 1
        for i in 0..<counts.count {
            var slot = Int(truncatingIfNeeded: hashes[i]) & mask
            while t[slot] != 0 { slot = (slot + 1) & mask }
            t[slot] = (hashes[i] & 0xFFFF_FFFF_0000_0000) | UInt64(i + 1)
        }
        table = t
    }

    /// The key of entry `i` as text (UTF-8).
    func key(_ i: Int) -> String {
        let s = starts[i], n = lengths[i]
        return arena.withUnsafeBytes { String(decoding: UnsafeRawBufferPointer(rebasing: $0[s..<(s + n)]), as: UTF8.self) }
    }

    /// All entries as a dictionary.
    func dictionary() -> [String: Int] {
        var d: [String: Int] = [:]
        d.reserveCapacity(counts.count)
        for i in 0..<counts.count { d[key(i), default: 0] += counts[i] }
        return d
    }
}
