/// The byte loops the stats scan spends its time in, sixteen bytes a step.
///
/// Written with the standard library's `SIMD16<UInt8>`, which compiles to plain SSE2 (or
/// NEON) when every operand is a vector: comparisons against a scalar literal are
/// lowered lane by lane, so each constant is splatted once up front.
enum TextKernels {
    typealias V = SIMD16<UInt8>

    /// Whether any lane of the mask is set (the standard library's `any` is a generic
    /// reduction that is not always inlined).
    @inline(__always)
    static func anyLane(_ m: SIMDMask<SIMD16<Int8>>) -> Bool {
        let x = unsafeBitCast(m, to: SIMD2<UInt64>.self)
        return x[0] | x[1] != 0
    }

    // MARK: JSON string bodies

    /// Per lane: whether the byte stops a JSON string body's scan: a quote, a backslash or
    /// a control byte. Xor 2 takes the quote to 0x20 and the control bytes among
    /// themselves, so one unsigned compare finds both (and one more the backslash).
    @inline(__always)
    static func stops(_ v: V) -> SIMDMask<SIMD16<Int8>> {
        ((v ^ V(repeating: 0x02)) .<= V(repeating: 0x20)) .| (v .== V(repeating: 0x5C))
    }

    /// Whether either block holds a byte that stops a scan: the quote and control test of
    /// both is one compare, on the smaller of their bytes (xor-ed) lane by lane.
    @inline(__always)
    static func anyStops(_ v0: V, _ v1: V) -> Bool {
        let two = V(repeating: 0x02), backslash = V(repeating: 0x5C)
        let a = v0 ^ two, b = v1 ^ two
        // A select on a compare, which compiles to `pminub` (`pointwiseMin` is a call).
        let low = a.replacing(with: b, where: b .< a)
        return anyLane((low .<= V(repeating: 0x20)) .| (v0 .== backslash) .| (v1 .== backslash))
    }

    /// The offset of the first byte that stops a scan in the 32 bytes of `v0` then `v1`
    /// (there is one).
    @inline(__always)
    static func firstStop(_ v0: V, _ v1: V) -> Int {
        // The masks are 0xFF per lane.
        let m0 = unsafeBitCast(stops(v0), to: SIMD2<UInt64>.self)
        if m0[0] != 0 { return m0[0].trailingZeroBitCount &>> 3 }
        if m0[1] != 0 { return 8 &+ m0[1].trailingZeroBitCount &>> 3 }
        let m1 = unsafeBitCast(stops(v1), to: SIMD2<UInt64>.self)
        return m1[0] != 0 ? 16 &+ m1[0].trailingZeroBitCount &>> 3 : 24 &+ m1[1].trailingZeroBitCount &>> 3
    }

    /// Where the JSON string body starting at `from` (just after its opening quote) stops,
    /// within `[from, end)`: the offset of its closing quote or of its first backslash,
    /// whichever comes first (the caller tells them apart), and whether the bytes before it
    /// may hold non-ASCII ones. Nil when neither comes before `end` or a raw control
    /// character does.
    @inline(__always)
    static func stringBody(_ base: UnsafeRawPointer, from: Int, end: Int) -> (stop: Int, high: Bool)? {
        // Every byte loaded is or-ed in, also those past the stop: a stray high bit there
        // only costs a needless (passing) UTF-8 check of the body.
        var highBits = V()
        var i = from
        while true {
            if i &+ 16 <= end {
                let v = base.loadUnaligned(fromByteOffset: i, as: V.self)
                highBits |= v
                // The mask is 0xFF per lane. Its halves tested one by one, not or-ed first:
                // most strings end in their first eight bytes, then that test also finds
                // where.
                let m = unsafeBitCast(stops(v), to: SIMD2<UInt64>.self)
                if m[0] != 0 {
                    i &+= m[0].trailingZeroBitCount &>> 3
                } else if m[1] != 0 {
                    i &+= 8 &+ m[1].trailingZeroBitCount &>> 3
                } else {
                    i &+= 16
                    // Sixteen clean bytes: a long string (most are short keys and values,
                    // which a 32-byte step would only slow down). On 32 bytes a step.
                    while i &+ 32 <= end {
                        let v0 = base.loadUnaligned(fromByteOffset: i, as: V.self)
                        let v1 = base.loadUnaligned(fromByteOffset: i &+ 16, as: V.self)
                        highBits |= v0 | v1
                        if anyStops(v0, v1) {
                            i &+= firstStop(v0, v1)
                            return base.load(fromByteOffset: i, as: UInt8.self) >= 0x20 ? (i, !isASCII(highBits)) : nil
                        }
                        i &+= 32
                    }
                    continue
                }
                // The first quote, backslash or control byte.
                return base.load(fromByteOffset: i, as: UInt8.self) >= 0x20 ? (i, !isASCII(highBits)) : nil
            }
            guard i < end else { return nil }
            let b = base.load(fromByteOffset: i, as: UInt8.self)
            if b == 0x22 || b == 0x5C { return (i, !isASCII(highBits)) }
            if b < 0x20 { return nil }
            if b >= 0x80 { highBits[0] = 0x80 }
            i &+= 1
        }
    }

