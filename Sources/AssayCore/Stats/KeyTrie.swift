#if canImport(Glibc)
import Glibc
#endif

/// The keys of the stats scan's field-path trie, in manually managed memory: each node's key
/// (length, `StableHash.fingerprint`, bytes) and its children as a sibling list. Records of a
/// file mostly repeat their keys in one order, so each parent remembers the child after the
/// one matched last, and a lookup usually succeeds on its first comparison.
final class KeyTrie {
    private struct Node {
        var keyLength = -1       // -1: not a key (the root, array elements, the overflow node)
        var k0: UInt64 = 0
        var k1: UInt64 = 0
        var keyStart = 0         // in `arena`
        var firstChild: Int32 = -1
        var lastChild: Int32 = -1
        var nextSibling: Int32 = -1
        var hint: Int32 = -1     // the child to try first
        var plain = false        // no quote, backslash or control byte: `predicted` may match it raw
    }

    private var nodes: UnsafeMutablePointer<Node>
    private var capacity = 16
    private(set) var count = 0
    /// Key bytes (compared only for keys over 16 bytes). Not a Swift array: reading a class's
    /// array property costs a dynamic exclusivity check per lookup.
    private var arena: UnsafeMutablePointer<UInt8>
    private var arenaCount = 0, arenaCapacity = 256

    init() {
        nodes = .allocate(capacity: capacity)
        arena = .allocate(capacity: arenaCapacity)
    }

    deinit {
        nodes.deinitialize(count: count)
        nodes.deallocate()
        arena.deallocate()
    }

    /// Adds a node with no key (node ids are given out in order, as the scanner's).
    func appendNode() {
        if count == capacity {
            capacity *= 2
            nodes = nodes.grown(moving: count, to: capacity)
        }
        (nodes + count).initialize(to: Node())
        count += 1
    }

    /// The child of `parent` with key `p[0..<n]`, or -1.
    @inline(__always)
    func find(parent: Int32, _ p: UnsafeRawPointer, _ n: Int, _ k0: UInt64, _ k1: UInt64) -> Int32 {
        let par = nodes + Int(parent)
        let first = par.pointee.firstChild
        let start = par.pointee.hint >= 0 ? par.pointee.hint : first
        guard start >= 0 else { return -1 }
        var c = start
        repeat {
            let node = nodes + Int(c)
            if node.pointee.keyLength == n, node.pointee.k0 == k0, node.pointee.k1 == k1,
               n <= 16 || memcmp(arena + node.pointee.keyStart, p, n) == 0 {
                let next = node.pointee.nextSibling
                par.pointee.hint = next >= 0 ? next : first
                return c
            }
            let next = node.pointee.nextSibling
            c = next >= 0 ? next : first
        } while c != start
        return -1
    }

    /// The child `find` would try first, if its key is exactly `p[0..<n]` followed by a
    /// closing quote, with `available` bytes readable at `p`; else -1. The scanner asks this
    /// before scanning a key: records mostly repeat their keys in one order, and a match
    /// skips both the string scan and the lookup. Only keys whose bytes need no escaping
    /// are offered, so raw bytes equal to one are that key.
    @inline(__always)
    func predicted(parent: Int32, _ p: UnsafeRawPointer, available: Int) -> (node: Int32, length: Int) {
        let par = nodes + Int(parent)
        let first = par.pointee.firstChild
        let c = par.pointee.hint >= 0 ? par.pointee.hint : first
        guard c >= 0 else { return (-1, 0) }
        let node = nodes + Int(c)
        let n = node.pointee.keyLength
        guard node.pointee.plain, n < available, p.load(fromByteOffset: n, as: UInt8.self) == 0x22 else { return (-1, 0) }
        let (k0, k1) = StableHash.fingerprint(p, n)
        guard node.pointee.k0 == k0, node.pointee.k1 == k1,
              n <= 16 || memcmp(arena + node.pointee.keyStart, p, n) == 0 else { return (-1, 0) }
        let next = node.pointee.nextSibling
        par.pointee.hint = next >= 0 ? next : first
        return (c, n)
    }

    /// Makes `id` (already appended) the child of `parent` with key `p[0..<n]`, whose
    /// `StableHash.fingerprint` is (k0, k1) (the failed `find` computed it).
    func link(_ id: Int32, parent: Int32, _ p: UnsafeRawPointer, _ n: Int, _ k0: UInt64, _ k1: UInt64) {
        let node = nodes + Int(id)
        node.pointee.keyLength = n
        node.pointee.k0 = k0
        node.pointee.k1 = k1
        var plain = true
        for i in 0..<n {
            let b = p.load(fromByteOffset: i, as: UInt8.self)
            if b == 0x22 || b == 0x5C || b < 0x20 { plain = false }
        }
        node.pointee.plain = plain
        // As in `ByteCounter.insert` (why not shared: see there).
        if arenaCount + n > arenaCapacity {
            while arenaCount + n > arenaCapacity { arenaCapacity *= 2 }
            arena = arena.grown(moving: arenaCount, to: arenaCapacity)
        }
        (arena + arenaCount).initialize(from: p.assumingMemoryBound(to: UInt8.self), count: n)
        node.pointee.keyStart = arenaCount
        arenaCount += n
        let par = nodes + Int(parent)
        if par.pointee.lastChild >= 0 {
            nodes[Int(par.pointee.lastChild)].nextSibling = id
        } else {
            par.pointee.firstChild = id
        }
        par.pointee.lastChild = id
        par.pointee.hint = -1   // the next key is not known yet: start from the first child
    }
}
