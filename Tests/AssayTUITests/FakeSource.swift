import AssayCore
import Synchronization

/// A fixed, in-memory dataset for screens and state tests, so snapshots don't
/// depend on the engine. Slot 3 holds terminal escape sequences, slot 4 CJK and
/// emoji, slot 6 is malformed, slot 5 is long multi-line text.
final class FakeSource: RecordSource, Sendable {
    let displayName: String
    let roles: Roles
    let fieldPaths: [String]
    private let slots: [RecordResult]
    private let visible = Mutex<Int>(0)
    private let complete = Mutex<Bool>(true)

    var recordCount: Int { visible.withLock { $0 } }

    var indexProgress: IndexProgress {
        let n = recordCount
        let done = complete.withLock { $0 }
        return IndexProgress(records: n, bytesScanned: Int64(n * 100), totalBytes: Int64(slots.count * 100), isComplete: done)
    }

    func record(at index: Int) -> RecordResult { slots[index] }

    /// How many times the driver asked for the whole index.
    let wholeIndexWanted = Mutex<Int>(0)
    func wantWholeIndex() { wholeIndexWanted.withLock { $0 += 1 } }

    /// Shows only the first `n` slots as indexed (simulates indexing in progress).
    func setIndexed(_ n: Int, complete done: Bool) {
        visible.withLock { $0 = min(n, slots.count) }
        complete.withLock { $0 = done }
    }

    let allNotices: [String]
    let skippedFiles: [String]

    init(count: Int = 40, name: String = "tickets.jsonl", notices: [String] = [], skipped: [String] = []) {
        allNotices = notices
        skippedFiles = skipped
        displayName = name
        roles = Roles(text: ["text"], label: "label", split: "split", source: "source", id: "id")
        fieldPaths = ["id", "text", "label", "split", "source", "meta.url", "meta.tags"]
        var slots: [RecordResult] = []
        let labels = ["billing", "shipping", "refund", "spam", "account"]
        let sources = ["email", "chat", "forum"]
        for i in 0..<count {
            if i == 6 {
                slots.append(.malformed(MalformedRecord(file: name, line: i + 1, reason: "unterminated string at column 41"), index: i))
                continue
            }
            var text = "Ticket \(i + 1): my parcel \(1000 + i * 7) has not arrived yet, please send an update."
            switch i {
            case 3:
                text = "Invoice lookup failed: \u{1B}]0;pwned\u{07}\u{1B}[2J\u{1B}[31mred alert\u{1B}[0m and \u{202E}txt.exe"
            case 4:
                text = "漢字テスト 请退款 😀 emoji ｆｕｌｌ width"
            case 5:
                text = "Order summary:\n  Item: robot vacuum\tQty: 2\nOnly one of the two arrived. "
                    + String(repeating: "The box was damaged and the second unit is missing. ", count: 4)
            case 9:
                text = "short"
            default:
                break
            }
            let meta: FieldValue = .object([
                .init("url", .string("https://forum.example.com/t/\(100 + i)")),
                .init("tags", .array([.string("t\(i % 3)"), .string("x")])),
                .init("agent", .object([.init("name", .string("Ana")), .init("shift", .number("\(i % 3 + 1)"))])),
            ])
            slots.append(.record(Record(index: i, fileIndex: 0, line: i + 1, value: .object([
                FieldValue.Member("id", .string(fakeID(i + 1))),
                .init("text", .string(text)),
                .init("label", i == 9 ? .null : .string(labels[i % labels.count])),
                .init("split", .string(i % 4 == 3 ? "test" : "train")),
                .init("source", .string(sources[i % sources.count])),
                .init("meta", meta),
            ]))))
        }
        self.slots = slots
        visible.withLock { $0 = slots.count }
    }
}

/// `t-007`
func fakeID(_ n: Int) -> String {
    let s = String(n)
    return "t-" + String(repeating: "0", count: max(0, 3 - s.count)) + s
}