    /// The rest of a JSON string body holding escapes, decoded: from its first backslash at
    /// `escape` (as `stringBody` found it), the bytes are copied onto the end of `out` with
    /// escapes decoded, up to the closing quote, within `[escape, end)`. Returns the offset
    /// of the closing quote, whether the bytes from `escape` on may hold non-ASCII ones, and
    /// which control characters the escapes gave (`\n` and `\t` are whitespace, `\b` and
    /// `\u0001` are not). Nil when no closing quote comes before `end`, or a raw control
    /// character or a bad escape does (what is in `out` is then of no use).
    ///
    /// One pass instead of finding the quote, then copying each run between escapes: each
    /// block of sixteen bytes is stored whole, and the output moves on only past the bytes
    /// before its first quote, backslash or control byte.
    static func unescape(_ base: UnsafeRawPointer, escape: Int, end: Int,
                         into out: ScanBuffer<UInt8>) -> (close: Int, high: Bool, controls: Controls)? {
        let raw = UnsafeRawBufferPointer(start: base, count: end)
        var highBits = V()
        var controls = Controls.absent
        var i = escape
        // Bytes written past `out.count`, at `dst`; `room`: bytes writable there.
        var n = 0
        var dst = out.end
        var room = out.spare
        // Plain statements, not nested functions updating state: a nested function
        // updating `n` made the compiler box it behind dynamic exclusivity checks.
        while true {
            // Room for a few blocks, or the last bytes and an escape after them.
            if room &- n < 64 {
                // Committed first: `out` keeps only its committed elements when it grows.
                out.commit(n)
                out.reserve(256)
                n = 0
                dst = out.end
                room = out.spare
            }
            // Whole blocks from `i`, stored at `dst + n`, as far as both the input and the
            // room allow (with 3 bytes to spare: an escape after a block's first 15 bytes
            // writes up to 4), one bound for both: `k` bytes on from each.
            let limit = min(end &- i, room &- n &- 3)
            var k = 0
            var stop = -1  // the offset past `k` of the first quote, backslash or control byte
            blocks: do {
                // Two blocks a step: runs between escapes are long (paragraphs between
                // line breaks).
                while k &+ 32 <= limit {
                    let v0 = base.loadUnaligned(fromByteOffset: i &+ k, as: V.self)
                    let v1 = base.loadUnaligned(fromByteOffset: i &+ k &+ 16, as: V.self)
                    highBits |= v0 | v1
                    UnsafeMutableRawPointer(dst + (n &+ k)).storeBytes(of: v0, as: V.self)
                    UnsafeMutableRawPointer(dst + (n &+ k &+ 16)).storeBytes(of: v1, as: V.self)
                    if anyStops(v0, v1) {
                        stop = firstStop(v0, v1)
                        break blocks
                    }
                    k &+= 32
                }
                if k &+ 16 <= limit {
                    let v = base.loadUnaligned(fromByteOffset: i &+ k, as: V.self)
                    highBits |= v
                    UnsafeMutableRawPointer(dst + (n &+ k)).storeBytes(of: v, as: V.self)
                    let m = unsafeBitCast(stops(v), to: SIMD2<UInt64>.self)
                    if m[0] | m[1] != 0 {
                        stop = m[0] != 0 ? m[0].trailingZeroBitCount &>> 3 : 8 &+ m[1].trailingZeroBitCount &>> 3
                        break blocks
                    }
                    k &+= 16
                }
            }
            if stop < 0 {
                i &+= k
                n &+= k
                // Room ran short: more first.
                if end &- i >= 16 || room &- n < 20 { continue }
                // The last bytes of the input, one at a time.
                while true {
                    guard i < end else { return nil }
                    let b = base.load(fromByteOffset: i, as: UInt8.self)
                    if b == 0x22 || b == 0x5C || b < 0x20 { break }
                    if b >= 0x80 { highBits[0] = 0x80 }
                    dst[n] = b
                    i &+= 1
                    n &+= 1
                }
            } else {
                i &+= k &+ stop
                n &+= k &+ stop
            }
            let b = base.load(fromByteOffset: i, as: UInt8.self)
            if b == 0x22 {
                out.commit(n)
                return (i, !isASCII(highBits), controls)
            }
            guard b == 0x5C else { return nil }
            // `\n`, most escapes (line breaks in text), without the general decoding; and
            // the ones right after it (paragraph breaks), without a block step each.
            if i &+ 1 < end && base.load(fromByteOffset: i &+ 1, as: UInt8.self) == UInt8(ascii: "n") {
                if controls == .absent { controls = .whitespaceOnly }
                repeat {
                    dst[n] = 0x0A
                    i &+= 2
                    n &+= 1
                } while i &+ 1 < end && n < room
                    && UInt16(littleEndian: base.loadUnaligned(fromByteOffset: i, as: UInt16.self)) == 0x6E5C  // `\n`
                continue
            }
            guard let (taken, written) = JSONParser.decodeEscape(raw, at: i, to: dst + n) else { return nil }
            // A control character is an escape's only byte.
            if written == 1, dst[n] < 0x20, controls != .any { controls = dst[n] &- 9 < 5 ? .whitespaceOnly : .any }
            i &+= taken
            n &+= written
        }
    }

