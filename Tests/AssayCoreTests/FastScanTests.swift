import Foundation
import Testing
import Synchronization
@testable import AssayCore

/// The fast JSONL scan must report exactly what the reference path (a `FieldValue` per
/// record) reports.
@Suite struct FastScanTests {
    let dir = TempDir()

    /// Small chunks, so that the merging of chunks is exercised on small files too.
    func report(_ d: Dataset, fast: Bool) -> String {
        let acc = StatsScan.run(d, fast: fast, minChunkBytes: 4096, progress: nil, partial: nil, isCancelled: { false })
        return JSONWriter.pretty(StatsReport(dataset: d, acc: acc).json)
    }

    func expectSame(_ paths: [String], _ configure: (inout OpenOptions) -> Void = { _ in }) throws {
        var o = OpenOptions()
        configure(&o)
        let d = try Dataset.open(paths, options: o)
        let fast = report(d, fast: true)
        let slow = report(d, fast: false)
        if fast != slow {
            let f = fast.split(separator: "\n"), s = slow.split(separator: "\n")
            let i = Array(zip(f, s)).firstIndex { $0.0 != $0.1 } ?? min(f.count, s.count)
            Issue.record("fast and reference reports differ at line \(i + 1): fast `\(i < f.count ? f[i] : "")` reference `\(i < s.count ? s[i] : "")`")
        }
    }

    @Test func ticketsSample() throws {
        try expectSame([repoRoot.appendingPathComponent("samples/tickets.jsonl").path])
    }

    @Test(arguments: ["tickets.csv", "tickets.tsv"])
    func delimitedSamples(name: String) throws {
        try expectSame([repoRoot.appendingPathComponent("samples/\(name)").path])
    }

    @Test(arguments: ["banking77", "sms_spam_collection", "nusax_sentiment/toba_batak", "sentiment_labelled_sentences"])
    func delimitedSharedData(name: String) throws {
        try expectSame([sharedData.appendingPathComponent(name).path]) { $0.sourceFrom = .file }
    }

    @Test func delimitedEdgeCases() throws {
        let text = "id,text,label,split\r\n"
            + "1,\"quoted, with comma\",a,train\r\n"
            + "2,\"multi\r\nline \"\"quote\"\"\",b,test\r\n"
            + "3,5\" screen,,train\r\n"
            + "4,short row\r\n"
            + "5,too,many,fields,here,x\r\n"
            + "6,\"tail\"after,c,\r\n"
            + "7,trailing delimiter,a,train,\r\n"
            + "8,\"never closed,b,test\r\n"
        let p = dir.write("edge.csv", text)
        try expectSame([p])
        var bytes = Array("text\tlabel\nok\ta\n".utf8)
        bytes += Array("bad ".utf8) + [0xC3, 0x28] + Array("\tb\n".utf8) + Array("\"unbalanced\ta\n".utf8)
        try expectSame([dir.write("edge.tsv", bytes)])
        // A NUL byte past the sniffed start (binary data in a text file) makes its record
        // malformed, in both readers, quoted or not.
        var nul = Array("text,label\n".utf8) + Array(repeating: Array("plain enough text for a row,a\n".utf8), count: 400).flatMap { $0 }
        nul += Array("bad ".utf8) + [0] + Array(" row,b\n\"quoted ".utf8) + [0] + Array("\",c\nlast,a\n".utf8)
        let nulPath = dir.write("nul.csv", nul)
        try expectSame([nulPath])
        let acc = StatsScan.run(try Dataset.open([nulPath]))
        #expect(acc.records == 401)
        #expect(acc.malformed.map(\.line) == [402, 403])
        #expect(acc.malformed.first?.reason == "NUL byte at byte 5 of the record (binary data?)")
    }

    @Test func splitsFolderWithDerivedSplit() throws {
        try expectSame([repoRoot.appendingPathComponent("samples/splits").path]) { $0.sourceFrom = .dir }
    }

    @Test func selfInstructWithTwoTextFields() throws {
        try expectSame([sharedData.appendingPathComponent("self_instruct/seed_tasks.jsonl").path]) {
            $0.roles = RoleOverrides(text: ["instruction", "name"], label: "is_classification")
        }
    }

