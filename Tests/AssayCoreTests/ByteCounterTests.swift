import Testing
@testable import AssayCore

@Suite struct ByteCounterTests {
    func add(_ c: inout ByteCounter, _ s: String) -> Int32 {
        var s = s
        return s.withUTF8 { c.add(UnsafeRawPointer($0.baseAddress), $0.count, hash: StableHash.hash(UnsafeRawBufferPointer($0))) }
    }

    @Test func countsGrowsAndKeepsCountingExistingKeysWhenFull() {
        var c = ByteCounter(cap: 1000)
        for i in 0..<1000 { #expect(add(&c, "key-\(i)") == Int32(i)) }
        #expect(!c.truncated)
        #expect(add(&c, "key-7") == 7)
        #expect(add(&c, "new") == -1)
        #expect(c.truncated)
        for i in 0..<1000 { _ = add(&c, "key-\(i)") }
        // Past the filter built when the table filled up: no new key gets in, no held one is lost.
        #expect((0..<20_000).allSatisfy { add(&c, "other-\($0)") == -1 })
        let d = c.dictionary()
        #expect(d.count == 1000)
        #expect(d["key-7"] == 3)
        #expect(d["key-8"] == 2)
        #expect(d["new"] == nil)
    }

    @Test func emptyKeyAndLongKeys() {
        var c = ByteCounter(cap: 10)
        let long = String(repeating: "x", count: 5000)
        #expect(add(&c, "") == 0)
        #expect(add(&c, long) == 1)
        #expect(add(&c, "") == 0)
        #expect(add(&c, long + "y") == 2)
        #expect(c.dictionary() == ["": 2, long: 1, long + "y": 1])
    }

    @Test func stableHashIsStableAndSpreads() {
        #expect(StableHash.hash("label") == StableHash.hash("label"))
        #expect(StableHash.hash("a") != StableHash.hash("b"))
        #expect(StableHash.hash("abcdefgh") != StableHash.hash("abcdefgh\0"))
        var hll = HyperLogLog()
        for i in 0..<100_000 { hll.add(hash: StableHash.hash("value \(i)")) }
        #expect(abs(hll.estimate - 100_000) < 3_000)
    }
}
