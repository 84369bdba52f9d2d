import Foundation
import Testing
@testable import AssayCore

/// Formats, sniffing and bad input, on small files written by the tests.
@Suite struct OpeningDataTests {
    let dir = TempDir()

    func texts(_ acc: StatsAccumulator) -> Int { acc.textChars.total }

    @Test func jsonlWithBlankLinesAndNoFinalNewline() throws {
        let p = dir.write("a.jsonl", "{\"text\":\"one\",\"label\":\"x\"}\n\n  \n{\"text\":\"two\",\"label\":\"y\"}")
        let (d, acc) = try scan([p])
        #expect(d.files[0].layout.format == .jsonl)
        #expect(acc.records == 2)
        #expect(acc.labels == ["x": 1, "y": 1])
        #expect(d.record(at: 1).record?.line == 4)
    }

    @Test func truncatedLastLineIsMalformedWithItsLine() throws {
        let p = dir.write("t.jsonl", "{\"text\":\"a\"}\n{\"text\":\"b\"}\n{\"text\":\"c")
        let (_, acc) = try scan([p])
        #expect(acc.records == 2)
        #expect(acc.malformed == [MalformedRecord(file: p, line: 3, reason: "invalid JSON: unterminated string at column 9")])
    }

    @Test func bareValuesAreNotRecords() throws {
        let p = dir.write("v.jsonl", "{\"text\":\"a\"}\n[1,2]\n42\n")
        let (_, acc) = try scan([p])
        #expect(acc.records == 1)
        #expect(acc.malformed.map(\.line) == [2, 3])
        #expect(acc.malformed[0].reason.hasPrefix("not a JSON object"))
    }

    @Test func invalidUTF8InTheMiddleOfAValidFile() throws {
        var bytes: [UInt8] = []
        for i in 0..<5000 { bytes += Array("{\"text\":\"record \(i)\",\"label\":\"a\"}\n".utf8) }
        bytes += Array("{\"text\":\"bad ".utf8) + [0xC3, 0x28] + Array("\",\"label\":\"a\"}\n".utf8)
        bytes += Array("{\"text\":\"after\",\"label\":\"b\"}\n".utf8)
        let p = dir.write("u.jsonl", bytes)
        let (d, acc) = try scan([p])
        #expect(d.files[0].layout.encoding == .utf8)
        #expect(acc.records == 5001)
        #expect(acc.malformed.count == 1)
        #expect(acc.malformed[0].line == 5001)
        #expect(acc.malformed[0].reason.contains("invalid UTF-8"))
        #expect(acc.labels == ["a": 5000, "b": 1])
    }

    @Test func aFewBrokenLinesAmongUTF8StayUTF8() throws {
        // One valid accented line, one broken one: UTF-8 with a malformed record, not a
        // Latin-1 file whose valid lines would turn into mojibake.
        let bytes: [UInt8] = Array("{\"text\":\"café\",\"label\":\"a\"}\n{\"text\":\"bad ".utf8) + [0xFF, 0xFE]
            + Array(" byte\",\"label\":\"b\"}\n{\"text\":\"ok\",\"label\":\"a\"}\n".utf8)
        let p = dir.write("mid.jsonl", bytes)
        let (d, acc) = try scan([p])
        #expect(d.files[0].layout.encoding == .utf8)
        #expect(d.notices.isEmpty)
        #expect(acc.records == 2)
        #expect(acc.malformed.map(\.line) == [2])
        #expect(d.record(at: 0).record?.field("text") == .string("café"))
    }

    @Test func latin1FileIsReadAsLatin1WithANotice() throws {
        let bytes: [UInt8] = Array("text\tlabel\n".utf8) + Array("caf".utf8) + [0xE9] + Array("\tfood\n".utf8)
        let p = dir.write("l.tsv", bytes)
        let (d, acc) = try scan([p])
        #expect(d.files[0].layout.encoding == .latin1)
        #expect(d.notices == ["\(p): not valid UTF-8 (first at line 2); reading it as Latin-1 (use --encoding utf-8 to override)"])
        #expect(d.record(at: 0).record?.field("text") == .string("café"))
        #expect(acc.records == 1)
    }

