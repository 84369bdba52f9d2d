import Foundation
import Testing

/// `assay stats` as a script or CI job runs it.
@Suite struct StatsCommandTests {
    func json(_ r: RunResult) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    }

    @Test func jsonOnTheSampleHasTheDocumentedKeys() throws {
        let r = try runAssay(["stats", "--json", "samples/tickets.jsonl"])
        #expect(r.status == 0)
        let j = try json(r)
        for key in ["records", "malformed", "roles", "labels", "splits", "label_by_split", "fields"] {
            #expect(j[key] != nil, "missing key \(key)")
        }
        #expect(j["records"] as? Int == 3000)
        let malformed = try #require(j["malformed"] as? [[String: Any]])
        #expect(malformed.count == 1)
        #expect(malformed.first?["file"] as? String == "samples/tickets.jsonl")
        #expect(malformed.first?["line"] as? Int == 1500)
        #expect((malformed.first?["reason"] as? String)?.contains("unterminated string") == true)
        let roles = try #require(j["roles"] as? [String: Any])
        #expect(roles["text"] as? String == "text")
        #expect(roles["label"] as? String == "label")
        #expect(roles["split"] as? String == "split")
        #expect(roles["source"] as? String == "source")
        #expect(roles["id"] as? String == "id")
        let labels = try #require(j["labels"] as? [String: Int])
        #expect(labels["shipping"] == 715)
        #expect(labels["legal"] == 15)
        let bySplit = try #require(j["label_by_split"] as? [String: [String: Int]])
        #expect(bySplit["test"]?["legal"] == nil)
        #expect(bySplit["train"]?["legal"] == 13)
        let fields = try #require(j["fields"] as? [[String: Any]])
        let paths = fields.compactMap { $0["path"] as? String }
        #expect(paths.contains("meta.url"))
        #expect(paths.contains("meta.tags[]"))
        // A warning names the malformed record on stderr; the exit code stays 0.
        #expect(r.stderr.contains("samples/tickets.jsonl:1500"))
    }

    @Test func jsonOutputEscapesControlCharacters() throws {
        let r = try runAssay(["stats", "--json", "samples/tickets.jsonl"])
        #expect(!r.stdout.unicodeScalars.contains { $0.value == 0x1b || $0.value == 0x07 })
    }

    @Test func humanOutputNeverCarriesRawEscapes() throws {
        for file in ["samples/tickets.jsonl", "samples/tickets.csv", "samples/tickets.tsv"] {
            let r = try runAssay(["stats", file])
            #expect(r.status == 0)
            #expect(!r.stdout.unicodeScalars.contains { $0.value == 0x1b || $0.value == 0x07 || $0.value == 0x9b },
                    "\(file) printed a raw control character")
            #expect(r.stdout.contains("Label × split"))
        }
    }

    @Test func exitCodes() throws {
        let missing = try runAssay(["stats", "no/such/file.jsonl"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("\n  no/such/file.jsonl: no such file or directory\n"))
        let notATerminal = try runAssay(["samples/tickets.jsonl"])
        #expect(notATerminal.status == 2)
        #expect(notATerminal.stderr.contains("assay stats"))
        let usage = try runAssay(["stats"])
        #expect(usage.status == 2)
        #expect(usage.stderr.contains("give a data file or folder"))
        let badFormat = try runAssay(["stats", "--format", "xml", "samples/tickets.jsonl"])
        #expect(badFormat.status == 2)
        // Readable, but without a single record: nothing to count.
        let headerOnly = FileManager.default.temporaryDirectory.appendingPathComponent("assay-header-only-\(getpid()).csv")
        try Data("text,label\n".utf8).write(to: headerOnly)
        defer { try? FileManager.default.removeItem(at: headerOnly) }
        let none = try runAssay(["stats", headerOnly.path])
        #expect(none.status == 1)
        #expect(none.stderr.contains("assay: no records found: the data holds none"))
    }

    @Test func flagsThatWouldBeIgnoredAreUsageErrors() throws {
        let refused: [([String], String)] = [
            (["--format", "jsonl", "--no-header"], "--no-header applies to CSV and TSV files, not to --format jsonl"),
            (["--format", "json", "--delimiter", ";"], "--delimiter applies to CSV and TSV files, not to --format json"),
            (["--format", "lines", "--quoting", "csv"], "--quoting applies to CSV and TSV files, not to --format lines"),
            (["--format", "jsonl", "--line-regex", "(?<text>.*)"], "--line-regex reads plain lines; it cannot be used with --format jsonl"),
            (["--line-regex", "(?<text>.*)", "--delimiter", ","], "--delimiter applies to CSV and TSV files; --line-regex reads plain lines"),
            (["--header", "--no-header"], "--header and --no-header contradict each other"),
            (["--source-from", "dir", "--source", "lang"], "--source-from and --source both say where the source comes from"),
        ]
        for (flags, message) in refused {
            let r = try runAssay(["stats"] + flags + ["samples/tickets.jsonl"])
            #expect(r.status == 2, "\(flags)")
            #expect(r.stderr.contains(message), "\(flags): \(r.stderr)")
        }
        let fine = try runAssay(["stats", "--format", "csv", "--header", "--delimiter", ",", "samples/tickets.csv"])
        #expect(fine.status == 0)
    }

    @Test func pipedInputIsRead() throws {
        let text = Data("{\"text\":\"a\"}\n{\"text\":\"b\"}\n{\"text\":\"c\"}\n".utf8)
        let r = try runAssay(["stats", "/dev/stdin", "--json"], input: text)
        #expect(r.status == 0)
        // /dev/stdin is in no "dev" (validation) split.
        #expect(r.stdout.contains("\"records\": 3"))
        #expect(!r.stdout.contains("\"valid\""), "\(r.stdout)")
        // `-` is standard input, as for most Unix tools.
        let dash = try runAssay(["stats", "-"], input: text)
        #expect(dash.status == 0)
        #expect(dash.stdout.hasPrefix("-: 3 records"), "\(dash.stdout)")
        // No path with data piped in: standard input; with none piped in, a usage error.
        let none = try runAssay(["stats"], input: text)
        #expect(none.stdout.hasPrefix("-: 3 records"), "\(none.stdout)")
        let usage = try runAssay(["stats"])
        #expect(usage.status == 2)
    }

    @Test func sameFileTwiceIsCountedOnce() throws {
        let r = try runAssay(["stats", "samples/tickets.jsonl", "samples/tickets.jsonl"])
        let once = try runAssay(["stats", "samples/tickets.jsonl"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("skipped samples/tickets.jsonl: already read"))
        #expect(r.stdout.components(separatedBy: "\n").first == once.stdout.components(separatedBy: "\n").first)
    }

    @Test func splitsFolderSaysWhatItTookAndSkipped() throws {
        let r = try runAssay(["stats", "samples/splits"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("samples/splits/train.jsonl"))
        #expect(r.stdout.contains("samples/splits/README.md: documentation"))
        #expect(r.stdout.contains("from file names"))
    }

    @Test func indexOnlyCountsSlots() throws {
        let r = try runAssay(["stats", "--index-only", "samples/tickets.jsonl"])
        #expect(r.stdout == "3001\n")
    }
}

@Suite struct StatsReportFormatsTests {
    @Test func markdownReport() throws {
        let r = try runAssay(["stats", "--markdown", "samples/tickets.jsonl"])
        #expect(r.status == 0)
        #expect(r.stdout.hasPrefix("# assay report: samples/tickets.jsonl: 3,000 records, 1 malformed"))
        #expect(r.stdout.contains("## Label × split"))
        #expect(r.stdout.contains("| legal | 13 | 2 | 0 | 15 |"))
        #expect(r.stdout.contains("absent in test"))
        #expect(!r.stdout.unicodeScalars.contains { $0.value == 0x1b })
    }

    @Test func jsonCarriesCoverage() throws {
        let r = try runAssay(["stats", "--json", "--thin", "0.5", "samples/tickets.jsonl"])
        let j = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let cov = try #require(j["coverage"] as? [String: Any])
        #expect(cov["thin_fraction"] as? Double == 0.5)
        let tabs = try #require(cov["crosstabs"] as? [[String: Any]])
        #expect(tabs.first?["field"] as? String == "split")
        let sc = try #require(j["split_comparison"] as? [String: Any])
        let rows = try #require(sc["labels"] as? [[String: Any]])
        #expect(rows.first { $0["label"] as? String == "legal" }?["absent_in"] as? [String] == ["test"])
        #expect(j["text_by_label"] as? [String: Any] != nil)
    }

    @Test func jsonAndMarkdownTogetherIsAUsageError() throws {
        let r = try runAssay(["stats", "--json", "--markdown", "samples/tickets.jsonl"])
        #expect(r.status == 2)
    }
}