    // MARK: characters and words

    /// Whether every byte of the block is ASCII.
    @inline(__always)
    static func isASCII(_ v: V) -> Bool {
        let x = unsafeBitCast(v, to: SIMD2<UInt64>.self)
        return (x[0] | x[1]) & 0x8080_8080_8080_8080 == 0
    }

    /// Which control characters (bytes below 0x20) a text may hold: the fewer kinds, the
    /// fewer compares find its ASCII whitespace.
    enum Controls {
        /// Any (a CSV field): whitespace is the space and 0x09...0x0D.
        case any
        /// Only whitespace ones (a JSON string whose escapes are `\n`, `\t`...): whitespace is
        /// every byte up to the space.
        case whitespaceOnly
        /// None (a JSON string as written, without escapes): whitespace is the space.
        case absent
    }

    /// Per lane: whether the byte is ASCII whitespace, in a text holding `controls`.
    @inline(__always)
    static func isSpace(_ v: V, controls: Controls = .any) -> SIMDMask<SIMD16<Int8>> {
        let space = V(repeating: 0x20)
        switch controls {
        case .any: return (v .== space) .| ((v &- V(repeating: 9)) .< V(repeating: 5))
        // Signed: 0...0x20 moves to 0x5F...0x7F, the only bytes above 0x5E; the rest wrap
        // below it or to negative ones. One add and one compare, not a min and a compare
        // and the copy the min needs.
        case .whitespaceOnly:
            return unsafeBitCast(v &+ V(repeating: 0x5F), to: SIMD16<Int8>.self) .> SIMD16<Int8>(repeating: 0x5E)
        case .absent: return v .== space
        }
    }