    @Test func bomAndCRLFInCSV() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("id,text,label\r\n1,\"hello, world\",a\r\n2,\"multi\r\nline\",b\r\n".utf8)
        let p = dir.write("b.csv", bytes)
        let (d, acc) = try scan([p])
        #expect(d.files[0].layout.bomLength == 3)
        #expect(d.files[0].layout.columns == ["id", "text", "label"])
        #expect(acc.records == 2)
        #expect(d.record(at: 0).record?.field("text") == .string("hello, world"))
        #expect(d.record(at: 1).record?.field("text") == .string("multi\r\nline"))
        #expect(d.record(at: 1).record?.field("label") == .string("b"))
        #expect(d.record(at: 1).record?.line == 3)
    }

    @Test func doubledQuotesAndQuotesInsideUnquotedFields() throws {
        let p = dir.write("q.csv", "text,label\n\"say \"\"hi\"\"\",a\n5\" screen,b\n")
        let (d, acc) = try scan([p])
        #expect(acc.records == 2)
        #expect(d.record(at: 0).record?.field("text") == .string("say \"hi\""))
        #expect(d.record(at: 1).record?.field("text") == .string("5\" screen"))
    }

    @Test func raggedRowsAreKeptWithWarnings() throws {
        let p = dir.write("r.csv", "a,b,c\n1,2,3\n4,5\n6,7,8,9\n")
        let (d, acc) = try scan([p])
        #expect(acc.records == 3)
        #expect(acc.warnings.map(\.line) == [3, 4])
        #expect(d.record(at: 2).record?.field("col4") == .string("9"))
        #expect(acc.fields["c"]?.present == 2)
    }

    @Test func unterminatedQuoteAtTheEndIsMalformed() throws {
        let p = dir.write("uq.csv", "text,label\nok,a\n\"never closed,b")
        let (_, acc) = try scan([p])
        #expect(acc.records == 1)
        #expect(acc.malformed.map(\.line) == [3])
        #expect(acc.malformed.first?.reason == "unterminated quoted field")
    }

    @Test func unclosedQuoteCostsOnlyItsLine() throws {
        // Not the rest of the file swallowed into one field: the rows after it still count.
        let rows = (0..<50).map { "row \($0),a" }
        let p = dir.write("mid.csv", (["text,label"] + rows[..<10] + ["\"never closes,b"] + rows[10...]).joined(separator: "\n") + "\n")
        let (_, acc) = try scan([p])
        #expect(acc.records == 50)
        #expect(acc.labels == ["a": 50])
        #expect(acc.malformed == [MalformedRecord(file: p, line: 12, reason: "unterminated quoted field")])
        // A quoted field over several lines that does close is one record, as before.
        let q = dir.write("multi.csv", "text,label\n\"two\nlines\",a\n\"open,b\nlast,c\n")
        let (d, acc2) = try scan([q])
        #expect(acc2.records == 2)
        #expect(d.record(at: 0).record?.field("text") == .string("two\nlines"))
        #expect(acc2.malformed.map(\.line) == [4])
    }

    @Test func tsvWithUnbalancedQuotesNeedsNoFlag() throws {
        let p = dir.write("s.tsv", "He said \"wow and left\t1\nFine.\t0\n\"Quoted\" start\t1\n")
        let (d, acc) = try scan([p])
        #expect(d.files[0].layout.quoting == .none)
        #expect(!d.files[0].layout.hasHeader)
        #expect(acc.records == 3)
        #expect(d.record(at: 2).record?.field("col1") == .string("\"Quoted\" start"))
    }

    @Test func quotingOverride() throws {
        let p = dir.write("o.csv", "text,label\n\"a,b\",x\n")
        let (d, _) = try scan([p]) { $0.format.quoting = Quoting.none }
        #expect(d.record(at: 0).record?.field("text") == .string("\"a"))
    }

    @Test func noHeaderOverrideAndHeaderSniffing() throws {
        let p = dir.write("h.csv", "text,label\nhello,a\n")
        #expect(try scan([p]).0.files[0].layout.hasHeader)
        let (d, acc) = try scan([p]) { $0.format.header = false }
        #expect(acc.records == 2)
        #expect(d.files[0].layout.columns == ["col1", "col2"])
    }

    @Test func headersWithUnnamedOrRepeatedColumns() throws {
        // pandas writes its index column with an empty name.
        let pandas = dir.write("pd.csv", ",text,label\n0,hello,a\n1,bye,b\n")
        let (d1, acc1) = try scan([pandas])
        #expect(d1.files[0].layout.columns == ["col1", "text", "label"])
        #expect(acc1.records == 2)
        #expect(d1.roles.label == "label")
        let repeated = dir.write("rep.csv", "text,label,text\nhello,pos,a\nbye,neg,d\n")
        let (d2, acc2) = try scan([repeated])
        #expect(d2.files[0].layout.columns == ["text", "label", "text_2"])
        #expect(acc2.labels == ["pos": 1, "neg": 1])
    }

    @Test func firstRowRepeatedBelowIsData() throws {
        let p = dir.write("nh.tsv", "pos\tthe movie was great\nneg\tawful film\nneu\tok I guess\npos\treally fun\n")
        let (d, acc) = try scan([p])
        #expect(!d.files[0].layout.hasHeader)
        #expect(acc.records == 4)
        // --header overrides the sniffing.
        let (d2, acc2) = try scan([p]) { $0.format.header = true }
        #expect(d2.files[0].layout.columns == ["pos", "the movie was great"])
        #expect(acc2.records == 3)
    }

    @Test func jsonArrayDocument() throws {
        let p = dir.write("d.json", "[\n  {\"text\": \"a\", \"label\": \"x\"},\n  {\"text\": \"b, [c]\", \"label\": \"y\"}\n]\n")
        let (d, acc) = try scan([p])
        #expect(d.files[0].layout.format == .json)
        #expect(acc.records == 2)
        #expect(d.record(at: 1).record?.field("text") == .string("b, [c]"))
        #expect(d.record(at: 1).record?.line == 3)
    }

    @Test func jsonObjectOfArraysGivesSplits() throws {
        let p = dir.write("s.json", #"{"train": [{"text": "a", "label": "x"}, {"text": "b", "label": "y"}], "test": [{"text": "c", "label": "x"}]}"#)
        let (d, acc) = try scan([p])
        #expect(d.files[0].layout.format == .json)
        #expect(d.roles.split == "split")
        #expect(acc.splits == ["train": 2, "test": 1])
    }

    @Test func jsonArraysOfArraysGivePositionalFields() throws {
        let p = dir.write("p.json", #"[["a long piece of text here", "x"], ["another long text for it", "y"]]"#)
        let (d, acc) = try scan([p])
        #expect(acc.records == 2)
        #expect(d.record(at: 0).record?.field("col2") == .string("x"))
        #expect(d.roles.text == ["col1"])
    }

    @Test func lineRegexNamedGroups() throws {
        let p = dir.write("log.txt", "spam\tBuy now\nham\tSee you at 5\nnot matching\n")
        let (d, acc) = try scan([p]) { $0.format.lineRegex = #"(?<label>\w+)\t(?<text>.*)"# }
        #expect(d.files[0].layout.format == .lines)
        #expect(acc.records == 2)
        #expect(acc.labels == ["spam": 1, "ham": 1])
        #expect(acc.malformed.map(\.line) == [3])
    }

    @Test func plainLinesBecomeTextRecords() throws {
        let p = dir.write("plain.txt", "just some text\nanother line\n")
        let (d, acc) = try scan([p])
        #expect(d.files[0].layout.format == .lines)
        #expect(acc.records == 2)
        #expect(d.roles.text == ["text"])
    }

    @Test func u2028AndNELAreNotLineBreaks() throws {
        let p = dir.write("n.tsv", "one\u{85}still one\t0\ntwo\u{2028}still two\t1\n")
        let (_, acc) = try scan([p])
        #expect(acc.records == 2)
    }

    @Test func tenMegabyteLine() throws {
        let big = String(repeating: "word ", count: 2_000_000)
        let p = dir.write("big.jsonl", "{\"text\":\"short\",\"label\":\"a\"}\n{\"text\":\"\(big)\",\"label\":\"b\"}\n{\"text\":\"x\",\"label\":\"a\"}\n")
        let (_, acc) = try scan([p])
        #expect(acc.records == 3)
        #expect(acc.textWords.quantile(1) == 2_000_000)
    }

    @Test func tenMegabyteFirstLineIsStillJSONLines() throws {
        // The first line is longer than the sniffer's sample: it is judged whole.
        let big = String(repeating: "word ", count: 2_000_000)
        let p = dir.write("first.jsonl", "{\"text\":\"\(big)\",\"label\":\"b\"}\n{\"text\":\"x\",\"label\":\"a\"}\n{\"text\":\"tr")
        let (d, acc) = try scan([p])
        #expect(d.files[0].layout.format == .jsonl)
        #expect(acc.records == 2)
        #expect(acc.labels == ["a": 1, "b": 1])
        #expect(acc.malformed.map(\.line) == [3])
    }

    @Test func brokenFirstLineOfJSONLines() throws {
        let ok = "{\"text\":\"fine\",\"label\":\"a\"}\n"
        // Told apart by the lines after it, and by the name.
        for name in ["first.log", "first.jsonl"] {
            let p = dir.write(name, "{\"text\":\"oops\n" + ok + ok + ok)
            let (d, acc) = try scan([p])
            #expect(d.files[0].layout.format == .jsonl)
            #expect(acc.records == 3)
            #expect(acc.malformed.map(\.line) == [1])
        }
        // A pretty-printed document with a record per line stays a document.
        let doc = dir.write("doc.json", """
            {
              "train": [
                {"text": "a", "label": "x"},
                {"text": "b", "label": "y"}
              ],
              "test": [
                {"text": "c", "label": "x"}
              ]
            }
            """)
        let (d, acc) = try scan([doc])
        #expect(d.files[0].layout.format == .json)
        #expect(acc.splits == ["train": 2, "test": 1])
    }

    @Test func dataAfterAJSONDocumentIsReported() throws {
        let after = "more data after the end of the JSON document; it was not read (for one JSON value per line, use --format jsonl)"
        let array = dir.write("a.json", "[{\"text\": \"a\"}]\n\n{\"text\": \"b\"}\n")
        let (d1, acc1) = try scan([array])
        #expect(acc1.records == 1)
        #expect(d1.allNotices == ["\(array):3: \(after)"])

        let objects = dir.write("o.json", "{\"text\": \"a\"} {\"text\": \"b\"}")
        let (d2, acc2) = try scan([objects])
        #expect(acc2.records == 1)
        #expect(d2.allNotices == ["\(objects):1: \(after)"])

        let splits = dir.write("s.json", "{\"train\": [\n{\"text\": \"a\"}]}\n]")
        let (d3, acc3) = try scan([splits])
        #expect(acc3.splits == ["train": 1])
        #expect(d3.allNotices == ["\(splits):3: \(after)"])

        // A whole document with blank lines after it is not reported.
        let pretty = dir.write("p.json", "{\n  \"text\": \"a\",\n  \"label\": \"x\"\n}\n\n")
        let (d4, acc4) = try scan([pretty])
        #expect(acc4.records == 1)
        #expect(d4.allNotices.isEmpty)
    }

    /// `{"version": "1.0", "data": [...]}` (SQuAD's shape): the arrays are read as splits,
    /// and the keys beside them are named as not read. On one line, a `.json` name says it
    /// is such a document, not one JSON Lines record.
    @Test func keysBesideTheSplitsOfADocumentAreReported() throws {
        let body = #"{"version": "1.0", "train": [{"text": "a", "label": "x"}, {"text": "b", "label": "y"}], "count": 3, "test": [{"text": "c", "label": "x"}]}"#
        let notice = "read the arrays under 'train', 'test' as splits; 'version', 'count' hold no array of records and were not read"
        for (name, text) in [("one-line.json", body + "\n"), ("pretty.json", body.replacingOccurrences(of: ", \"", with: ",\n  \""))] {
            let p = dir.write(name, text)
            let (d, acc) = try scan([p])
            #expect(d.files[0].layout.format == .json, "\(name)")
            #expect(acc.records == 3, "\(name)")
            #expect(acc.splits == ["train": 2, "test": 1], "\(name)")
            #expect(d.allNotices == ["\(p): \(notice)"], "\(name)")
        }
        // The same line in a .jsonl file is one record; so is one line of a record with an
        // array of objects in a file named otherwise.
        let (_, record) = try scan([dir.write("one.jsonl", body + "\n")])
        #expect(record.records == 1)
        let (_, instances) = try scan([dir.write("task", #"{"id": 1, "instances": [{"input": "a", "output": "b"}]}"# + "\n")])
        #expect(instances.records == 1)
    }

    @Test func missingPathEmptyAndBinaryFiles() throws {
        let empty = dir.write("empty.jsonl", "")
        let binary = dir.write("bin.dat", [0x7F, 0x45, 0x4C, 0x46, 0, 0, 1, 2])
        let good = dir.write("good.jsonl", "{\"text\":\"a\"}\n")
        let (d, acc) = try scan([dir.url.appendingPathComponent("nope.jsonl").path, empty, binary, good])
        #expect(acc.records == 1)
        let reasons = Dictionary(uniqueKeysWithValues: d.skipped.map { (($0.path as NSString).lastPathComponent, $0.reason) })
        #expect(reasons["nope.jsonl"] == "no such file or directory")
        #expect(reasons["empty.jsonl"] == "empty file")
        #expect(reasons["bin.dat"]?.hasPrefix("binary file") == true)
    }

    @Test func nothingReadableThrows() {
        let empty = dir.write("e.csv", "")
        #expect(throws: DatasetError.self) { try Dataset.open([empty]) }
        #expect(throws: DatasetError.self) { try Dataset.open([dir.url.appendingPathComponent("missing").path]) }
    }

    @Test func folderIsSearchedRecursivelyAndDocsSkipped() throws {
        dir.write("ds/README.md", "# docs")
        dir.write("ds/LICENSE", "MIT")
        dir.write("ds/labels.json", "[\"a\", \"b\"]")
        // Metadata beside the data (a truth file, dataset_info.json): arrays of no records
        // among more keys of settings. A document of records with a version key is data.
        dir.write("ds/data.json", #"{"records": 3, "labels": {"x": 2}, "dup_groups": [[1, 2]], "notes": ["n"], "seed": 1}"#)
        dir.write("ds/en/train.jsonl.truth.json", #"{"records": 1, "dup_groups": [{"ids": [1, 2]}]}"#)
        dir.write("ds/en/dataset_info.json", #"{"features": {"text": {"dtype": "string"}}}"#)
        dir.write("ds/extra/squad.json", #"{"version": "1.1", "data": [{"text": "d", "label": "y"}]}"#)
        dir.write("ds/en/train-00000-of-00002.jsonl", "{\"text\":\"a\",\"label\":\"x\"}\n")
        dir.write("ds/en/dev.tsv", "text\tlabel\nb\ty\n")
        dir.write("ds/de/test.csv", "text,label\nc,x\n")
        let (d, acc) = try scan([dir.url.appendingPathComponent("ds").path]) { $0.sourceFrom = .dir }
        #expect(d.files.count == 4)
        #expect(Set(d.skipped.map { ($0.path as NSString).lastPathComponent })
            == ["README.md", "LICENSE", "labels.json", "data.json", "train.jsonl.truth.json", "dataset_info.json"])
        #expect(d.skipped.first { $0.path.hasSuffix("data.json") }?.reason == "a JSON object of settings or metadata, not records (3 of its 5 keys hold no array)")
        #expect(d.skipped.first { $0.path.hasSuffix("truth.json") }?.reason == "metadata, not records")
        #expect(acc.splits == ["train": 1, "valid": 1, "test": 1, "data": 1])
        #expect(acc.sources == ["en": 2, "de": 1, "extra": 1])
    }

    /// Roles are inferred from the first records of each file, found without the index, so
    /// the same ones every time: not those the index happens to have (it stops after its
    /// first segment for `assay stats`, and waited up to 2 s for a scan in the browser, when
    /// a long line pushed the records past that segment).
    @Test func rolesComeFromTheSameFirstRecordsWhateverTheIndexHas() throws {
        var lines = [#"{"id": 0, "body": "\#(String(repeating: "long text ", count: 150_000))"}"#]
        for i in 1...200 { lines.append(#"{"id": \#(i), "body": "text \#(i)", "label": "\#(["a", "b"][i % 2])"}"#) }
        let p = dir.write("long-first.jsonl", lines.joined(separator: "\n") + "\n")
        for configure in [{ (o: inout OpenOptions) in o.sampleIndexOnly = true }, { $0.statsScanFollows = true }] {
            var o = OpenOptions()
            configure(&o)
            let start = DispatchTime.now()
            let d = try Dataset.open([p], options: o)
            #expect(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds < 1_000_000_000)
            #expect(d.roles.label == "label")
            #expect(d.sampleRecords(limit: 1000).count == 201)
        }
    }

    /// A file truncated while it is open (mapped) crashed assay with SIGBUS on the next read
    /// of a lost page. Those pages now read as zeros: the records there are malformed, say
    /// why, and the dataset says the file shrank.
    @Test func fileThatShrinksWhileOpenDoesNotCrash() throws {
        let lines = (0..<20_000).map { #"{"text": "record \#($0) \#(String(repeating: "x", count: 40))", "label": "a"}"# }
        let p = dir.write("shrinks.jsonl", lines.joined(separator: "\n") + "\n")
        let d = try Dataset.open([p])
        d.waitForIndex()
        #expect(d.allNotices.isEmpty)
        #expect(truncate(p, 4096) == 0)
        // The last record's page is gone from the file.
        guard case .malformed(let m, _) = d.record(at: 19_999) else {
            Issue.record("a record past the new end parsed")
            return
        }
        #expect(m.reason.hasPrefix(DataFile.shrankNotice))
        #expect(d.allNotices == ["\(p): \(DataFile.shrankNotice)"])
        // The first records are still there.
        guard case .record(let r) = d.record(at: 0) else {
            Issue.record("the first record did not parse")
            return
        }
        #expect(r.field("label") == .string("a"))
        // A whole scan counts what it can read and lists the rest as malformed.
        let acc = StatsScan.run(d)
        #expect(acc.records + acc.malformed.count > 0)
    }

    @Test func splitReasonSaysWhetherNamesOrTheFieldGaveIt() throws {
        let named = TempDir()
        named.write("train.jsonl", "{\"text\":\"a\",\"label\":\"x\"}\n")
        named.write("test.jsonl", "{\"text\":\"b\",\"label\":\"y\"}\n")
        let (d1, _) = try scan([named.url.path])
        #expect(d1.roles.reasons["split"] == "from file names (test, train)")
        // The records' own split field wins over the file name, and the reason says so.
        let own = TempDir()
        own.write("train.jsonl", "{\"text\":\"a\",\"split\":\"train\"}\n{\"text\":\"b\",\"split\":\"test\"}\n")
        let (d2, acc2) = try scan([own.url.path])
        #expect(acc2.splits == ["train": 1, "test": 1])
        #expect(d2.roles.reasons["split"] == "named 'split'")
    }

    @Test func roleFlagNamingNoFieldIsNoticed() throws {
        let p = dir.write("r.jsonl", "{\"text\":\"a\",\"label\":\"x\",\"meta\":{\"url\":\"u\"},\"items\":[{\"out\":\"o\"}]}\n")
        let (d, _) = try scan([p]) { $0.roles = RoleOverrides(text: ["text", "body"], label: "lable", source: "meta.url", id: "items[].out") }
        #expect(d.allNotices == [
            "--label lable: no such field in the first record (fields: text, label, meta, items)",
            "--text body: no such field in the first record (fields: text, label, meta, items)",
        ])
        let (d2, _) = try scan([p]) { $0.roles = RoleOverrides(label: "meta", id: "items[0].out") }
        #expect(d2.allNotices.isEmpty)
    }

    @Test func splitNames() {
        #expect(SplitNames.split(forPath: "data/train.csv") == "train")
        #expect(SplitNames.split(forPath: "data/train-00000-of-00002.jsonl") == "train")
        #expect(SplitNames.split(forPath: "x/dev.tsv") == "valid")
        #expect(SplitNames.split(forPath: "x/validation.jsonl") == "valid")
        #expect(SplitNames.split(forPath: "x/test/part-0.jsonl") == "test")
        #expect(SplitNames.split(forPath: "x/contest.jsonl") == nil)
        #expect(SplitNames.split(forPath: "/tmp/assay-test-1/data.jsonl") == nil)
        #expect(SplitNames.split(forPath: "data/validation/part-3.jsonl") == "valid")
        #expect(SplitNames.source(forPath: "s/amazon_cells_labelled.txt", from: .file) == "amazon")
        #expect(SplitNames.source(forPath: "nusax/javanese/train.csv", from: .dir) == "javanese")
    }

    @Test func roleOverridesJoinTextFields() throws {
        let p = dir.write("j.jsonl", "{\"q\":\"why\",\"a\":\"because so\",\"y\":\"k\"}\n")
        let (d, acc) = try scan([p]) { $0.roles = RoleOverrides(text: ["q", "a"], label: "y") }
        #expect(d.roles.text == ["q", "a"])
        #expect(d.roles.reasons["text"] == "set by --text")
        #expect(acc.textChars.quantile(0.5) == "why because so".count)
        #expect(acc.textWords.quantile(0.5) == 3)
        #expect(acc.labels == ["k": 1])
    }

    @Test func fileIsNeverWritten() throws {
        let p = dir.write("ro.jsonl", "{\"text\":\"a\"}\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: p)
        let before = try Data(contentsOf: URL(fileURLWithPath: p))
        _ = try scan([p])
        #expect(try Data(contentsOf: URL(fileURLWithPath: p)) == before)
    }

    @Test func otherDelimitersAreSniffedOrSet() throws {
        let semi = dir.write("semi.csv", "text;label\nhello there;a\nbye now;b\n")
        let (d1, a1) = try scan([semi])
        #expect(d1.files[0].layout.delimiter == UInt8(ascii: ";"))
        #expect(a1.labels == ["a": 1, "b": 1])
        let pipe = dir.write("pipe.txt", "text|label\nhello there|a\nbye now|b\n")
        let (d2, _) = try scan([pipe]) { $0.format.delimiter = UInt8(ascii: "|") }
        #expect(d2.record(at: 1).record?.field("label") == .string("b"))
    }

    @Test func encodingOverride() throws {
        let bytes: [UInt8] = Array("{\"text\":\"caf".utf8) + [0xC3, 0xA9] + Array("\"}\n".utf8)
        let p = dir.write("e.jsonl", bytes)
        let (d, _) = try scan([p]) { $0.format.encoding = .latin1 }
        #expect(d.record(at: 0).record?.field("text") == .string("cafÃ©"))
        let (d2, _) = try scan([p])
        #expect(d2.record(at: 0).record?.field("text") == .string("café"))
    }

    @Test func indexIsUsableWhileStillBuilding() throws {
        // A file bigger than the first index segment: the first records are readable at once.
        var text = ""
        for i in 0..<40_000 { text += "{\"text\":\"record number \(i) with some words in it\",\"label\":\"l\(i % 7)\"}\n" }
        let p = dir.write("big.jsonl", text)
        let d = try Dataset.open([p])
        #expect(d.recordCount >= 1000)
        #expect(d.record(at: 0).record?.field("text") == .string("record number 0 with some words in it"))
        d.waitForIndex()
        #expect(d.recordCount == 40_000)
        #expect(d.indexProgress.isComplete)
        #expect(d.record(at: 39_999).record?.line == 40_000)
    }

    /// The last record indexed so far is read up to its own end, not to the end of the
    /// file (whose later records the index has not reached): it is no malformed record.
    @Test func lastRecordIndexedSoFarIsReadWhole() throws {
        var text = ""
        for i in 0..<40_000 { text += "{\"text\":\"record number \(i) with some words in it\",\"label\":\"l\(i % 7)\"}\n" }
        let p = dir.write("big.jsonl", text)
        var o = OpenOptions()
        o.sampleIndexOnly = true  // the index stops after its first segment
        let d = try Dataset.open([p], options: o)
        d.waitForIndex()
        let n = d.recordCount
        #expect(n > 1000 && n < 40_000)
        #expect(!d.indexProgress.isComplete)
        let last = d.record(at: n - 1)
        #expect(last.record?.field("text") == .string("record number \(n - 1) with some words in it"))
    }

    @Test func brokenJSONDocumentSaysWhereItStopped() throws {
        let p = dir.write("broken.json", "[\n{\"text\": \"a\"},\n{\"text\": \"b\"}\n{\"text\": \"c\"}\n]\n")
        let (d, acc) = try scan([p])
        #expect(acc.records == 2)
        #expect(d.allNotices == ["\(p):4: expected ',' or ']' between records; the records after this point were not read"])
    }

    @Test func leadingBlankLinesBeforeTheHeader() throws {
        let p = dir.write("lead.csv", String(repeating: " \n", count: 40_000) + "text,label\nhello,a\n")
        let (d, acc) = try scan([p])
        #expect(d.files[0].layout.hasHeader)
        #expect(acc.records == 1)
        #expect(acc.labels == ["a": 1])
        #expect(d.record(at: 0).record?.line == 40_002)
        let blank = dir.write("blank.jsonl", String(repeating: " \n", count: 40_000))
        #expect(throws: DatasetError.self) { try Dataset.open([blank]) }
    }

    func reasons(_ d: Dataset) -> [String: String] {
        Dictionary(d.skipped.map { ($0.path, $0.reason) }, uniquingKeysWith: { a, _ in a })
    }

    @Test func sameFileNamedTwiceIsReadOnce() throws {
        let p = dir.write("a.jsonl", "{\"text\":\"a\"}\n{\"text\":\"b\"}\n{\"text\":\"c\"}\n")
        let other = dir.url.appendingPathComponent("./a.jsonl").path
        let (d, acc) = try scan([p, p, other])
        #expect(acc.records == 3)
        #expect(d.files.map(\.path) == [p])
        #expect(d.skipped.map(\.reason) == ["already read", "already read as \(p)"])
    }

    @Test func folderAndItsSubfolderReadEachFileOnce() throws {
        dir.write("ds/en/dev.tsv", "text\tlabel\nb\ty\n")
        dir.write("ds/de/test.csv", "text,label\nc,x\n")
        let ds = dir.url.appendingPathComponent("ds").path
        let en = dir.url.appendingPathComponent("ds/en").path
        let (d, acc) = try scan([ds, en, ds])
        #expect(acc.records == 2)
        #expect(d.files.map { ($0.path as NSString).lastPathComponent } == ["test.csv", "dev.tsv"])
        #expect(reasons(d)["\(en)/dev.tsv"] == "already read")
        #expect(reasons(d)[ds] == "already read")
    }

    /// A file name that is not UTF-8 cannot be held in a Swift string, so it cannot be
    /// opened; it is listed with that reason, not as missing.
    @Test func fileNameNotUTF8IsListedWithWhy() throws {
        dir.write("names/ok.jsonl", "{\"text\": \"a\"}\n")
        let folder = dir.url.appendingPathComponent("names").path
        var name = Array((folder + "/bad").utf8) + [0xFF] + Array(".jsonl".utf8) + [0]
        let fd = name.withUnsafeMutableBufferPointer { p in
            p.baseAddress!.withMemoryRebound(to: CChar.self, capacity: p.count) { open($0, O_CREAT | O_WRONLY, 0o644) }
        }
        try #require(fd >= 0)
        close(fd)
        let d = try Dataset.open([folder])
        #expect(d.files.map { ($0.path as NSString).lastPathComponent } == ["ok.jsonl"])
        #expect(d.skipped.map(\.reason) == ["its name is not valid UTF-8, so assay cannot open it (rename it)"])
    }

    @Test func fifoInAFolderIsListedNotRead() throws {
        dir.write("ds/a.jsonl", "{\"text\":\"a\"}\n")
        let fifo = dir.url.appendingPathComponent("ds/x.jsonl").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let ds = dir.url.appendingPathComponent("ds").path
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var result: (records: Int, skipped: [SkippedFile])?
        Thread {
            if let (d, acc) = try? scan([ds]) { result = (acc.records, d.skipped) }
            done.signal()
        }.start()
        if done.wait(timeout: .now() + 20) == .timedOut {
            Issue.record("the scan waited on the named pipe")
            let w = open(fifo, O_WRONLY | O_NONBLOCK)  // let the blocked reader see end of file
            close(w)
            done.wait()
        }
        #expect(result?.records == 1)
        #expect(result?.skipped == [SkippedFile(path: fifo, reason: "not a regular file (named pipe)")])
    }

    @Test func brokenLinkInAFolderIsListed() throws {
        dir.write("ds/a.jsonl", "{\"text\":\"a\"}\n")
        let link = dir.url.appendingPathComponent("ds/b.jsonl").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "gone.jsonl")
        let (d, acc) = try scan([dir.url.appendingPathComponent("ds").path])
        #expect(acc.records == 1)
        #expect(d.skipped == [SkippedFile(path: link, reason: "broken symbolic link")])
    }

    /// Hugging Face's cache: snapshots/<rev>/<name> are links to blobs/<hash>.
    @Test func linkedFileIsReadUnderTheLinksName() throws {
        let blob = dir.write("hub/blobs/9f86d081", "{\"text\":\"a\",\"label\":\"x\"}\n")
        let doc = dir.write("hub/blobs/60303ae2", "# a dataset card")
        let snapshot = dir.url.appendingPathComponent("hub/snapshots/r1").path
        try FileManager.default.createDirectory(atPath: snapshot, withIntermediateDirectories: true)
        let train = snapshot + "/train.jsonl"
        try FileManager.default.createSymbolicLink(atPath: train, withDestinationPath: "../../blobs/9f86d081")
        try FileManager.default.createSymbolicLink(atPath: snapshot + "/README.md", withDestinationPath: "../../blobs/60303ae2")

        let (d, acc) = try scan([snapshot])
        #expect(d.files.map(\.path) == [train])
        #expect(acc.splits == ["train": 1])

        let (whole, wholeAcc) = try scan([dir.url.appendingPathComponent("hub").path])
        #expect(whole.files.map(\.path) == [train])
        #expect(wholeAcc.records == 1)
        #expect(wholeAcc.splits == ["train": 1])
        #expect(reasons(whole)[blob] == "same file as the link \(train)")
        #expect(reasons(whole)[doc] == "same file as the link \(snapshot)/README.md")
        #expect(reasons(whole)[snapshot + "/README.md"] == "documentation")
    }

    @Test func pipeIsReadWhole() throws {
        // More than a pipe holds at once, so the reader must loop.
        let lines = (0..<20_000).map { "{\"text\":\"record \($0)\",\"label\":\"\($0 % 2)\"}\n" }.joined()
        let bytes = Array(lines.utf8)
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        let (readEnd, writeEnd) = (fds[0], fds[1])
        defer { close(readEnd) }
        Thread {
            writeAll(writeEnd, bytes)
            close(writeEnd)
        }.start()
        let path = "/dev/fd/\(readEnd)"
        let (d, acc) = try scan([path])
        #expect(acc.records == 20_000)
        #expect(d.files.map(\.path) == [path])
        #expect(d.skipped.isEmpty)
        // Releasing pages is for mappings only: read bytes stay.
        let mapped = d.files[0].mapped
        #expect(mapped.size == bytes.count)
        mapped.release(0..<mapped.size)
        #expect(Array(mapped.bytes) == bytes)
    }

    @Test func namedPipeGivenByNameIsRead() throws {
        let fifo = dir.url.appendingPathComponent("in.jsonl").path
        #expect(mkfifo(fifo, 0o600) == 0)
        Thread {
            let w = open(fifo, O_WRONLY)
            writeAll(w, Array("{\"text\":\"a\"}\n{\"text\":\"b\"}\n".utf8))
            close(w)
        }.start()
        let (d, acc) = try scan([fifo])
        #expect(acc.records == 2)
        #expect(d.files.map(\.path) == [fifo])
    }
}

/// Writes `bytes` to `fd` until done or the reader has gone (SIGPIPE is blocked on
/// this thread, so a reader that stops early fails the test instead of killing it).
func writeAll(_ fd: Int32, _ bytes: [UInt8]) {
    var block = sigset_t()
    sigemptyset(&block)
    sigaddset(&block, SIGPIPE)
    pthread_sigmask(SIG_BLOCK, &block, nil)
    bytes.withUnsafeBytes { b in
        var at = 0
        while at < b.count {
            let n = write(fd, b.baseAddress! + at, b.count - at)
            if n <= 0 { break }
            at += n
        }
    }
}
