import Testing
@testable import AssayCore

@Suite struct JSONParserTests {
    @Test func scalarsAndContainers() throws {
        let v = try JSONParser.parse(#"{"a": 1, "b": [true, false, null], "c": {"d": -2.5e3}, "e": "x"}"#)
        #expect(v["a"] == .number("1"))
        #expect(v["b"] == .array([.bool(true), .bool(false), .null]))
        #expect(v.value(at: "c.d") == .number("-2.5e3"))
        #expect(v["e"] == .string("x"))
    }

    @Test func escapesAndSurrogatePairs() throws {
        let v = try JSONParser.parse(#""tab\tnl\nq\"bs\\sl\/é\u00e9\ud83d\ude00\u001b""#)
        #expect(v == .string("tab\tnl\nq\"bs\\sl/éé😀\u{1b}"))
        #expect(try JSONParser.parse(#""\ud800""#) == .string("\u{FFFD}"))
    }

    @Test func keysKeepFileOrderAndDuplicates() throws {
        let v = try JSONParser.parse(#"{"z":1,"a":2,"z":3}"#)
        #expect(v.members.map(\.key) == ["z", "a", "z"])
    }

    @Test(arguments: [
        (#"{"a": 1"#, "unterminated object"),
        (#"{"a" 1}"#, "expected ':' after key"),
        (#"{"a": "x}"#, "unterminated string"),
        (#"{"a": tru}"#, "invalid literal"),
        (#"{"a": 01x}"#, "expected ',' or '}' in object"),
        (#"{"a": -}"#, "invalid number"),
        (#"[1, 2"#, "unterminated array"),
        (#"{"a": 1} x"#, "unexpected 'x' after the value"),
        (#"{"a": "\q"}"#, "bad escape '\\q'"),
        ("", "empty record"),
    ])
    func errorsNameTheProblem(input: String, message: String) {
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(input) }
        do {
            _ = try JSONParser.parse(input)
        } catch {
            #expect(error.message == message)
        }
    }

    @Test func errorCarriesColumn() {
        do {
            _ = try JSONParser.parse(#"{"a": 1, "b": ?}"#)
            Issue.record("should fail")
        } catch {
            #expect(error.offset == 14)
            #expect(error.description == "unexpected '?' at column 15")
        }
    }

    @Test func invalidUTF8InAStringIsAnError() {
        let bytes: [UInt8] = Array(#"{"t": "ab"#.utf8) + [0xFF] + Array(#""}"#.utf8)
        let result = bytes.withUnsafeBytes { raw in Result { () throws(JSONParser.Failure) in try JSONParser.parse(raw) } }
        guard case .failure(let e) = result else { Issue.record("should fail"); return }
        #expect(e.message == "invalid UTF-8")
        // As Latin-1 the same byte is ÿ.
        let latin = bytes.withUnsafeBytes { try? JSONParser.parse($0, latin1: true) }
        #expect(latin?["t"] == .string("abÿ"))
    }

    @Test func deepNestingIsRefusedNotRecursedForever() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(deep) }
    }

    @Test func u2028AndNELInsideStringsAreText() throws {
        let v = try JSONParser.parse("{\"t\": \"a\u{2028}b\u{85}c\"}")
        #expect(v["t"] == .string("a\u{2028}b\u{85}c"))
    }

    @Test func writerRoundTripsAndEscapesControls() throws {
        let v = FieldValue.object([.init("t", .string("a\u{1b}[2J\u{9b}\"\n")), .init("n", .number("1.50"))])
        let text = v.compactJSON
        #expect(text == #"{"t":"a\u001b[2J\u009b\"\n","n":1.50}"#)
        #expect(try JSONParser.parse(text) == v)
    }

    @Test func dottedPaths() throws {
        let v = try JSONParser.parse(#"{"meta": {"url": "u"}, "instances": [{"output": "o"}], "a.b": 1}"#)
        #expect(v.value(at: "meta.url") == .string("u"))
        #expect(v.value(at: "instances[0].output") == .string("o"))
        #expect(v.value(at: "instances[1].output") == nil)
        #expect(v.value(at: "a.b") == .number("1"))
        #expect(v.leaves().map(\.path) == ["meta.url", "instances[0].output", "a.b"])
    }

    /// The validator against the standard library's UTF-8 decoder: the offset of the first
    /// byte that starts no valid sequence, on mostly-ASCII bytes with accented letters,
    /// emoji, and broken sequences (stray continuations, overlongs, surrogates, cut-off
    /// sequences) at any offset, also where sixteen-byte blocks begin and end.
    @Test func utf8ValidationAgreesWithTheStandardLibrary() {
        // Valid pieces first (with the edges of each range: U+0800, U+D7FF, U+E000, U+FFFF,
        // U+10000, U+10FFFF), then broken ones (overlong forms, surrogates, past U+10FFFF,
        // stray and missing continuation bytes).
        let pieces: [[UInt8]] = [
            Array("word ".utf8), Array("a".utf8), Array("sixteen bytes!!!".utf8), Array("é".utf8), Array("ß".utf8),
            Array("€".utf8), Array("😀".utf8), Array("漢".utf8), [0xC2, 0x80], [0xDF, 0xBF], [0xE0, 0xA0, 0x80],
            [0xED, 0x9F, 0xBF], [0xEE, 0x80, 0x80], [0xEF, 0xBF, 0xBF], [0xF0, 0x90, 0x80, 0x80], [0xF4, 0x8F, 0xBF, 0xBF],
            [0x80], [0xC0, 0x80], [0xC1, 0xBF], [0xE0, 0x80, 0x80], [0xE0, 0x9F, 0xBF], [0xED, 0xA0, 0x80],
            [0xF0, 0x8F, 0xBF, 0xBF], [0xF4, 0x90, 0x80, 0x80], [0xF5], [0xFF], [0xC3], [0xE2, 0x82], [0xF0, 0x9F, 0x98],
            [0xBF, 0xBF],
        ]
        let valid = 16
        var g = TextKernelsTests.Generator(state: 11)
        for round in 0..<20_000 {
            var bytes: [UInt8] = []
            // Some rounds are dense with non-ASCII letters (every block takes the vector check).
            let dense = round % 3 == 0
            for _ in 0..<g.below(80) {
                // Mostly valid text; a broken piece now and then (none in a quarter of rounds).
                let k = round % 4 == 0 || g.below(12) != 0 ? (dense ? 3 + g.below(valid - 3) : g.below(valid)) : g.below(pieces.count)
                bytes += pieces[k]
            }
            let fast = bytes.withUnsafeBytes { UTF8Validation.firstInvalid($0) }
            #expect(fast == firstInvalidUTF8Reference(bytes), "\(bytes)")
        }
    }
}