    @Test func edgeCases() throws {
        let lines = [
            #"{"text": "tab\there\nnew line", "label": "a", "split": "train"}"#,
            #"{"text": "  ", "label": "", "split": null}"#,
            #"{"text": "caf\u00e9 漢字 😀 a\u3000b", "label": 1, "meta": {"k": [1, 2, {"z": null}]}}"#,
            #"{"text": 42, "label": true, "meta": {}, "tags": []}"#,
            #"{"label": ["x", "y"], "text": {"a": 1}}"#,
            #"{"text": "dup", "text": "second", "label": "a", "label": "b"}"#,
            #"{"text": "broken "#,
            #"{"text": "ctrl "# + "\u{01}" + #"", "label": "a"}"#,
            #"[1, 2]"#,
            #"{"text": "trailing"} x"#,
            #"{"text": "bad \q escape"}"#,
            #"{"t\u0065xt": "escaped key", "label": "a"}"#,
            #"{"text": "exactly8", "label": "a"}"#,
            #"{"text": "x", "label": "a", "n": -1.5e+3, "m": 0, "bad": 01}"#,
            "",
            "   ",
            #"{"text": " lead and trail ", "label": "a"}"#,
        ]
        let p = dir.write("edge.jsonl", lines.joined(separator: "\n") + "\n")
        try expectSame([p]) { $0.roles = RoleOverrides(text: ["text"], label: "label", split: "split") }
        let (_, acc) = try scan([p]) { $0.roles = RoleOverrides(text: ["text"], label: "label", split: "split") }
        // broken, control character, bare array, trailing text, bad escape (a leading zero is accepted).
        #expect(acc.malformed.count == 5)
    }

