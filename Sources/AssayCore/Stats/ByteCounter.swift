#if canImport(Glibc)
import Glibc
#endif

/// Counts of byte strings in an open-addressing table; keys live in one arena, so a
/// lookup allocates nothing. Stops adding new keys at `cap` (existing keys keep counting).
///
/// A class over manually managed memory: the stats scan calls `add` for every value of
/// every record, and Swift arrays would cost a uniqueness and a bounds check per access.
/// Keys of up to 16 bytes are compared as two machine words (no `memcmp` call).
final class ByteCounter {
    /// One per key: its hash, a 16-byte fingerprint of its bytes, where it sits in the arena.
    private struct Entry {
        var hash: UInt64
        var k0: UInt64
        var k1: UInt64
        var start: Int
        var length: Int
        var count: Int
    }

    /// Upper 32 bits: the key's hash tag; lower 32 bits: entry index + 1; 0 = empty.
    /// Keeping the tag in the slot means a probe touches one cache line, not two.
    private var table: UnsafeMutablePointer<UInt64>
    private var mask: Int
    private var entries: UnsafeMutablePointer<Entry>
    private var entryCapacity: Int
    private(set) var count = 0
    private var arena: UnsafeMutablePointer<UInt8>
    private var arenaCount = 0
    private var arenaCapacity: Int
    let cap: Int
    private(set) var truncated = false
    /// Once the table is full: a Bloom filter of the keys held (two bits a key in one
    /// word, about 26 bits a key), so that nearly every new value is turned away without
    /// touching the table, a cache miss (about 0.5% get through, against 15% through the
    /// one-bit-a-bucket filter this replaced; a third of a high-cardinality field's time
    /// went to those misses).
    private var full: UnsafeMutablePointer<UInt64>?
    private var fullMask = 0

    init(cap: Int) {
        self.cap = cap
        mask = 15
        table = .allocate(capacity: 16)
        table.initialize(repeating: 0, count: 16)
        entryCapacity = 8
        entries = .allocate(capacity: entryCapacity)
        arenaCapacity = 256
        arena = .allocate(capacity: arenaCapacity)
    }

    deinit {
        table.deallocate()
        entries.deallocate()
        arena.deallocate()
        full?.deallocate()
    }

    /// The count of entry `i`.
    func count(at i: Int) -> Int { entries[i].count }

    /// The hash entry `i` was added with.
    func hash(at i: Int) -> UInt64 { entries[i].hash }

    /// Whether the table is full and the filter says a key with this hash is not in it
    /// (then `add` would return -1 too); lets a caller skip building a key.
    @inline(__always)
    func turnsAway(hash: UInt64) -> Bool {
        guard let full else { return false }
        let bits = Self.filterBits(hash)
        if full[Int(truncatingIfNeeded: hash >> 40) & fullMask] & bits != bits {
            truncated = true
            return true
        }
        return false
    }

    /// Add `n` to the count of entry `i` (found earlier by `add`).
    @inline(__always)
    func add(entry i: Int32, n: Int = 1) { entries[Int(i)].count += n }

    /// Add `n` to the key's count. Returns the entry index, or -1 when the table is full
    /// and the key is new.
    @inline(__always)
    func add(_ p: UnsafeRawPointer?, _ len: Int, hash: UInt64, n: Int = 1) -> Int32 {
        if turnsAway(hash: hash) { return -1 }
        let (k0, k1) = StableHash.fingerprint(p, len)
        var slot = Int(truncatingIfNeeded: hash) & mask
        let tag = hash & 0xFFFF_FFFF_0000_0000
        while true {
            let e = table[slot]
            if e == 0 { break }
            if e & 0xFFFF_FFFF_0000_0000 == tag {
                let i = Int(truncatingIfNeeded: e & 0xFFFF_FFFF) - 1
                let en = entries + i
                if en.pointee.length == len, en.pointee.k0 == k0, en.pointee.k1 == k1,
                   len <= 16 || memcmp(arena + en.pointee.start, p!, len) == 0 {
                    en.pointee.count += n
                    return Int32(truncatingIfNeeded: i)
                }
            }
            slot = (slot + 1) & mask
        }
        guard count < cap else {
            truncated = true
            return -1
        }
        return insert(p, len, hash: hash, k0: k0, k1: k1, n: n, slot: slot)
    }

