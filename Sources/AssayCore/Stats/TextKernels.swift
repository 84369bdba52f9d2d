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

    /// Where the JSON string body starting at `from` (just after its opening quote) stops,
    /// within `[from, end)`: the offset of its closing quote or of its first backslash,
    /// whichever comes first (the caller tells them apart), and whether the bytes before it
    /// may hold non-ASCII ones. Nil when neither comes before `end` or a raw control
    /// character does.
    @inline(__always)
    static func stringBody(_ base: UnsafeRawPointer, from: Int, end: Int) -> (stop: Int, high: Bool)? {
        let quote = V(repeating: 0x22), backslash = V(repeating: 0x5C), control = V(repeating: 0x20)
        // Every byte loaded is or-ed in, also those past the stop: a stray high bit there
        // only costs a needless (passing) UTF-8 check of the body.
        var highBits = V()
        var i = from
        @inline(__always) func stops(_ v: V) -> SIMDMask<SIMD16<Int8>> { (v .== quote) .| (v .== backslash) .| (v .< control) }
        while true {
            if i &+ 16 <= end {
                let v = base.loadUnaligned(fromByteOffset: i, as: V.self)
                highBits |= v
                let m = unsafeBitCast(stops(v), to: SIMD2<UInt64>.self)
                if m[0] | m[1] == 0 {
                    i &+= 16
                    // Sixteen clean bytes: a long string (most are short keys and values,
                    // which a 32-byte step would only slow down). On 32 bytes a step; the
                    // block holding the stop is then found sixteen bytes at a time.
                    while i &+ 32 <= end {
                        let v0 = base.loadUnaligned(fromByteOffset: i, as: V.self)
                        let v1 = base.loadUnaligned(fromByteOffset: i &+ 16, as: V.self)
                        if anyLane(stops(v0) .| stops(v1)) { break }
                        highBits |= v0 | v1
                        i &+= 32
                    }
                    continue
                }
                // The first quote, backslash or control byte: the mask is 0xFF per lane.
                i &+= m[0] != 0 ? m[0].trailingZeroBitCount &>> 3 : 8 &+ m[1].trailingZeroBitCount &>> 3
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
        let quote = V(repeating: 0x22), backslash = V(repeating: 0x5C), control = V(repeating: 0x20)
        let raw = UnsafeRawBufferPointer(start: base, count: end)
        var highBits = V()
        var controls = Controls.absent
        var i = escape
        // Bytes written past `out.count`, at `dst`; `room`: bytes writable there.
        var n = 0
        var dst = out.end
        var room = out.spare
        // Plain statements, not nested functions: a nested function updating `n` made the
        // compiler box it behind dynamic exclusivity checks.
        while true {
            // A step writes at most 19 bytes: a block, less its last byte, then an escape.
            if n &+ 19 > room {
                // Committed first: `out` keeps only its committed elements when it grows.
                out.commit(n)
                out.reserve(256)
                n = 0
                dst = out.end
                room = out.spare
            }
            let b: UInt8
            if i &+ 16 <= end {
                let v = base.loadUnaligned(fromByteOffset: i, as: V.self)
                highBits |= v
                UnsafeMutableRawPointer(dst + n).storeBytes(of: v, as: V.self)
                let m = unsafeBitCast((v .== quote) .| (v .== backslash) .| (v .< control), to: SIMD2<UInt64>.self)
                if m[0] | m[1] == 0 {
                    i &+= 16
                    n &+= 16
                    continue
                }
                let k = m[0] != 0 ? m[0].trailingZeroBitCount &>> 3 : 8 &+ m[1].trailingZeroBitCount &>> 3
                i &+= k
                n &+= k
                b = base.load(fromByteOffset: i, as: UInt8.self)
            } else {
                guard i < end else { return nil }
                b = base.load(fromByteOffset: i, as: UInt8.self)
                if b >= 0x80 { highBits[0] = 0x80 }
                if b != 0x22 && b >= 0x20 && b != 0x5C {
                    dst[n] = b
                    i &+= 1
                    n &+= 1
                    continue
                }
            }
            if b == 0x22 {
                out.commit(n)
                return (i, !isASCII(highBits), controls)
            }
            guard b == 0x5C else { return nil }
            guard let (taken, written) = JSONParser.decodeEscape(raw, at: i, to: dst + n) else { return nil }
            // A control character is an escape's only byte.
            if written == 1, dst[n] < 0x20, controls != .any { controls = dst[n] &- 9 < 5 ? .whitespaceOnly : .any }
            i &+= taken
            n &+= written
        }
    }

    // MARK: characters and words

    static let laneIndex = V(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)

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
        case .whitespaceOnly: return v .< V(repeating: 0x21)
        case .absent: return v .== space
        }
    }

    /// The sum of the eight bytes of `x` (each at most 255).
    @inline(__always)
    static func byteSum(_ x: UInt64) -> Int {
        // Pairs, then quads, then the eight: no field overflows its width.
        var y = (x & 0x00FF_00FF_00FF_00FF) &+ ((x >> 8) & 0x00FF_00FF_00FF_00FF)
        y = (y & 0x0000_FFFF_0000_FFFF) &+ ((y >> 16) & 0x0000_FFFF_0000_FFFF)
        return Int(truncatingIfNeeded: (y & 0xFFFF_FFFF) &+ (y >> 32))
    }

    /// From `from` (past the text's first byte), the run of all-ASCII sixteen-byte blocks, at
    /// most 255 of them: where they end, how many, and how many words start in them.
    /// A word starts where a space byte (the one before, loaded at i - 1) is followed by a
    /// non-space one; counted in byte lanes, summed at the end. `controls`: those the text
    /// may hold (see `isSpace`).
    @inline(__always)
    private static func asciiRun(_ p: UnsafeRawPointer, from: Int, _ n: Int, controls: Controls) -> (end: Int, blocks: Int, words: Int) {
        @inline(__always) func isSpace(_ v: V) -> SIMDMask<SIMD16<Int8>> { Self.isSpace(v, controls: controls) }
        var i = from
        var run = 0
        var starts = V()
        // Two blocks a step while both are ASCII (one check of their high bits).
        while run < 254, i &+ 32 <= n {
            let v0 = p.loadUnaligned(fromByteOffset: i, as: V.self)
            let v1 = p.loadUnaligned(fromByteOffset: i &+ 16, as: V.self)
            if !isASCII(v0 | v1) { break }
            let w0 = p.loadUnaligned(fromByteOffset: i &- 1, as: V.self)
            let w1 = p.loadUnaligned(fromByteOffset: i &+ 15, as: V.self)
            // A true lane is 0xFF: subtracting it adds one.
            starts &-= unsafeBitCast(isSpace(w0) .& .!isSpace(v0), to: V.self)
            starts &-= unsafeBitCast(isSpace(w1) .& .!isSpace(v1), to: V.self)
            run &+= 2
            i &+= 32
        }
        while run < 255, i &+ 16 <= n {
            let v = p.loadUnaligned(fromByteOffset: i, as: V.self)
            if !isASCII(v) { break }
            let w = p.loadUnaligned(fromByteOffset: i &- 1, as: V.self)
            starts &-= unsafeBitCast(isSpace(w) .& .!isSpace(v), to: V.self)
            run &+= 1
            i &+= 16
        }
        let sums = unsafeBitCast(starts, to: SIMD2<UInt64>.self)
        return (i, run, byteSum(sums[0]) &+ byteSum(sums[1]))
    }

    /// `asciiRun` for text with any control characters, not inlined: a third inlined copy of
    /// the loop in `measure` made the compiler box the variables its nested functions share
    /// (a heap allocation and dynamic exclusivity checks on every call; `i` passed inout
    /// to this function did the same, hence the returned end).
    @inline(never)
    private static func asciiRunAnyControls(_ p: UnsafeRawPointer, from: Int, _ n: Int) -> (end: Int, blocks: Int, words: Int) {
        asciiRun(p, from: from, n, controls: .any)
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
    /// Whitespace is what `Unicode.Scalar.Properties.isWhitespace` says. Blocks of sixteen
    /// bytes with no possible non-ASCII whitespace are counted with vector compares; the
    /// others one character at a time.
    ///
    /// `controls`: which control characters the text may hold. A JSON string as written in
    /// the file holds none (the scanner rejects raw control bytes in strings): its only
    /// ASCII whitespace is then the space, one compare a block of all-ASCII ones, not three;
    /// one whose escapes gave only whitespace ones (`\n`), two.
    static func measure(_ p: UnsafeRawPointer, _ n: Int, controls: Controls = .any) -> (chars: Int, words: Int) {
        let top2 = V(repeating: 0xC0), continuation = V(repeating: 0x80), one = V(repeating: 1), zero = V()
        // Lead bytes of the non-ASCII whitespace characters (U+0085, U+00A0, U+1680,
        // U+2000...U+200A, U+2028, U+2029, U+202F, U+205F, U+3000).
        let c2 = V(repeating: 0xC2), e1 = V(repeating: 0xE1), e2 = V(repeating: 0xE2), e3 = V(repeating: 0xE3)
        var words = 0, chars = 0
        var starts = zero, leads = zero, blocks = 0
        var prevSpace = true  // the byte before the text counts as whitespace
        // Whether the last character was a space of several bytes: the byte before the next
        // block then does not tell (see the vector step).
        var afterWideSpace = false
        var i = 0
        @inline(__always) func flush() {
            for l in 0..<16 { words &+= Int(starts[l]); chars &+= Int(leads[l]) }
            starts = zero
            leads = zero
            blocks = 0
        }
        @inline(__always) func isAsciiSpace(_ b: UInt8) -> Bool { b == 0x20 || b &- 9 < 5 }
        /// Whether the block at `i` (whose bytes are `v`) may start a non-ASCII space: the
        /// lead bytes alone also start common punctuation (’ “ ” – … are E2 80 xx).
        @inline(__always) func mayHoldSpace(_ i: Int, _ v: V) -> Bool {
            guard i + 18 <= n else { return true }
            let n1 = p.loadUnaligned(fromByteOffset: i + 1, as: V.self)
            let n2 = p.loadUnaligned(fromByteOffset: i + 2, as: V.self)
            let x80 = V(repeating: 0x80)
            let space2 = (v .== c2) .& ((n1 .== V(repeating: 0x85)) .| (n1 .== V(repeating: 0xA0)))
            let space1680 = (v .== e1) .& (n1 .== V(repeating: 0x9A))
            let space3000 = (v .== e3) .& (n1 .== x80) .& (n2 .== x80)
            let space20xx = (v .== e2) .& (
                ((n1 .== x80) .& ((n2 .<= V(repeating: 0x8A)) .| (n2 .== V(repeating: 0xA8)) .| (n2 .== V(repeating: 0xA9)) .| (n2 .== V(repeating: 0xAF))))
                .| ((n1 .== V(repeating: 0x81)) .& (n2 .== V(repeating: 0x9F))))
            return anyLane(space2 .| space1680 .| space3000 .| space20xx)
        }
        /// One character.
        @inline(__always) func step() {
            let b = p.load(fromByteOffset: i, as: UInt8.self)
            @inline(__always) func at(_ k: Int) -> UInt8 { k < n ? p.load(fromByteOffset: k, as: UInt8.self) : 0 }
            var ws = false
            if b & 0xC0 == 0x80 {
                // The rest of a character a vector step began (blocks end anywhere).
                i += 1
                return
            }
            if b < 0x80 {
                ws = isAsciiSpace(b)
                i += 1
            } else {
                switch b {
                case 0xC2: ws = at(i + 1) == 0x85 || at(i + 1) == 0xA0
                case 0xE1: ws = at(i + 1) == 0x9A && at(i + 2) == 0x80
                case 0xE2:
                    let b1 = at(i + 1), b2 = at(i + 2)
                    ws = (b1 == 0x80 && ((0x80...0x8A).contains(b2) || b2 == 0xA8 || b2 == 0xA9 || b2 == 0xAF))
                        || (b1 == 0x81 && b2 == 0x9F)
                case 0xE3: ws = at(i + 1) == 0x80 && at(i + 2) == 0x80
                default: break
                }
                i += b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1
            }
            chars += 1
            afterWideSpace = ws && b >= 0x80
            if ws { prevSpace = true } else { if prevSpace { words += 1 }; prevSpace = false }
        }
        /// The block at `i` (bytes `v`, no non-ASCII space in it) by vector compares: word
        /// starts, and characters (its lead bytes).
        @inline(__always) func vectorStep(_ v: V) {
            // The byte before the block decides the word boundary at its first lane; its
            // class is prevSpace except after a multi-byte space (the caller checks).
            let w = p.loadUnaligned(fromByteOffset: i - 1, as: V.self)
            let ws = isSpace(v)
            starts &+= zero.replacing(with: one, where: .!ws .& isSpace(w))
            leads &+= zero.replacing(with: one, where: (v & top2) .!= continuation)
            prevSpace = ws[15]
            blocks &+= 1
            if blocks == 255 { flush() }
            i &+= 16
        }
        if n > 0 { step() }  // so the vector step always has a byte before its block
        while i < n {
            if i &+ 16 <= n, !afterWideSpace {
                // A run of all-ASCII blocks (most text).
                // One copy of the loop for each kind of text, each with its own compares.
                let (runEnd, run, runWords) = controls == .absent ? asciiRun(p, from: i, n, controls: .absent)
                    : controls == .whitespaceOnly ? asciiRun(p, from: i, n, controls: .whitespaceOnly)
                    : asciiRunAnyControls(p, from: i, n)
                if run > 0 {
                    i = runEnd
                    words &+= runWords
                    chars &+= 16 &* run
                    prevSpace = isAsciiSpace(p.load(fromByteOffset: i &- 1, as: UInt8.self))
                    continue
                }
                // A block with non-ASCII bytes.
                let v = p.loadUnaligned(fromByteOffset: i, as: V.self)
                if !anyLane((v .== c2) .| (v .== e1) .| (v .== e2) .| (v .== e3)) || !mayHoldSpace(i, v) {
                    vectorStep(v)
                } else {
                    let stop = i + 16
                    while i < stop { step() }
                }
                continue
            }
            // The last bytes: when the sixteen ending the text are all ASCII, counted as one
            // block whose lanes before `i` are left out.
            if n >= 17, !afterWideSpace {
                let v = p.loadUnaligned(fromByteOffset: n &- 16, as: V.self)
                if isASCII(v) {
                    let w = p.loadUnaligned(fromByteOffset: n &- 17, as: V.self)
                    let fresh = Self.laneIndex .>= V(repeating: UInt8(truncatingIfNeeded: i &- (n &- 16)))
                    starts &+= zero.replacing(with: one, where: isSpace(w) .& .!isSpace(v) .& fresh)
                    chars &+= n &- i
                    i = n
                    break
                }
            }
            step()
        }
        flush()
        return (chars, words)
    }
}