    /// The scanner matches the key it expects next in place (`KeyTrie.predicted`): keys that
    /// only start or end like the expected one, or spell it with escapes, or are cut off,
    /// must read exactly as the reference parser reads them.
    @Test func expectedKeysAreMatchedOnlyWhenTheBytesAreThatKey() throws {
        let lines = [
            #"{"text": "a", "label": "x", "meta": {"url": "u", "ts": "t"}, "": 0, "clé": 1}"#,
            #"{"text": "b", "label": "y", "meta": {"url": "u", "ts": "t"}, "": 0, "clé": 1}"#,
            #"{"tex": "c", "labels": "y", "meta": {"ur": "u", "tss": "t"}, "": 0, "cl": 1}"#,
            #"{"text": "d", "label": "x", "meta": {"url": "u", "ts": "t"}, "": 0, "clé": 1}"#,
            #"{"t\u0065xt": "e", "l\u0061bel": "x", "meta": {"url": "u", "ts": "t"}}"#,
            #"{"text": "f", "label": "x", "meta": {"url": "u", "ts": "t"}, "x\"y": 1, "z": 2}"#,
            #"{"text": "g", "label": "x", "meta": {"url": "u", "ts": "t"}, "x"y": 1, "z": 2}"#,
            #"{"abcdefgh_middle1_ijklmnop": 1, "text": "h", "label": "x"}"#,
            #"{"abcdefgh_middle2_ijklmnop": 1, "text": "i", "label": "x"}"#,
            #"{"abcdefgh_middle1_ijklmnop": 1, "text": "j", "label": "x"}"#,
            #"{"text" "k", "label": "x"}"#,
            #"{"text": "l", "label": "x"}"#,
            #"{"text": "m", "lab"#,
            #"{"text": "n", "label"#,
            #"{"text": "o", "label": "x"}"#,
        ]
        let p = dir.write("keys.jsonl", lines.joined(separator: "\n") + "\n")
        let roles = RoleOverrides(text: ["text"], label: "label")
        try expectSame([p]) { $0.roles = roles }
        let (_, acc) = try scan([p]) { $0.roles = roles }
        // `"x"y"`, the missing colon and the two cut-off records.
        #expect(acc.malformed.map(\.line) == [7, 11, 13, 14])
        #expect(acc.fields["abcdefgh_middle2_ijklmnop"]?.present == 1)
        #expect(acc.fields["abcdefgh_middle1_ijklmnop"]?.present == 2)
        #expect(acc.fields["x\"y"]?.present == 1)
        #expect(acc.fields["text"]?.present == 10)
        #expect(acc.fields["tex"]?.present == 1)
        #expect(acc.fields["meta.ur"]?.present == 1)
        // A key holding a quote is never matched raw: `"x"y"` is not the key `x"y`.
        let q = dir.write("quote.jsonl", [#"{"x\"y": 1, "z": 2}"#, #"{"x"y": 1, "z": 2}"#, #"{"x\"y": 3}"#].joined(separator: "\n") + "\n")
        try expectSame([q])
        let (_, quoted) = try scan([q])
        #expect(quoted.malformed.map(\.line) == [2])
        #expect(quoted.fields["x\"y"]?.present == 2)
    }

    @Test func wordCountingMatchesScalarCounting() {
        let texts = ["", " ", "a", " a ", "a b", "a\tb\nc\rd\u{0B}e\u{0C}f", "abcdefgh ijklmnop", "        x",
                     "x        ", "one  two   three    four", String(repeating: "ab ", count: 100), "\u{1C}a",
                     "café au\u{A0}lait", "漢字\u{3000}テスト", "a\u{2028}b\u{2029}c\u{85}d\u{1680}e\u{2000}f\u{200A}g\u{202F}h\u{205F}i",
                     "😀 👍🏽 e\u{301}", "\u{200B}zero width is not space", "\u{FEFF}bom"]
        for t in texts {
            var s = t
            let fast = s.withUTF8 { TextKernels.measure(UnsafeRawPointer($0.baseAddress ?? UnsafePointer(bitPattern: 1)!), $0.count) }
            let slow = s.withUTF8 { FastJSONLScanner.measureScalars(UnsafeRawPointer($0.baseAddress ?? UnsafePointer(bitPattern: 1)!), $0.count) }
            #expect(fast == slow, "\(t.debugDescription)")
        }
    }

    @Test func malformedSlotsAgreeWithParsingEveryRecord() throws {
        let d = try Dataset.open([repoRoot.appendingPathComponent("samples/tickets.jsonl").path])
        d.waitForIndex()
        let fast = d.malformedSlots(in: 0..<d.recordCount)
        var slow: [Int] = []
        for i in 0..<d.recordCount { if case .malformed = d.record(at: i) { slow.append(i) } }
        #expect(fast.map(\.index) == slow)
        #expect(fast.map(\.record.line) == [1500])
        // Ranges that split the file give the same answer.
        let parts = d.malformedSlots(in: 0..<1499) + d.malformedSlots(in: 1499..<d.recordCount)
        #expect(parts.map(\.index) == slow)
    }

    @Test func longValuesAreKeptAsPrefixAndHash() throws {
        let long = String(repeating: "é word ", count: 200)   // 1,600 bytes, over the 1,024 limit
        var lines: [String] = []
        for i in 0..<3 { lines.append(#"{"text": "\#(long)", "label": "a", "n": \#(i)}"#) }
        lines.append(#"{"text": "\#(long)!", "label": "b", "n": 9}"#)
        let p = dir.write("long.jsonl", lines.joined(separator: "\n") + "\n")
        try expectSame([p])
        let (_, acc) = try scan([p])
        let text = try #require(acc.fields["text"])
        #expect(text.distinct.count == 2)
        #expect(text.distinct.exact)
        let top = try #require(text.top(1).first)
        #expect(top.count == 3)
        #expect(top.value.hasPrefix("é word é word"))
        #expect(top.value.utf8.count <= FieldStats.longValue)
        #expect(top.value.contains("… #"))
        #expect(FieldStats.isAbbreviated(top.value))
        #expect(!FieldStats.isAbbreviated("short text … #0123456789abcdef"))
    }

    @Test func repeatedKeysAndPathsSpelledTwiceCountOnce() throws {
        let p = dir.write("twice.jsonl", [
            #"{"text": "t", "label": "x", "a": {"b": "nested"}, "a.b": "flat"}"#,
            #"{"text": "u", "label": "y", "a.b": "flat2"}"#,
            #"{"text": "v", "label": "x", "label": "z", "tags": ["p", "p"]}"#,
        ].joined(separator: "\n") + "\n")
        try expectSame([p])
        for fast in [true, false] {
            let acc = StatsScan.run(try Dataset.open([p]), fast: fast)
            let ab = try #require(acc.fields["a.b"])
            #expect(ab.present == 2)
            #expect(ab.kinds == [.string: 2])
            #expect(ab.values == ["nested": 1, "flat2": 1])
            // The first of a repeated key counts, in the label table and the field alike.
            #expect(acc.labels == ["x": 2, "y": 1])
            #expect(acc.fields["label"]?.values == ["x": 2, "y": 1])
            // Array elements still count each.
            #expect(acc.fields["tags[]"]?.values == ["p": 2])
        }
    }

    @Test func distinctEstimateNeverExceedsTheValuesCounted() {
        var f = FieldStats(path: "text")
        f.valuesTruncated = true
        f.kinds = [.string: 40, .null: 7]
        for i in 0..<500 { f.sketch.add(hash: StableHash.hash("value \(i)")) }
        #expect(f.distinct.count == 40)
        #expect(!f.distinct.exact)
    }

    @Test func fullValueTablesKeepOnlyRepeatedValues() throws {
        // 10 ids three times each, then 25,000 ids once: more than the table holds.
        var lines: [String] = []
        for k in 0..<3 { for i in 0..<10 { lines.append(#"{"id": "dup-\#(i)", "label": "l\#(k)"}"#) } }
        for i in 0..<25_000 { lines.append(#"{"id": "u-\#(i)", "label": "l\#(i % 3)"}"#) }
        let p = dir.write("ids.jsonl", lines.joined(separator: "\n") + "\n")
        try expectSame([p])
        for fast in [true, false] {
            let d = try Dataset.open([p])
            let acc = StatsScan.run(d, fast: fast)
            let id = try #require(acc.fields["id"])
            #expect(id.valuesTruncated)
            #expect(id.values == Dictionary(uniqueKeysWithValues: (0..<10).map { ("dup-\($0)", 3) }))
            #expect(!id.distinct.exact)
            #expect(abs(id.distinct.count - 25_010) < 750)
            // A field with few values keeps them all.
            #expect(acc.fields["label"]?.values == ["l0": 8_344, "l1": 8_343, "l2": 8_343])
        }
    }

    /// Role values are counted through their field's own table: also when that table is
    /// full (the label is an id), when one field plays two roles, when values are long
    /// (kept as prefix and hash) and when one value is written with and without escapes.
    @Test func roleValuesCountedThroughTheirFieldTables() throws {
        let long = String(repeating: "x", count: 1500)
        var lines: [String] = []
        for k in 0..<3 { for i in 0..<10 { lines.append(#"{"id": "dup-\#(i)", "grp": "g\#(k)", "text": "t"}"#) } }
        for i in 0..<25_000 {
            let grp = i % 7 == 0 ? long + "\(i % 2)" : i % 7 == 1 ? #"a\u0062"# : i % 7 == 2 ? "ab" : i % 7 == 3 ? "   " : "g\(i % 4)"
            lines.append(#"{"id": "u-\#(i)", "grp": "\#(grp)", "text": "t"}"#)
        }
        let p = dir.write("roles.jsonl", lines.joined(separator: "\n") + "\n")
        let roles = RoleOverrides(text: ["text"], label: "id", split: "grp", source: "grp")
        try expectSame([p]) { $0.roles = roles }
        let (_, acc) = try scan([p]) { $0.roles = roles }
        #expect(acc.fields["id"]?.valuesTruncated == true)
        #expect(acc.labels.count == 25_010)
        #expect(acc.labels["dup-3"] == 3 && acc.labels["u-24999"] == 1)
        let ab = (0..<25_000).filter { $0 % 7 == 1 || $0 % 7 == 2 }.count
        #expect(acc.splits["ab"] == ab && acc.sources["ab"] == ab)
        #expect(acc.splits[long + "1"] == (0..<25_000).filter { $0 % 14 == 7 }.count)
        #expect(acc.splits == acc.sources)
    }

    @Test func arrayElementsCountOncePerRecordInCrossTabs() throws {
        let lines = [
            #"{"text": "a", "label": "x", "tags": ["urgent", "urgent", "billing"]}"#,
            #"{"text": "b", "label": "x", "tags": ["urgent"]}"#,
            #"{"text": "c", "label": "y", "tags": ["billing", "billing"]}"#,
            #"{"text": "d", "label": "y", "tags": []}"#,
        ]
        let p = dir.write("tags.jsonl", lines.joined(separator: "\n") + "\n")
        try expectSame([p])
        for fast in [true, false] {
            let acc = StatsScan.run(try Dataset.open([p]), fast: fast)
            // Records per (tag, label), not elements; the value table still counts elements.
            #expect(acc.labelByValue["tags[]"] == ["urgent": ["x": 2], "billing": ["x": 1, "y": 1]])
            #expect(acc.fields["tags[]"]?.values == ["urgent": 3, "billing": 3])
        }
    }

    /// A role can name an element (`instances[0].output`, as the record view and the
    /// `[N]` paths of the notices spell it) or any element (`instances[].output`, as the
    /// Fields table spells it: the first element that has it).
    @Test func rolesInsideArrays() throws {
        let lines = [
            #"{"id": 1, "instances": [{"input": "a", "output": "yes"}, {"input": "b", "output": "no"}]}"#,
            #"{"id": 2, "instances": [{"input": "c"}, {"input": "d", "output": "maybe"}]}"#,
            #"{"id": 3, "instances": []}"#,
            #"{"id": 4, "instances": [{"output": null}, {"output": "no", "input": "e"}]}"#,
            #"{"id": 5, "grid": [[1, 2], [3, "x"]]}"#,
            #"{"id": 6, "instances": {"0": {"output": "an object, not an array"}}}"#,
        ]
        let p = dir.write("instances.jsonl", lines.joined(separator: "\n") + "\n")
        let cases: [(RoleOverrides, labels: [String: Int], unlabelled: Int)] = [
            (RoleOverrides(label: "instances[0].output"), ["yes": 1], 5),
            (RoleOverrides(label: "instances[1].output"), ["no": 2, "maybe": 1], 3),
            (RoleOverrides(label: "instances[].output"), ["yes": 1, "maybe": 1], 4),
            (RoleOverrides(label: "instances[2].output"), [:], 6),
            (RoleOverrides(label: "grid[1][1]"), ["x": 1], 5),
            (RoleOverrides(text: ["instances[1].input", "instances[0].input"], label: "instances[0].output"), ["yes": 1], 5),
        ]
        for (roles, labels, unlabelled) in cases {
            try expectSame([p]) { $0.roles = roles }
            let (_, acc) = try scan([p]) { $0.roles = roles }
            #expect(acc.labels == labels, "\(roles)")
            #expect(acc.unlabelled == unlabelled, "\(roles)")
        }
        // Texts of records 1, 2 and 4 ("b a", "d c", "e"); record 3 has no text.
        let (_, acc) = try scan([p]) { $0.roles = RoleOverrides(text: ["instances[1].input", "instances[0].input"]) }
        #expect(acc.textChars.total == 3)
        #expect(acc.missingTexts == 3)
        // The same path for two roles at different elements is read by the reference path.
        try expectSame([p]) { $0.roles = RoleOverrides(label: "instances[0].output", split: "instances[1].output") }
        try expectSame([p]) { $0.roles = RoleOverrides(label: "instances[].output", split: "instances[1].output") }
    }

    /// An id picked as the label makes a "class" per record: past `labelBreakdownCap` labels
    /// there are no breakdowns by label (it took two histograms a label, and the cross-tab
    /// and split comparison sorted them: 3.4 GB for 100,000 records, out of memory on a
    /// million). Below the cap they stay; the fast scan and the reference agree either way.
    @Test func labelBreakdownsStopPastTheCap() throws {
        for n in [StatsAccumulator.labelBreakdownCap, StatsAccumulator.labelBreakdownCap + 1] {
            let lines = (0..<n).map { #"{"id": "r\#($0)", "text": "t \#($0 % 7)", "split": "\#(["train", "test"][$0 % 2])", "lang": "en"}"# }
            let p = dir.write("ids\(n).jsonl", lines.joined(separator: "\n") + "\n")
            try expectSame([p]) { $0.roles = RoleOverrides(text: ["text"], label: "id") }
            let (d, acc) = try scan([p]) { $0.roles = RoleOverrides(text: ["text"], label: "id") }
            let kept = n <= StatsAccumulator.labelBreakdownCap
            #expect(acc.labels.count == n)
            #expect(acc.splits == ["train": (n + 1) / 2, "test": n / 2])
            #expect(acc.textCharsByLabel.isEmpty == !kept, "\(n) labels")
            #expect(acc.labelByValue.isEmpty == !kept, "\(n) labels")
            let coverage = Coverage(acc, thinFraction: 0.05)
            #expect((coverage.crossTab("split") != nil) == kept, "\(n) labels")
            #expect((coverage.splitComparison != nil) == kept, "\(n) labels")
            #expect(StatsReport(dataset: d, acc: acc).text().contains("more than 1,000 labels") == !kept)
        }
    }

    @Test func objectsUsedAsMapsAreCappedToAFixedNumberOfPaths() throws {
        // Every record has its own key: 3,000 distinct paths.
        var lines: [String] = []
        for i in 0..<3000 { lines.append(#"{"text": "t\#(i)", "label": "a", "scores": {"user_\#(i)": \#(i)}}"#) }
        // Two keys past the cap in one record: both count in the shared bucket.
        lines.append(#"{"text": "z", "label": "a", "scores": {"late_1": 1, "late_2": 2}}"#)
        let p = dir.write("maps.jsonl", lines.joined(separator: "\n") + "\n")
        try expectSame([p])
        let (_, acc) = try scan([p])
        #expect(acc.fields.count == FieldStats.maxPaths + 1)
        let other = try #require(acc.fields[FieldStats.overflowPath])
        // text, label, scores and 1,997 user keys fill the 2,000 paths; the other 1,005 keys share one.
        #expect(other.kinds[.number] == 1005)
        #expect(other.present == 1004)
    }

    // MARK: chunks (the scan does not wait for the index)

    @Test func chunkPlanCoversEveryByteOfEveryFileOnce() {
        let sizes = [0, 1, 5 << 20, 300 << 20, 4096]
        for workers in [1, 2, 64] {
            let plan = StatsScan.chunkPlan(fileSizes: sizes, workers: workers, minChunkBytes: 1 << 20)
            for (k, size) in sizes.enumerated() {
                let ranges = plan.filter { $0.file == k }.map(\.bytes)
                #expect(ranges.first?.lowerBound == 0)
                #expect(ranges.last?.upperBound == size)
                #expect(zip(ranges, ranges.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
                #expect(size == 0 || ranges.allSatisfy { !$0.isEmpty })
            }
            // About three chunks a worker, at most 128 MiB, at least the minimum.
            let big = plan.filter { $0.file == 3 }.map(\.bytes.count)
            #expect(big.allSatisfy { $0 <= 128 << 20 })
            #expect(big.dropLast().allSatisfy { $0 >= 1 << 20 })
            if workers == 2 { #expect(big.count == 6) }
        }
    }

    @Test func firstSlotAnswersOnlyOnceTheIndexHasGotThere() {
        let index = RecordIndex(totalBytes: 100)
        #expect(index.firstSlot(atOrAfter: 0) == nil)
        index.append(offsets: [0, 10, 20], lines: [1, 2, 3], scannedTo: 25)
        #expect(index.firstSlot(atOrAfter: 0) == 0)
        #expect(index.firstSlot(atOrAfter: 5) == 1)
        #expect(index.firstSlot(atOrAfter: 10) == 1)
        #expect(index.firstSlot(atOrAfter: 20) == 2)
        // Past the last slot found: a later slot may still start before 30.
        #expect(index.firstSlot(atOrAfter: 30) == nil)
        index.append(offsets: [40], lines: [4], scannedTo: 50)
        #expect(index.firstSlot(atOrAfter: 30) == 3)
        #expect(index.firstSlot(atOrAfter: 60) == nil)
        index.finish()
        #expect(index.firstSlot(atOrAfter: 60) == 4)
        #expect(index.firstSlot(atOrAfter: Int.max) == 4)
        let empty = RecordIndex(totalBytes: 0)
        empty.finish()
        #expect(empty.firstSlot(atOrAfter: 0) == 0)
    }

    @Test func chunkSizeChangesNoExactCount() throws {
        // Three files (global slot numbers must carry across files), one malformed line.
        let a = dir.write("train.jsonl", (0..<3000).map { #"{"text": "t\#($0)", "label": "l\#($0 % 7)"}"# }.joined(separator: "\n") + "\n")
        let b = dir.write("test.jsonl", (0..<2000).map { #"{"text": "u\#($0)", "label": "l\#($0 % 5)"}"# }.joined(separator: "\n") + "\n{broken\n")
        let c = dir.write("dev.jsonl", (0..<1000).map { #"{"text": "v\#($0)", "label": "l\#($0 % 3)"}"# }.joined(separator: "\n") + "\n")
        let d = try Dataset.open([a, b, c])
        let one = StatsScan.run(d)
        // The pane (partial counts) and `assay stats` (none) give the same report.
        func json(_ acc: StatsAccumulator) -> String { JSONWriter.pretty(StatsReport(dataset: d, acc: acc).json) }
        #expect(json(StatsScan.run(d, partial: { _, _, _ in })) == json(one))
        for partial in [false, true] {
            let dones = Mutex<[Int]>([])
            let record: @Sendable (StatsAccumulator, Int, Int) -> Void = { _, done, _ in dones.withLock { $0.append(done) } }
            let many = StatsScan.run(d, fast: true, minChunkBytes: 4096, progress: nil,
                                     partial: partial ? record : nil, isCancelled: { false })
            #expect(many.records == 6000 && one.records == 6000)
            #expect(many.labels == one.labels)
            #expect(many.labelBySplit == one.labelBySplit)
            #expect(many.fields["text"]?.present == 6000)
            #expect(many.malformed.map { $0.line } == [2001])
            #expect(many.malformed.map { $0.file } == one.malformed.map { $0.file })
            if partial {
                // How many partial reports there are depends on timing: chunks that finish
                // while the merger is busy are merged in one step. A chunk can hold no record
                // (a file's last few bytes), so the counts never fall but may stay.
                let seen = dones.withLock { $0 }
                #expect(!seen.isEmpty && seen.last == 6001)
                #expect(seen == seen.sorted(), "\(seen)")
            }
        }
    }

    /// A value table that fills up while chunks are merged keeps what it keeps whatever the
    /// timing: a merger that falls behind (and so merges several finished chunks at once)
    /// gives the report one that keeps up gives. (It dropped the values seen once at each
    /// batch, so `#ERROR!`, twice in nusax_sentiment, came and went between runs.)
    @Test func fullValueTablesDoNotDependOnMergeTiming() throws {
        // 12 files of 1,000 distinct values (more than the 10,000 a table holds in all),
        // and in the first and the last file the same two values.
        var paths: [String] = []
        for f in 0..<12 {
            var lines = (0..<1000).map { #"{"text": "f\#(f) value \#($0)", "label": "a"}"# }
            if f == 0 || f == 11 { lines += [#"{"text": "twice", "label": "a"}"#, #"{"text": "also twice", "label": "a"}"#] }
            paths.append(dir.write("part\(f).jsonl", lines.joined(separator: "\n") + "\n"))
        }
        let d = try Dataset.open(paths)
        func json(_ acc: StatsAccumulator) -> String { JSONWriter.pretty(StatsReport(dataset: d, acc: acc).json) }
        // Timing decides how chunks batch up, so each run differs from the others only by
        // chance: several runs, each slowed down differently.
        let reference = json(StatsScan.run(d))
        for pause: UInt32 in [0, 2_000, 10_000, 30_000] {
            let run = json(StatsScan.run(d, partial: { _, _, _ in if pause > 0 { usleep(pause) } }))
            #expect(run == reference, "merger pausing \(pause) µs")
        }
    }

    /// Scans of JSON Lines find their own lines (and `assay stats` indexes them only for
    /// role inference): the report must be the one reading them through the full index
    /// gives, with the same slots per file and the same line for every malformed record.
    @Test func linesFoundWithoutTheIndexGiveTheSameReport() throws {
        // Past the index's first segment (1 MiB), so that only a sample gets indexed.
        func lines(_ n: Int, _ tag: String, every: Int) -> [String] {
            (0..<n).map { i in
                switch i % every {
                case 3: return #"{"id": "\#(tag)\#(i)","# + "\n" + #" "text": "one record over two lines"}"#
                case 5: return #"{"text": "then more"} {"text": "on the same line"}"#
                case 7: return #"{"text": "broken \#(i)"#
                case 9: return #" { "text" : "spaced out""# + "\t" + #" ,"# + "\t\r" + #""label":"l1" }  "#
                case 11: return ""
                case 13: return "   \t"
                default: return #"{"id": "\#(tag)\#(i)", "text": "record \#(i) of \#(tag) with some words", "label": "l\#(i % 5)"}"#
                }
            }
        }
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        let train = dir.write("train.jsonl", bom + Array(lines(20_000, "a", every: 997).joined(separator: "\r\n").utf8))
        let test = dir.write("test.jsonl", lines(5_000, "b", every: 499).joined(separator: "\n") + "\n\n")
        let csv = dir.write("dev.csv", "text,label\n" + (0..<50).map { "c\($0),l\($0 % 3)" }.joined(separator: "\n") + "\n")
        // Ends in a record over two lines, with no newline after it.
        let small = dir.write("valid.jsonl", #"{"text": "one", "label": "l1"}"# + "\n{bad\n" + #"{"text":"# + "\n" + #""the end"}"#)
        // With a CSV file, the full index is built (it numbers records across files).
        for paths in [[train], [small, test, train], [test, csv, train]] {
            let full = try Dataset.open(paths)
            var o = OpenOptions()
            o.sampleIndexOnly = true
            let sampled = try Dataset.open(paths, options: o)
            sampled.waitForIndex()
            #expect(sampled.sampleIndexOnly == !paths.contains(csv))
            #expect(sampled.files.first { $0.path == train }?.index.isSampleOnly == sampled.sampleIndexOnly)
            #expect(sampled.roles == full.roles)
            // The reference path (every line through the full parser) is slow in debug builds.
            for fast in paths == [train] ? [true, false] : [true] {
                let a = StatsScan.run(sampled, fast: fast, minChunkBytes: 64 << 10, progress: nil, partial: nil, isCancelled: { false })
                let b = StatsScan.run(full, fast: fast, minChunkBytes: 1 << 20, progress: nil, partial: nil,
                                      isCancelled: { false }, useIndex: true)
                #expect(a.malformed == b.malformed)
                #expect(!a.malformed.isEmpty)
                let ra = JSONWriter.pretty(StatsReport(dataset: sampled, acc: a).json)
                let rb = JSONWriter.pretty(StatsReport(dataset: full, acc: b).json)
                #expect(ra == rb, "\(paths) fast: \(fast)")
            }
        }
    }

    /// Past its first segment, the index builder waits while told to (a stats scan that
    /// finds the records itself is running), and goes on when let.
    @Test func indexWaitsWhileAScanFindsTheRecords() throws {
        let p = dir.write("big.jsonl", (0..<30_000).map { #"{"text": "record \#($0) with a few more words in it"}"# }.joined(separator: "\n") + "\n")
        let file = try MappedFile(path: p)
        let index = RecordIndex(totalBytes: file.size)
        let hold = Atomic<Bool>(true)
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            _ = IndexBuilder.build(file, layout: FileLayout(format: .jsonl), dataStart: 0, dataStartLine: 1, index: index,
                               releasePages: false, waitWhile: { hold.load(ordering: .relaxed) })
            done.signal()
        }
        // The first segment comes (however slow the machine), then nothing more while held.
        let deadline = DispatchTime.now() + 10
        while index.count == 0 && DispatchTime.now() < deadline { usleep(1000) }
        let first = index.count
        #expect(done.wait(timeout: .now() + 0.3) == .timedOut)
        #expect(first > 0 && first < 30_000 && index.count == first && !index.isComplete)
        hold.store(false, ordering: .relaxed)
        #expect(done.wait(timeout: .now() + 10) == .success)
        #expect(index.count == 30_000 && index.isComplete)

        // A dataset's index waits only inside a scan that finds the records, until wanted.
        let d = try Dataset.open([p])
        #expect(!d.indexDefersToScan)
        d.scanFindingRecords {
            #expect(d.indexDefersToScan)
            d.wantWholeIndex()
            #expect(!d.indexDefersToScan)
        }
        // Announced at opening, it waits from the start, until a scan has run.
        var o = OpenOptions()
        o.statsScanFollows = true
        let e = try Dataset.open([p], options: o)
        #expect(e.indexDefersToScan && !e.isIndexComplete)
        _ = StatsScan.run(e)
        #expect(!e.indexDefersToScan)
        e.waitForIndex()
        #expect(e.recordCount == 30_000)
    }
}