    private func insert(_ p: UnsafeRawPointer?, _ len: Int, hash: UInt64, k0: UInt64, k1: UInt64, n: Int,
                        slot: Int) -> Int32 {
        let i = count
        if i == entryCapacity {
            entryCapacity *= 2
            entries = entries.grown(moving: count, to: entryCapacity)
        }
        // Growth written out here and in `KeyTrie.link`: a shared helper taking these stored
        // properties `inout` made the compiler add dynamic exclusivity checks to `add`
        // (+17% instructions for the whole scan under callgrind).
        if arenaCount + len > arenaCapacity {
            while arenaCount + len > arenaCapacity { arenaCapacity *= 2 }
            arena = arena.grown(moving: arenaCount, to: arenaCapacity)
        }
        if len > 0, let p { (arena + arenaCount).initialize(from: p.assumingMemoryBound(to: UInt8.self), count: len) }
        (entries + i).initialize(to: Entry(hash: hash, k0: k0, k1: k1, start: arenaCount, length: len, count: n))
        arenaCount += len
        count += 1
        table[slot] = (hash & 0xFFFF_FFFF_0000_0000) | UInt64(i + 1)
        if count * 2 > mask + 1 { grow() }
        if count == cap { buildFilter() }
        return Int32(truncatingIfNeeded: i)
    }

    /// The two bits a key sets in its filter word (hash bits apart from those choosing the
    /// word, the table slot and the tag).
    @inline(__always)
    private static func filterBits(_ hash: UInt64) -> UInt64 {
        (1 << ((hash >> 16) & 63)) | (1 << ((hash >> 22) & 63))
    }

    private func buildFilter() {
        var words = 64
        while words * 64 < count * 26 { words *= 2 }
        let f = UnsafeMutablePointer<UInt64>.allocate(capacity: words)
        f.initialize(repeating: 0, count: words)
        for i in 0..<count {
            let h = entries[i].hash
            f[Int(truncatingIfNeeded: h >> 40) & (words - 1)] |= Self.filterBits(h)
        }
        full = f
        fullMask = words - 1
    }

    private func grow() {
        let size = (mask + 1) * 2
        let t = UnsafeMutablePointer<UInt64>.allocate(capacity: size)
        t.initialize(repeating: 0, count: size)
        let m = size - 1
        for i in 0..<count {
            let h = entries[i].hash
            var slot = Int(truncatingIfNeeded: h) & m
            while t[slot] != 0 { slot = (slot + 1) & m }
            t[slot] = (h & 0xFFFF_FFFF_0000_0000) | UInt64(i + 1)
        }
        table.deallocate()
        table = t
        mask = m
    }

    /// The key of entry `i` as text (UTF-8).
    func key(_ i: Int) -> String {
        String(decoding: UnsafeBufferPointer(start: arena + entries[i].start, count: entries[i].length), as: UTF8.self)
    }

    /// The entries counted at least `minCount` times, as a dictionary.
    func dictionary(minCount: Int = 1) -> [String: Int] {
        var d: [String: Int] = [:]
        if minCount <= 1 { d.reserveCapacity(count) }
        for i in 0..<count where entries[i].count >= minCount { d[key(i), default: 0] += entries[i].count }
        return d
    }
}

extension UnsafeMutablePointer {
    /// The stats scan's tables grow by hand: a buffer of `capacity` elements holding this
    /// one's first `count` (moved), this one freed.
    func grown(moving count: Int, to capacity: Int) -> UnsafeMutablePointer<Pointee> {
        let bigger = UnsafeMutablePointer<Pointee>.allocate(capacity: capacity)
        bigger.moveInitialize(from: self, count: count)
        deallocate()
        return bigger
    }
}