    /// Per lane: whether the byte of `v` and the one before it (of `w`, the load one byte
    /// earlier) differ, one whitespace and the other not. `ascii`: every byte of `v` (and
    /// of `w` with `asciiW`) is ASCII, so that for text with whitespace controls one
    /// signed compare tells a non-space (bytes from 0x80 would pass as spaces).
    ///
    /// Changes rather than word starts (a space, then a non-space): `.!` on a compare
    /// becomes the opposite compare, which for `<` needs a copy of the constant; an xor
    /// of two compares stays as it is. `measureBlocks` makes words of them.
    @inline(__always)
    static func changes(_ w: V, _ v: V, controls: Controls, ascii: Bool, asciiW: Bool = false) -> SIMDMask<SIMD16<Int8>> {
        if controls == .whitespaceOnly && ascii && asciiW {
            let above = SIMD16<Int8>(repeating: 0x20)
            return (unsafeBitCast(w, to: SIMD16<Int8>.self) .> above) .^ (unsafeBitCast(v, to: SIMD16<Int8>.self) .> above)
        }
        return isSpace(w, controls: controls) .^ isSpace(v, controls: controls)
    }

    /// Per lane: whether a word starts at the byte of `v`, the one before it being the
    /// byte of `w` (the load one byte earlier): the count for text without whitespace
    /// controls, whose compares (`==`) have no opposite to become.
    @inline(__always)
    static func wordStarts(_ w: V, _ v: V, controls: Controls) -> SIMDMask<SIMD16<Int8>> {
        isSpace(w, controls: controls) .& .!isSpace(v, controls: controls)
    }

    /// 1 when the byte is no whitespace, 0 when it is, as `isSpace` classes it.
    @inline(__always)
    static func nonSpace(_ b: UInt8, controls: Controls) -> Int {
        switch controls {
        case .any: return b == 0x20 || b &- 9 < 5 ? 0 : 1
        case .whitespaceOnly: return b > 0x20 ? 1 : 0
        case .absent: return b == 0x20 ? 0 : 1
        }
    }

    /// The sum of the sixteen lanes (each at most 255). Pairs of lanes in sixteen-bit
    /// fields, the two halves added, then one multiply adds up the four fields in the top
    /// one (no field overflows: at most 4 × 510). A loop over the lanes compiled to
    /// sixteen byte loads and adds.
    @inline(__always)
    static func laneSum(_ v: V) -> Int {
        let x = unsafeBitCast(v, to: SIMD8<UInt16>.self)
        let pairs = unsafeBitCast((x & SIMD8(repeating: 0x00FF)) &+ (x &>> 8), to: SIMD2<UInt64>.self)
        return Int(truncatingIfNeeded: ((pairs[0] &+ pairs[1]) &* 0x0001_0001_0001_0001) &>> 48)
    }

    /// The counts a character at a time: characters, words, and what the next character
    /// needs to know about the last one.
    struct Tally {
        var chars = 0, words = 0
        /// The byte before the text counts as whitespace.
        var prevSpace = true
        /// Whether the last character was a space of several bytes: the byte before the
        /// next block then does not tell (the vector steps class it as a non-space).
        var afterWideSpace = false

