import AssayCore

/// Which prompt is open on the bottom line.
public enum PromptKind: String, Hashable, Sendable {
    case search, filter, jump
    /// Find a row (a label, a field) in the Labels pane.
    case find

    var label: String {
        switch self {
        case .search: "/"
        case .filter: "filter: "
        case .jump: ":"
        case .find: "find: "
        }
    }
}

/// Everything that can change the app state. Keys map to actions through the
/// command table; the runtime sends the rest (ticks, scan results, resizes).
public enum Action: Sendable {
    // App
    case back
    case quit
    case escape
    case showHelp
    case nextPane
    case previousPane
    case switchPane(Int)
    case redraw

    // Lists (browse table, detail, help, malformed list): by rows or pages
    case move(Int)
    case page(Int)
    case halfPage(Int)
    case top
    case bottom

    // Browse
    case scrollColumns(Int)
    case hideColumn
    case showAllColumns
    case openDetail
    case openPrompt(PromptKind)
    case searchNext(forward: Bool)
    case clearFilter
    case showMalformed

    // Detail
    case detailRecord(Int)

    // Malformed list
    case malformedJump

    // Labels pane
    case labels(LabelsAction)

    // Prompt editing
    case promptInsert(Character)
    case promptBackspace
    case promptDelete
    case promptCursor(Int)
    case promptHome
    case promptEnd
    case promptClear
    case promptDeleteWord
    case promptHistory(Int)
    case promptSubmit
    case promptCancel

    // From the runtime
    case resize(Size)
    case tick(recordCount: Int, progress: IndexProgress)
    case scanProgress(id: Int, found: [Int], scanned: Int, total: Int, done: Bool)
    case malformedFound(id: Int, entries: [MalformedEntry], scanned: Int, total: Int, done: Bool)
    case malformedLoaded([MalformedRecord], complete: Bool)
    case located(id: Int, index: Int?)
    case overlayMeasured(lineCount: Int)
    /// Counts from the stats scan: partial while `complete` is false.
    case statsUpdate(id: Int, acc: StatsAccumulator, done: Int, total: Int, complete: Bool)
}

/// What the Labels pane's own keys do.
public enum LabelsAction: Sendable, Hashable {
    case section(LabelsSection)
    /// Move the cell cursor across columns (splits, cross-tab).
    case column(Int)
    /// Enter: filter Browse to the records behind the selected number.
    case drill
    /// Change the sort order of the current view.
    case sort
    case findNext(forward: Bool)
    /// Cycle the cross-tab field.
    case crossField(Int)
    /// Raise or lower the thin-cell threshold one step.
    case thin(Int)
    /// Characters or words in the text view.
    case toggleWords
    case emptyTexts
    case shortTexts
    case longTexts
}

/// Work for the runtime: the only way `apply` causes IO.
public enum Effect: Sendable {
    /// Scan every record with `expression`, reporting matching indices in order.
    case startFilterScan(id: Int, expression: FilterExpression)
    /// Scan from record `from` to the end, then from 0 up to `from`.
    case startSearchScan(id: Int, expression: FilterExpression, from: Int)
    /// Collect malformed slots.
    case startMalformedScan(id: Int)
    /// Find the slot index of a malformed record known only by file and line.
    case locateMalformed(id: Int, record: MalformedRecord)
    /// Scan the whole dataset for the Labels pane, reporting partial counts.
    case startStatsScan(id: Int)
    case cancelScan(id: Int)
    /// Repaint the whole screen (Ctrl-L).
    case redraw
}

/// A malformed slot and, when known, its index.
public struct MalformedEntry: Sendable, Hashable {
    public var record: MalformedRecord
    public var index: Int?

    public init(record: MalformedRecord, index: Int?) {
        self.record = record
        self.index = index
    }
}
