import Testing
@testable import AssayCore

/// The sixteen-bytes-a-step loops against one-character-at-a-time references, on random
/// texts long enough to reach the vector paths and mixed enough to leave them.
@Suite struct TextKernelsTests {
    /// SplitMix64: the same texts on every run.
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    }

    /// Pieces that matter to the kernels: ASCII words and spaces of every kind, non-ASCII
    /// whitespace (each lead byte the vector path must leave for), non-ASCII letters
    /// sharing those lead bytes, emoji, and characters split across block boundaries.
    static let pieces: [String] = [
        "word", "a", "longerwordhere", " ", "  ", "\t", "\n", "\r\n", "\u{0B}", "\u{0C}", "\u{1C}",
        "\u{85}", "\u{A0}", "\u{1680}", "\u{2000}", "\u{2009}", "\u{200A}", "\u{2028}", "\u{2029}", "\u{202F}",
        "\u{205F}", "\u{3000}", "\u{200B}", "\u{2019}", "\u{201C}", "\u{00E9}", "\u{00A9}", "\u{3001}",
        "漢字", "テスト", "😀", "👍🏽", "e\u{301}", "\u{FEFF}", "\u{1681}", "\u{2060}",
    ]

    static func randomText(_ g: inout Generator) -> String {
        var s = ""
        let n = g.below(120)
        for _ in 0..<n { s += pieces[g.below(pieces.count)] }
        return s
    }

    @Test func measureMatchesScalarCountingOnRandomTexts() {
        var g = Generator(state: 42)
        for _ in 0..<3_000 {
            var s = Self.randomText(&g)
            let (fast, slow) = s.withUTF8 { buf -> ((Int, Int), (Int, Int)) in
                let p = UnsafeRawPointer(buf.baseAddress ?? UnsafePointer(bitPattern: 1)!)
                return (TextKernels.measure(p, buf.count), FastJSONLScanner.measureScalars(p, buf.count))
            }
            #expect(fast == slow, "\(s.debugDescription)")
        }
        // Mostly ASCII (as most text is), so runs of all-ASCII blocks start and end anywhere.
        for _ in 0..<3_000 {
            var s = ""
            for _ in 0..<g.below(200) {
                s += g.below(10) == 0 ? Self.pieces[g.below(Self.pieces.count)] : ["word", "a", "longerwordhere", " ", "  ", "\t"][g.below(6)]
            }
            let (fast, slow) = s.withUTF8 { buf -> ((Int, Int), (Int, Int)) in
                let p = UnsafeRawPointer(buf.baseAddress ?? UnsafePointer(bitPattern: 1)!)
                return (TextKernels.measure(p, buf.count), FastJSONLScanner.measureScalars(p, buf.count))
            }
            #expect(fast == slow, "\(s.debugDescription)")
        }
        // Long ASCII runs: more than 255 blocks, so the lane counters are flushed mid-text.
        var long = String(repeating: "ab cd\tef ", count: 2_000)
        let (fast, slow) = long.withUTF8 { buf in
            let p = UnsafeRawPointer(buf.baseAddress!)
            return (TextKernels.measure(p, buf.count), FastJSONLScanner.measureScalars(p, buf.count))
        }
        #expect(fast == slow)
        #expect(fast.words == 6_000)
    }

    /// Text with no byte below 0x20 (a JSON string without escapes) may be measured
    /// comparing against the space alone; text whose only control characters are
    /// whitespace (escapes like `\n`), comparing against the bytes up to the space.
    @Test func measureOfTextWithFewControlsMatchesScalarCounting() {
        var g = Generator(state: 7)
        for controls in [TextKernels.Controls.absent, .whitespaceOnly] {
            for round in 0..<4_000 {
                var s = ""
                for _ in 0..<g.below(round < 2_000 ? 120 : 600) {
                    s += g.below(8) == 0 ? Self.pieces[g.below(Self.pieces.count)] : ["word", "a", "longerwordhere", " ", "   ", "\n\n"][g.below(6)]
                }
                s = String(String.UnicodeScalarView(s.unicodeScalars.filter {
                    $0.value >= 0x20 || (controls == .whitespaceOnly && (0x09...0x0D).contains($0.value))
                }))
                let (fast, slow) = s.withUTF8 { buf -> ((Int, Int), (Int, Int)) in
                    let p = UnsafeRawPointer(buf.baseAddress ?? UnsafePointer(bitPattern: 1)!)
                    return (TextKernels.measure(p, buf.count, controls: controls), FastJSONLScanner.measureScalars(p, buf.count))
                }
                #expect(fast == slow, "\(controls) \(s.debugDescription)")
            }
        }
    }

    /// `measure` against the scalar reference on `s`, with `controls` (which `s` must
    /// respect).
    static func expectMeasure(_ s: String, controls: TextKernels.Controls = .any, _ note: String = "") {
        var s = s
        let (fast, slow) = s.withUTF8 { buf -> ((Int, Int), (Int, Int)) in
            let p = UnsafeRawPointer(buf.baseAddress ?? UnsafePointer(bitPattern: 1)!)
            return (TextKernels.measure(p, buf.count, controls: controls), FastJSONLScanner.measureScalars(p, buf.count))
        }
        #expect(fast == slow, "\(controls) \(note) \(s.debugDescription)")
    }

    /// Keeps only the control characters `controls` allows.
    static func restricted(_ s: String, to controls: TextKernels.Controls) -> String {
        String(String.UnicodeScalarView(s.unicodeScalars.filter {
            $0.value >= 0x20 || controls == .any || (controls == .whitespaceOnly && (0x09...0x0D).contains($0.value))
        }))
    }

    /// Texts of every length up to 70 bytes (the first byte, whole blocks, the last
    /// bytes' block and lengths too short for it), of each kind of controls.
    @Test func measureMatchesScalarCountingAtEveryLength() {
        var g = Generator(state: 3)
        for controls in [TextKernels.Controls.any, .whitespaceOnly, .absent] {
            for length in 0...70 {
                for _ in 0..<60 {
                    var s = ""
                    while s.utf8.count < length {
                        s += g.below(3) == 0 ? Self.pieces[g.below(Self.pieces.count)] : ["ab", "c", " ", "\n", "é"][g.below(5)]
                    }
                    s = Self.restricted(s, to: controls)
                    while s.utf8.count > length { s.unicodeScalars.removeLast() }
                    while s.utf8.count < length { s += g.below(2) == 0 ? "x" : " " }
                    Self.expectMeasure(s, controls: controls, "length \(length)")
                }
            }
        }
    }

    /// Non-ASCII text (accented letters, emoji, punctuation sharing the lead bytes of
    /// spaces) counted in the vector blocks, with a non-ASCII space (or none) at every
    /// offset around the block boundaries and at the end, and long enough for the lane
    /// counters to be summed on the way.
    @Test func measureOfNonASCIITextWithSpacesAtEveryOffset() {
        let wide = ["\u{85}", "\u{A0}", "\u{1680}", "\u{2000}", "\u{200A}", "\u{2028}", "\u{2029}", "\u{202F}", "\u{205F}", "\u{3000}"]
        let lookalikes = ["\u{2019}", "\u{201C}", "\u{2026}", "\u{A9}", "\u{1681}", "\u{3001}", "\u{2060}", "❤", "é"]
        var g = Generator(state: 5)
        for controls in [TextKernels.Controls.any, .whitespaceOnly, .absent] {
            for offset in 0..<40 {
                for space in wide + lookalikes + [""] {
                    var prefix = ""
                    while prefix.utf8.count < offset { prefix += ["é", "x", " ", "ß", "\n", "😀", "\u{2019}"][g.below(7)] }
                    let suffix = (0..<g.below(40)).map { _ in ["ä", "y", " ", "\u{201D}", "\t"][g.below(5)] }.joined()
                    for s in [prefix + space + suffix, prefix + space, space + prefix + space, prefix + space + space + suffix] {
                        Self.expectMeasure(Self.restricted(s, to: controls), controls: controls, "offset \(offset)")
                    }
                }
            }
            // Over 254 blocks of mixed text: the counters are summed in the middle.
            for _ in 0..<20 {
                let s = (0..<g.below(3_000)).map { _ in
                    g.below(50) == 0 ? wide[g.below(wide.count)] : ["héllo", " ", "wörld", "\n", "a", "“quoted”", "😀"][g.below(7)]
                }.joined()
                Self.expectMeasure(Self.restricted(s, to: controls), controls: controls, "long")
            }
        }
    }

    /// The reference: a byte at a time, to the closing quote or the first backslash.
    static func stringBodyReference(_ b: [UInt8], from: Int) -> (stop: Int, high: Bool)? {
        var i = from, high = false
        while i < b.count {
            switch b[i] {
            case 0x22, 0x5C: return (i, high)
            case ..<0x20: return nil
            case 0x80...: high = true
            default: break
            }
            i += 1
        }
        return nil
    }

    @Test func stringBodyMatchesAByteAtATimeScan() {
        var g = Generator(state: 7)
        let alphabet: [UInt8] = Array("abc xyz".utf8) + [0x22, 0x5C, 0x5C, 0x01, 0x1F, 0x7F, 0xC3, 0xA9, 0xE2, 0x80]
        for round in 0..<8_000 {
            // Also long strings, so that the 32-byte steps meet every kind of stop byte in
            // either of their blocks.
            let n = g.below(round < 5_000 ? 80 : 200)
            var bytes: [UInt8] = []
            for _ in 0..<n {
                // Mostly plain letters so that many strings run for several blocks (the
                // long ones for many).
                let plain = round < 5_000 ? g.below(10) < 8 : g.below(60) != 0
                bytes.append(plain ? UInt8(ascii: "m") : alphabet[g.below(alphabet.count)])
            }
            let from = min(bytes.count, g.below(3))
            let fast = bytes.withUnsafeBytes { TextKernels.stringBody($0.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!, from: from, end: bytes.count) }
            let slow = Self.stringBodyReference(bytes, from: from)
            #expect(fast?.stop == slow?.stop, "\(bytes) from \(from)")
            // `high` may also be set by bytes past the stop (it only asks for a UTF-8 check).
            if slow?.high == true { #expect(fast?.high == true, "\(bytes) from \(from)") }
        }
    }

    /// The reference for a whole string body: its closing quote found a byte at a time
    /// (skipping the byte after each backslash), then the content decoded by the JSON
    /// parser's `writeUnescaped`.
    static func decodedBodyReference(_ b: [UInt8], from: Int) -> (close: Int, decoded: [UInt8], high: Bool, controls: TextKernels.Controls)? {
        var i = from, high = false
        while true {
            guard i < b.count else { return nil }
            let c = b[i]
            if c == 0x22 { break }
            if c < 0x20 { return nil }
            if c >= 0x80 { high = true }
            i += c == 0x5C ? 2 : 1
        }
        var out = [UInt8](repeating: 0, count: i - from)
        let written = b.withUnsafeBytes { raw in
            out.withUnsafeMutableBufferPointer { o in
                JSONParser.writeUnescaped(UnsafeRawBufferPointer(rebasing: raw[from..<i]), latin1: false, to: o.baseAddress ?? UnsafeMutablePointer(bitPattern: 1)!)
            }
        }
        guard case .success(let n) = written else { return nil }
        let decoded = Array(out[..<n])
        let controls: TextKernels.Controls = decoded.contains { $0 < 0x20 && !(0x09...0x0D).contains($0) } ? .any
            : decoded.contains { $0 < 0x20 } ? .whitespaceOnly : .absent
        return (i, decoded, high, controls)
    }

    /// `stringBody`, then (at a backslash) `unescape` into a buffer that already holds a
    /// few bytes and starts small, so that it grows in the middle of a string.
    static func decodedBody(_ b: [UInt8], from: Int) -> (close: Int, decoded: [UInt8], high: Bool, controls: TextKernels.Controls)? {
        b.withUnsafeBytes { raw -> (close: Int, decoded: [UInt8], high: Bool, controls: TextKernels.Controls)? in
            let base = raw.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!
            guard let (stop, high) = TextKernels.stringBody(base, from: from, end: b.count) else { return nil }
            if b[stop] == 0x22 { return (stop, Array(b[from..<stop]), high, .absent) }
            let out = ScanBuffer<UInt8>(capacity: 1)
            out.append(contentsOf: [7, 7, 7])
            out.append((base + from).assumingMemoryBound(to: UInt8.self), count: stop - from)
            guard let rest = TextKernels.unescape(base, escape: stop, end: b.count, into: out) else { return nil }
            let decoded = Array(UnsafeBufferPointer(start: out.base, count: out.count))
            #expect(decoded.prefix(3) == [7, 7, 7])
            return (rest.close, Array(decoded.dropFirst(3)), high || rest.high, rest.controls)
        }
    }

    @Test func unescapeMatchesTheJSONParsersDecoding() {
        var g = Generator(state: 11)
        // Escapes of every kind (also broken ones and surrogates, paired or lone), the bytes
        // that stop a scan, and characters of two to four bytes.
        let pieces: [[UInt8]] = [
            #"\n"#, #"\t"#, #"\""#, #"\\"#, #"\/"#, #"\b"#, #"\f"#, #"\r"#, #"\u0041"#, #"\u00e9"#, #"\u00A0"#,
            #"\u2028"#, #"\u0000"#, #"\u001f"#, #"\ud83d\ude00"#, #"\ud83d"#, #"\ude00"#, #"\ud83dx"#, #"\u12"#,
            #"\uZZZZ"#, #"\x"#, "\\", "\"", "é", "漢", "😀", "\u{01}", "\u{7F}",
        ].map { Array($0.utf8) } + [[0xFF], [0xC3], [0x80]]
        for round in 0..<20_000 {
            var bytes: [UInt8] = []
            // Some strings are one long run (1...150 bytes) with a single piece somewhere,
            // so that it lands at every offset of the sixteen-byte blocks and of the two
            // blocks of a 32-byte step.
            if round < 5_000 {
                let n = 1 + g.below(round < 2_500 ? 70 : 150), at = g.below(n)
                for k in 0..<n {
                    if k == at { bytes += pieces[g.below(pieces.count)] } else { bytes.append(UInt8(ascii: "m")) }
                }
                bytes += g.below(4) == 0 ? [] : [0x22]
            } else {
                for _ in 0..<g.below(40) {
                    bytes += g.below(3) == 0 ? pieces[g.below(pieces.count)] : Array("word ".utf8)
                }
                bytes.append(0x22)
                bytes += Array("tail".utf8)
            }
            let from = min(bytes.count, g.below(3))
            let fast = Self.decodedBody(bytes, from: from)
            let slow = Self.decodedBodyReference(bytes, from: from)
            #expect(fast?.close == slow?.close && fast?.decoded == slow?.decoded && fast?.controls == slow?.controls,
                    "\(bytes) from \(from)")
            if slow?.high == true { #expect(fast?.high == true, "\(bytes) from \(from)") }
        }
        // Runs of `\n` escapes of every length up to 300 (taken together, and across the
        // buffer growing), between text.
        for k in 0..<300 {
            let body = "ab " + String(repeating: #"\n"#, count: k) + #"c\td\n"# + String(repeating: "x", count: k % 40) + "\""
            let bytes = Array(body.utf8)
            let fast = Self.decodedBody(bytes, from: 0)
            let slow = Self.decodedBodyReference(bytes, from: 0)
            #expect(fast?.close == slow?.close && fast?.decoded == slow?.decoded && fast?.controls == slow?.controls, "\(k)")
        }
        // The empty string, and a long one growing the buffer many times.
        #expect(Self.decodedBody([0x22], from: 0)?.close == 0)
        let long = Array(String(repeating: #"ab\ncd "#, count: 500).utf8) + [0x22]
        #expect(Self.decodedBody(long, from: 0)?.decoded == Array(String(repeating: "ab\ncd ", count: 500).utf8))
    }

    /// `UTF8Validation.firstInvalid` (the check of strings with high bits) at every length
    /// around its 16- and 32-byte steps: all ASCII (the steps may take the whole buffer),
    /// and with a valid or broken character at the end, at the start or in the middle.
    @Test func utf8ValidationAtEveryLength() {
        let ends: [[UInt8]] = [[], Array("é".utf8), Array("😀".utf8), Array("€".utf8), [0xC3], [0x80], [0xE2, 0x82], [0xFF], [0xC0, 0x80]]
        for n in 0...130 {
            for end in ends {
                let ascii = (0..<n).map { UInt8(ascii: "a") + UInt8($0 % 26) }
                for bytes in [ascii + end, end + ascii, Array(ascii.prefix(n / 2)) + end + Array(ascii.dropFirst(n / 2))] {
                    let fast = bytes.withUnsafeBytes { UTF8Validation.firstInvalid($0) }
                    #expect(fast == firstInvalidUTF8Reference(bytes), "\(bytes)")
                }
            }
        }
    }

    @Test func stableHashOfLongValuesDependsOnEveryByte() {
        let base = Array(repeating: UInt8(ascii: "x"), count: 200)
        let h0 = base.withUnsafeBytes { StableHash.hash($0) }
        var seen: Set<UInt64> = [h0]
        for i in 0..<base.count {
            var b = base
            b[i] = UInt8(ascii: "y")
            seen.insert(b.withUnsafeBytes { StableHash.hash($0) })
        }
        #expect(seen.count == base.count + 1)
    }

    @Test func stableHashTellsApartEveryOneByteChangeAtEveryLength() {
        // Lengths around the 16- and 48-byte steps; each byte changed in turn.
        var seen: Set<UInt64> = []
        var made = 0
        for n in 1...130 {
            let base = (0..<n).map { UInt8(ascii: "a") + UInt8($0 % 26) }
            seen.insert(base.withUnsafeBytes { StableHash.hash($0) })
            made += 1
            for i in 0..<n {
                var b = base
                b[i] = UInt8(ascii: "Z")
                seen.insert(b.withUnsafeBytes { StableHash.hash($0) })
                made += 1
            }
        }
        #expect(seen.count == made)
    }
}