        /// One character at `i`, `i` moved past it; a continuation byte (the rest of a
        /// character a vector step counted, blocks ending anywhere) is only skipped.
        @inline(__always)
        mutating func step(_ p: UnsafeRawPointer, _ n: Int, _ i: inout Int) {
            let b = p.load(fromByteOffset: i, as: UInt8.self)
            @inline(__always) func at(_ k: Int) -> UInt8 { k < n ? p.load(fromByteOffset: k, as: UInt8.self) : 0 }
            var ws = false
            if b & 0xC0 == 0x80 {
                i &+= 1
                return
            }
            if b < 0x80 {
                ws = b == 0x20 || b &- 9 < 5
                i &+= 1
            } else {
                switch b {
                case 0xC2: ws = at(i &+ 1) == 0x85 || at(i &+ 1) == 0xA0
                case 0xE1: ws = at(i &+ 1) == 0x9A && at(i &+ 2) == 0x80
                case 0xE2:
                    let b1 = at(i &+ 1), b2 = at(i &+ 2)
                    ws = (b1 == 0x80 && ((0x80...0x8A).contains(b2) || b2 == 0xA8 || b2 == 0xA9 || b2 == 0xAF))
                        || (b1 == 0x81 && b2 == 0x9F)
                case 0xE3: ws = at(i &+ 1) == 0x80 && at(i &+ 2) == 0x80
                default: break
                }
                i &+= b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1
            }
            chars &+= 1
            afterWideSpace = ws && b >= 0x80
            if ws { prevSpace = true } else { if prevSpace { words &+= 1 }; prevSpace = false }
        }
    }

    /// Per lane: whether the byte is the lead byte of a non-ASCII whitespace character
    /// (U+0085, U+00A0, U+1680, U+2000...U+200A, U+2028, U+2029, U+202F, U+205F, U+3000)
    /// or of another one sharing it (’ “ ” – … are E2 80 xx).
    @inline(__always)
    static func spaceLeads(_ v: V) -> SIMDMask<SIMD16<Int8>> {
        (v .== V(repeating: 0xC2)) .| (v .== V(repeating: 0xE1)) .| (v .== V(repeating: 0xE2)) .| (v .== V(repeating: 0xE3))
    }

    /// Whether the block at `i` (whose bytes are `v`) may start a non-ASCII space: the
    /// two bytes after each lead byte tell (unless they are past the text).
    @inline(__always)
    static func mayHoldSpace(_ p: UnsafeRawPointer, _ n: Int, _ i: Int, _ v: V) -> Bool {
        guard i &+ 18 <= n else { return true }
        let n1 = p.loadUnaligned(fromByteOffset: i &+ 1, as: V.self)
        let n2 = p.loadUnaligned(fromByteOffset: i &+ 2, as: V.self)
        let x80 = V(repeating: 0x80)
        let space2 = (v .== V(repeating: 0xC2)) .& ((n1 .== V(repeating: 0x85)) .| (n1 .== V(repeating: 0xA0)))
        let space1680 = (v .== V(repeating: 0xE1)) .& (n1 .== V(repeating: 0x9A))
        let space3000 = (v .== V(repeating: 0xE3)) .& (n1 .== x80) .& (n2 .== x80)
        let space20xx = (v .== V(repeating: 0xE2)) .& (
            ((n1 .== x80) .& ((n2 .<= V(repeating: 0x8A)) .| (n2 .== V(repeating: 0xA8)) .| (n2 .== V(repeating: 0xA9)) .| (n2 .== V(repeating: 0xAF))))
            .| ((n1 .== V(repeating: 0x81)) .& (n2 .== V(repeating: 0x9F))))
        return anyLane(space2 .| space1680 .| space3000 .| space20xx)
    }

    /// Characters and words of a string, as the text role counts them.
    static func measure(_ s: String) -> (chars: Int, words: Int) {
        var s = s
        return s.withUTF8 { buf in
            guard let b = buf.baseAddress else { return (0, 0) }
            return measure(UnsafeRawPointer(b), buf.count)
        }
    }

    /// Characters (Unicode scalars) and whitespace-separated words of valid UTF-8 text.
    /// Whitespace is what `Unicode.Scalar.Properties.isWhitespace` says.
    ///
    /// `controls`: which control characters the text may hold. A JSON string as written in
    /// the file holds none (the scanner rejects raw control bytes in strings): its only
    /// ASCII whitespace is then the space, one compare a block, not three; one whose
    /// escapes gave only whitespace ones (`\n`), two.
    static func measure(_ p: UnsafeRawPointer, _ n: Int, controls: Controls = .any) -> (chars: Int, words: Int) {
        // One copy of the loop for each kind of text, each with its own compares, and
        // each its own function (the registers of one are not spilled around another).
        switch controls {
        case .absent: return measureWithoutControls(p, n)
        case .whitespaceOnly: return measureWithWhitespaceControls(p, n)
        case .any: return measureWithAnyControls(p, n)
        }
    }

