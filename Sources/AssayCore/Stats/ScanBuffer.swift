/// A growable run of plain values in manually managed memory, for the stats scan's
/// per-record buffers (value events, decoded bytes): they are filled and emptied once per
/// record, and a Swift array would cost a uniqueness check per append and a generic
/// `replaceSubrange` per emptying.
final class ScanBuffer<Element: BitwiseCopyable> {
    private(set) var base: UnsafeMutablePointer<Element>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int) {
        self.capacity = max(capacity, 1)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    @inline(__always) func append(_ e: Element) {
        if count == capacity { reserve(1) }
        (base + count).initialize(to: e)
        count += 1
    }

    func append(_ p: UnsafePointer<Element>, count n: Int) {
        reserve(n)
        (base + count).initialize(from: p, count: n)
        count += n
    }

    func append(contentsOf a: [Element]) {
        a.withUnsafeBufferPointer { if let p = $0.baseAddress { append(p, count: $0.count) } }
    }

    /// Room for `n` more elements past `count`: write them at `end`, then `commit(n)`.
    @inline(__always) func reserve(_ n: Int) {
        if count + n > capacity { grow(to: count + n) }
    }

    private func grow(to needed: Int) {
        var c = capacity
        while c < needed { c *= 2 }
        base = base.grown(moving: count, to: c)
        capacity = c
    }

    @inline(__always) var end: UnsafeMutablePointer<Element> { base + count }

    /// Elements that fit past `count` without growing.
    @inline(__always) var spare: Int { capacity - count }

    @inline(__always) func commit(_ n: Int) { count += n }

    @inline(__always) func removeAll() { count = 0 }

    @inline(__always) func removeLast(_ n: Int) { count -= n }

    @inline(__always) subscript(i: Int) -> Element {
        get { base[i] }
        set { base[i] = newValue }
    }
}
