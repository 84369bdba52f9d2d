import Testing
@testable import AssayCore

private func rec(_ members: [(String, FieldValue)]) -> Record {
    Record(index: 0, fileIndex: 0, line: 1, value: .object(members.map { FieldValue.Member($0.0, $0.1) }))
}

private let ticket = rec([
    ("id", .number("17")),
    ("body", .string("my parcel never arrived")),
    ("label", .string("spam")),
    ("split", .string("train")),
    ("score", .number("0.75")),
    ("count", .string("12")),
    ("tags", .array([.string("a"), .string("b")])),
    ("meta", .object([.init("url", .string("https://forum.example.com/t/1")), .init("lang", .null)])),
])
private let roles = Roles(text: ["body"], label: "label", split: "split", id: "id")

private func matches(_ expr: String, _ r: Record = ticket, roles: Roles = roles) throws -> Bool {
    try FilterExpression(expr).matches(r, roles: roles)
}

private func syntaxError(_ expr: String) -> FilterSyntaxError? {
    do {
        _ = try FilterExpression(expr)
        return nil
    } catch {
        return error
    }
}

/// (expression, error position, message)
private let badExpressions: [(String, Int, String)] = [
    (#"label == "spam" && (len(text) < 20"#, 34, "expected ')'"),
    (#"(label == "spam""#, 16, "expected ')'"),
    (#"label == "spam"#, 9, "unterminated string"),
    ("label ==", 8, "expected a value"),
    ("", 0, "empty expression"),
    ("   ", 0, "empty expression"),
    ("label & x", 6, "expected '&&'"),
    ("label | x", 6, "expected '||'"),
    (#"foo(label) == 1"#, 0, "unknown function 'foo' (known: len, words, missing, has, lower, upper, hash)"),
    ("missing(\"x\")", 8, "missing() takes a field name"),
    ("len()", 4, "len() needs an argument"),
    (#"text ~ label"#, 7, "expected a quoted regular expression after '~', found 'label'"),
    (#"text ~ "(unclosed""#, 7, "invalid regular expression"),
    ("a < b < c", 6, "comparisons can't be chained; join them with '&&'"),
    ("label == 'x')", 12, "unmatched ')'"),
    ("label 'x'", 6, "expected '&&', '||' or end of expression, found a string"),
    ("label == #", 9, "unexpected character '#'"),
    (#""\u{zz}""#, 1, #"expected '}' in \u{...} escape"#),
    ("漢字 == 'x' &&", 12, "expected a value"),  // positions count characters, not bytes
]

@Suite struct FilterExpressionTests {
    @Test func comparisonsOnStrings() throws {
        #expect(try matches(#"label == "spam""#))
        #expect(try !matches(#"label == "ham""#))
        #expect(try matches(#"split != "test""#))
        #expect(try matches(#"label = 'spam'"#))
        #expect(try matches(#"label='spam'&&split<>"test""#))  // single = and single quotes accepted
        #expect(try matches(#"label < "zzz" && label >= "spam""#))
    }

    @Test func numbersCompareNumerically() throws {
        #expect(try matches("score > 0.5"))
        #expect(try matches("score == 0.750"))
        #expect(try matches("id == 17 && id <= 17.0"))
        #expect(try matches("count > 9"))  // a string cell that reads as a number
        #expect(try matches("score > -1e3"))
        #expect(try matches("score < .8"))
    }

    @Test func anyElementPaths() throws {
        let r = Record(index: 0, fileIndex: 0, line: 1, value: try JSONParser.parse(
            #"{"meta": {"tags": ["web", "escalated"]}, "items": [{"label": "a"}, {"label": "b", "n": 3}], "none": []}"#))
        func m(_ e: String) throws -> Bool { try FilterExpression(e).matches(r, roles: Roles()) }
        #expect(try m(#"meta.tags[] == "escalated""#))
        #expect(try !m(#"meta.tags[] == "spam""#))
        #expect(try m(#"meta.tags[] ~ "^esc""#))
        #expect(try !m(#"meta.tags[] !~ "e""#))
        #expect(try m(#"items[].label == "b" && items[].n > 2"#))
        #expect(try m("len(meta.tags[]) == 2"))
        #expect(try m("missing(none[])"))
        #expect(try m("has(items[].n)"))
        #expect(try !m("has(items[].zzz)"))
        #expect(try m(#"meta.tags[0] == "web""#))
    }

    @Test func stringsCompareAsWrittenNumbersByValue() throws {
        let r = Record(index: 0, fileIndex: 0, line: 1,
                       value: .object([.init("code", .string("01")), .init("n", .number("1.0"))]))
        #expect(try !FilterExpression(#"code == "1""#).matches(r, roles: Roles()))
        #expect(try FilterExpression(#"code == "01""#).matches(r, roles: Roles()))
        #expect(try FilterExpression("code == 1").matches(r, roles: Roles()))
        #expect(try FilterExpression("n == 1").matches(r, roles: Roles()))
        #expect(try FilterExpression(#"code != "1""#).matches(r, roles: Roles()))
    }

    @Test func lenCountsScalarsAndWordsCountsWords() throws {
        let r = Record(index: 0, fileIndex: 0, line: 1,
                       value: .object([.init("t", .string("e\u{301}té 👍🏽 two  words"))]))
        // é written as e + combining accent is two scalars; 👍🏽 is two scalars.
        #expect(try FilterExpression("len(t) == 18").matches(r, roles: Roles()))
        #expect(try FilterExpression("words(t) == 4").matches(r, roles: Roles()))
        #expect(try FilterExpression("words(missingfield) == 0").matches(r, roles: Roles()) == false)
    }

    @Test func hashNamesTheValueALongTableKeyAbbreviates() throws {
        let long = String(repeating: "é long text ", count: 120)   // 1,560 bytes
        let r = Record(index: 0, fileIndex: 0, line: 1, value: .object([.init("t", .string(long)), .init("n", .number("7"))]))
        let key = FieldStats.tableKey(long)
        let h = try #require(FieldStats.abbreviatedHash(key))
        #expect(h.utf8.count == 16)
        #expect(try FilterExpression("hash(t) == \"\(h)\"").matches(r, roles: Roles()))
        #expect(try FilterExpression("hash(t) == \"0000000000000000\"").matches(r, roles: Roles()) == false)
        // Scalars hash as written; a missing field has no hash.
        #expect(try FilterExpression("hash(n) == \"\(StableHash.hex(StableHash.hash("7")))\"").matches(r, roles: Roles()))
        #expect(try FilterExpression("hash(nothing) == \"\(h)\"").matches(r, roles: Roles()) == false)
        #expect(FieldStats.abbreviatedHash("short") == nil)
    }

    @Test func lengthAndFunctions() throws {
        #expect(try matches("len(text) < 30"))
        #expect(try matches("len(body) == 23"))
        #expect(try matches("len(tags) == 2 && len(meta) == 2"))
        #expect(try matches(#"lower(label) == "spam" && upper(label) == "SPAM""#))
        #expect(try matches("missing(meta.lang)"))  // null counts as missing
        #expect(try matches("missing(nope)"))
        #expect(try !matches("missing(label)"))
        #expect(try matches("has(label) && !has(meta.lang)"))
    }

    @Test func regexMatch() throws {
        #expect(try matches(#"meta.url ~ "forum""#))
        #expect(try matches(#"meta.url ~ "^https://[a-z]+\.example""#))
        #expect(try !matches(#"meta.url ~ "FORUM""#))
        #expect(try matches(#"meta.url ~ "(?i)FORUM""#))
        #expect(try matches(#"text !~ "refund""#))
        #expect(try matches(#"meta.url =~ "forum""#))
        #expect(try !matches(#"nope ~ ".*""#))
    }

    @Test func booleanLogicAndPrecedence() throws {
        #expect(try matches(#"label == "ham" || split == "train""#))
        #expect(try !matches(#"label == "ham" && split == "train""#))
        #expect(try matches(#"!(label == "ham")"#))
        #expect(try matches(#"!label == "ham""#))  // `!` binds looser than `==`
        #expect(try matches(#"label == "ham" || split == "train" && id == 17"#))
        #expect(try !matches(#"(label == "ham" || split == "train") && id == 18"#))
        #expect(try matches(#"not label == "ham" and split == "train" or false"#))
    }

    @Test func missingFieldsCompare() throws {
        #expect(try !matches(#"nope == "x""#))
        #expect(try matches(#"nope != "x""#))
        #expect(try !matches("nope < 3"))
        #expect(try !matches("nope"))
        #expect(try matches("label"))  // bare operand: truthy
        #expect(try matches("meta.lang == null"))
    }

    @Test func roleNamesFallBackToRoles() throws {
        let r = rec([("prompt", .string("hello")), ("answer", .string("world")), ("y", .string("pos")), ("fold", .string("dev"))])
        let roles = Roles(text: ["prompt", "answer"], label: "y", split: "fold")
        #expect(try matches(#"text == "hello world""#, r, roles: roles))
        #expect(try matches(#"label == "pos" && split == "dev""#, r, roles: roles))
        #expect(try matches("len(text) == 11", r, roles: roles))
        #expect(try matches("missing(source)", r, roles: roles))
        // A real `text` field wins over the role.
        let own = rec([("text", .string("own")), ("prompt", .string("p"))])
        #expect(try matches(#"text == "own""#, own, roles: Roles(text: ["prompt"])))
    }

    @Test func stringEscapesAndPaths() throws {
        let r = rec([
            ("text", .string("a\tb \"q\" \u{1B}[31m")),
            ("items", .array([.object([.init("out", .string("x"))])])),
            ("odd key", .string("v")),
        ])
        #expect(try matches(#"text ~ "\t""#, r, roles: Roles()))
        #expect(try matches(#"text ~ "\"q\"""#, r, roles: Roles()))
        #expect(try matches(#"text ~ "\x1b\[31m""#, r, roles: Roles()))
        #expect(try matches(#"text ~ "\u{1B}""#, r, roles: Roles()))
        #expect(try matches(#"items[0].out == "x""#, r, roles: Roles()))
        #expect(try matches("`odd key` == 'v'", r, roles: Roles()))
    }

    @Test func malformedSlotsNeverMatch() throws {
        let f = try FilterExpression("missing(label)")
        let bad = RecordResult.malformed(MalformedRecord(file: "f", line: 3, reason: "x"), index: 2)
        #expect(!f.matches(bad, roles: roles))
        #expect(f.matches(.record(rec([])), roles: roles))
    }

    @Test func fieldReferences() throws {
        let f = try FilterExpression(#"label == "a" && len(meta.url) > 3 || label ~ "b""#)
        #expect(f.fieldReferences == ["label", "meta.url"])
        #expect(f.description == #"label == "a" && len(meta.url) > 3 || label ~ "b""#)
    }

    @Test(arguments: badExpressions)
    func badExpressionsReportPosition(expr: String, position: Int, message: String) {
        let e = syntaxError(expr)
        #expect(e == FilterSyntaxError(position: position, message: message), "\(expr)")
    }

    @Test func errorDescriptionCarriesPosition() {
        #expect(syntaxError("(a == 1")?.description == "expected ')' at 7")
    }
}