    @inline(never)
    private static func measureWithoutControls(_ p: UnsafeRawPointer, _ n: Int) -> (chars: Int, words: Int) {
        measureBlocks(p, n, controls: .absent)
    }

    @inline(never)
    private static func measureWithWhitespaceControls(_ p: UnsafeRawPointer, _ n: Int) -> (chars: Int, words: Int) {
        measureBlocks(p, n, controls: .whitespaceOnly)
    }

    @inline(never)
    private static func measureWithAnyControls(_ p: UnsafeRawPointer, _ n: Int) -> (chars: Int, words: Int) {
        measureBlocks(p, n, controls: .any)
    }

    /// Characters one at a time from `i` to `stop` (or the end of the text), and on past
    /// a space of several bytes ending there, so that the byte before the next vector
    /// block tells whether a word starts at it: returns where they end, and how many
    /// characters and word starts they hold. Out of line: the loops of `measureBlocks`
    /// keep their counts in registers (a call to the tally's `step` with them inout made
    /// them memory).
    @inline(never)
    private static func steps(_ p: UnsafeRawPointer, _ n: Int, from i: Int, to stop: Int) -> (i: Int, chars: Int, words: Int) {
        var i = i, t = Tally()
        // The byte before `i` tells: it is ASCII or part of a non-space (a vector block
        // holds no non-ASCII space, and these steps never stop just after one).
        if i > 0 {
            let b = p.load(fromByteOffset: i &- 1, as: UInt8.self)
            t.prevSpace = b == 0x20 || b &- 9 < 5
        }
        while i < n && (i < stop || t.afterWideSpace) { t.step(p, n, &i) }
        return (i, t.chars, t.words)
    }

    /// `measure` for text holding `controls`. Blocks of sixteen bytes are counted with
    /// vector compares, also those with non-ASCII bytes as long as none starts a
    /// non-ASCII space; those that do, one character at a time.
    ///
    /// Vector blocks count word starts, where a space byte (the one before, loaded at
    /// i - 1) is followed by a non-space one, and characters as the bytes less the
    /// continuation bytes. A non-ASCII byte is a non-space to the compares, which is right
    /// as long as no non-ASCII space is in the block or just before it. Counted in byte
    /// lanes, summed every at most 255 blocks.
    ///
    /// With whitespace controls they count changes between a space and a non-space
    /// instead (see `changes`): over a run of blocks covering bytes `a..<b`, starts less
    /// ends of words is (b - 1 is a non-space) - (a - 1 is one), and starts plus ends the
    /// changes, so the starts are half their sum.
    @inline(__always)
    private static func measureBlocks(_ p: UnsafeRawPointer, _ n: Int, controls: Controls) -> (chars: Int, words: Int) {
        guard n > 0 else { return (0, 0) }
        let top2 = V(repeating: 0xC0), continuation = V(repeating: 0x80)
        var chars = 0, words = 0
        var i = 0
        // The first character, so that a vector step always has a byte before its block.
        let b = p.load(as: UInt8.self)
        if b < 0x80 {
            chars = 1
            words = b == 0x20 || b &- 9 < 5 ? 0 : 1
            i = 1
        } else {
            (i, chars, words) = steps(p, n, from: 0, to: 1)
        }
        // Word starts (or changes) and continuation bytes, a byte lane each, and the bytes
        // of blocks they can still take: at most 254 blocks (one more, the last bytes', may
        // follow) before they are summed.
        var flips = V(), conts = V()
        // With changes: the sum over the closed runs of blocks of (last byte is a
        // non-space) - (byte before is one), and where the open run starts (-1: none).
        let counted = controls == .whitespaceOnly
        var ends = 0, run = -1
        let capacity = 254 * 16 as Int
        var room = capacity
        while i &+ 16 <= n {
            let from = i
            let limit = min(n, i &+ room)
            var slow = false
            while i &+ 16 <= limit {
                // Four blocks a step while all are ASCII (one check of their high bits):
                // most text.
                // `i <= last`: one compare a step (`i + 64 <= limit` compiled to two adds,
                // a compare and a copy).
                let last = limit &- 64
                while i <= last {
                    let v0 = p.loadUnaligned(fromByteOffset: i, as: V.self)
                    let v1 = p.loadUnaligned(fromByteOffset: i &+ 16, as: V.self)
                    let v2 = p.loadUnaligned(fromByteOffset: i &+ 32, as: V.self)
                    let v3 = p.loadUnaligned(fromByteOffset: i &+ 48, as: V.self)
                    let w0 = p.loadUnaligned(fromByteOffset: i &- 1, as: V.self)
                    // With whitespace controls the byte before is checked too: the
                    // compares of the byte before each lane are then signed ones.
                    let asciiW = controls == .whitespaceOnly
                    if !isASCII(asciiW ? v0 | v1 | v2 | v3 | w0 : v0 | v1 | v2 | v3) { break }
                    let w1 = p.loadUnaligned(fromByteOffset: i &+ 15, as: V.self)
                    let w2 = p.loadUnaligned(fromByteOffset: i &+ 31, as: V.self)
                    let w3 = p.loadUnaligned(fromByteOffset: i &+ 47, as: V.self)
                    // A true lane is 0xFF: subtracting it adds one.
                    flips &-= unsafeBitCast(counted ? changes(w0, v0, controls: controls, ascii: true, asciiW: asciiW) : wordStarts(w0, v0, controls: controls), to: V.self)
                    flips &-= unsafeBitCast(counted ? changes(w1, v1, controls: controls, ascii: true, asciiW: asciiW) : wordStarts(w1, v1, controls: controls), to: V.self)
                    flips &-= unsafeBitCast(counted ? changes(w2, v2, controls: controls, ascii: true, asciiW: asciiW) : wordStarts(w2, v2, controls: controls), to: V.self)
                    flips &-= unsafeBitCast(counted ? changes(w3, v3, controls: controls, ascii: true, asciiW: asciiW) : wordStarts(w3, v3, controls: controls), to: V.self)
                    i &+= 64
                }
                // Two blocks: ASCII ones, or ones without a lead byte of a non-ASCII space
                // (most of the rest).
                twoBlocks: if i &+ 32 <= limit {
                    let v0 = p.loadUnaligned(fromByteOffset: i, as: V.self)
                    let v1 = p.loadUnaligned(fromByteOffset: i &+ 16, as: V.self)
                    let w0 = p.loadUnaligned(fromByteOffset: i &- 1, as: V.self)
                    let w1 = p.loadUnaligned(fromByteOffset: i &+ 15, as: V.self)
                    if isASCII(v0 | v1) {
                        // A true lane is 0xFF: subtracting it adds one.
                        flips &-= unsafeBitCast(counted ? changes(w0, v0, controls: controls, ascii: true) : wordStarts(w0, v0, controls: controls), to: V.self)
                        flips &-= unsafeBitCast(counted ? changes(w1, v1, controls: controls, ascii: true) : wordStarts(w1, v1, controls: controls), to: V.self)
                    } else {
                        if anyLane(spaceLeads(v0) .| spaceLeads(v1)) { break twoBlocks }
                        flips &-= unsafeBitCast(counted ? changes(w0, v0, controls: controls, ascii: false) : wordStarts(w0, v0, controls: controls), to: V.self)
                        flips &-= unsafeBitCast(counted ? changes(w1, v1, controls: controls, ascii: false) : wordStarts(w1, v1, controls: controls), to: V.self)
                        conts &-= unsafeBitCast((v0 & top2) .== continuation, to: V.self)
                        conts &-= unsafeBitCast((v1 & top2) .== continuation, to: V.self)
                    }
                    i &+= 32
                    continue
                }
                // One block: the last one before `limit`, or one of two that may hold a
                // non-ASCII space.
                guard i &+ 16 <= limit else { break }
                let v = p.loadUnaligned(fromByteOffset: i, as: V.self)
                let w = p.loadUnaligned(fromByteOffset: i &- 1, as: V.self)
                if isASCII(v) {
                    flips &-= unsafeBitCast(counted ? changes(w, v, controls: controls, ascii: true) : wordStarts(w, v, controls: controls), to: V.self)
                } else {
                    // Counted here unless a non-ASCII space starts in the block (rare; the
                    // lead bytes alone are often punctuation).
                    if anyLane(spaceLeads(v)), mayHoldSpace(p, n, i, v) {
                        slow = true
                        break
                    }
                    flips &-= unsafeBitCast(counted ? changes(w, v, controls: controls, ascii: false) : wordStarts(w, v, controls: controls), to: V.self)
                    conts &-= unsafeBitCast((v & top2) .== continuation, to: V.self)
                }
                i &+= 16
            }
            chars &+= i &- from
            room &-= i &- from
            if counted && run < 0 && i > from { run = from }
            if counted && run >= 0 && (slow || room < 16) {
                // The run of blocks closes before the steps, or for the sum.
                ends &+= nonSpace(p.load(fromByteOffset: i &- 1, as: UInt8.self), controls: controls)
                    &- nonSpace(p.load(fromByteOffset: run &- 1, as: UInt8.self), controls: controls)
                run = -1
            }
            if room < 16 {
                chars &-= laneSum(conts)
                words &+= counted ? (laneSum(flips) &+ ends) &>> 1 : laneSum(flips)
                flips = V()
                conts = V()
                ends = 0
                room = capacity
            }
            if slow {
                let (end, c, w) = steps(p, n, from: i, to: i &+ 16)
                i = end
                chars &+= c
                words &+= w
            }
        }
        if i < n {
            // The last bytes: the sixteen ending the text counted as one block whose lanes
            // before `i` are left out, unless a non-ASCII space may start in it.
            var done = false
            if n >= 17 {
                let last = n &- 16
                let v = p.loadUnaligned(fromByteOffset: last, as: V.self)
                let w = p.loadUnaligned(fromByteOffset: last &- 1, as: V.self)
                let fresh = V(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15) .>= V(repeating: UInt8(truncatingIfNeeded: i &- last))
                if isASCII(v) {
                    flips &-= unsafeBitCast((counted ? changes(w, v, controls: controls, ascii: true) : wordStarts(w, v, controls: controls)) .& fresh, to: V.self)
                    done = true
                } else if !anyLane(spaceLeads(v) .& fresh) {
                    flips &-= unsafeBitCast((counted ? changes(w, v, controls: controls, ascii: false) : wordStarts(w, v, controls: controls)) .& fresh, to: V.self)
                    conts &-= unsafeBitCast(((v & top2) .== continuation) .& fresh, to: V.self)
                    done = true
                }
            }
            if done {
                chars &+= n &- i
                if counted && run < 0 { run = i }
                i = n
            } else {
                // The open run of blocks ends where the steps take over.
                if counted && run >= 0 {
                    ends &+= nonSpace(p.load(fromByteOffset: i &- 1, as: UInt8.self), controls: controls)
                        &- nonSpace(p.load(fromByteOffset: run &- 1, as: UInt8.self), controls: controls)
                    run = -1
                }
                let (_, c, w) = steps(p, n, from: i, to: n)
                chars &+= c
                words &+= w
            }
        }
        if !counted { return (chars &- laneSum(conts), words &+ laneSum(flips)) }
        // The open run of blocks ends with the text.
        if run >= 0 {
            ends &+= nonSpace(p.load(fromByteOffset: i &- 1, as: UInt8.self), controls: controls)
                &- nonSpace(p.load(fromByteOffset: run &- 1, as: UInt8.self), controls: controls)
        }
        return (chars &- laneSum(conts), words &+ (laneSum(flips) &+ ends) &>> 1)
    }
}
