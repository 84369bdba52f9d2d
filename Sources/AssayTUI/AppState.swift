import AssayCore

/// A one-line message on the bottom line, cleared by the next key.
public struct StatusMessage: Hashable, Sendable {
    public enum Kind: Hashable, Sendable { case info, error }
    public var text: String
    public var kind: Kind

    public init(_ text: String, kind: Kind = .info) {
        self.text = text
        self.kind = kind
    }
}

/// A view drawn over the active pane. They stack: help opened from the detail
/// view returns to it.
public enum Overlay: Hashable, Sendable {
    case detail(scroll: Int)
    case help(scroll: Int)
    case malformedList(selected: Int, top: Int)

    var scope: CommandScope {
        switch self {
        case .detail: .detail
        case .help: .help
        case .malformedList: .malformedList
        }
    }
}

/// The bottom-line editor for `/`, `f` and `:`.
public struct PromptState: Hashable, Sendable {
    public var kind: PromptKind
    /// The text, held as characters: a key edits and the prompt line draws at a character
    /// position, and a `String` is walked from its start to find one, so a pasted line
    /// (one key per character) took quadratic time and more.
    public var characters: [Character]
    /// Cursor position in characters (0...characters.count).
    public var cursor: Int
    public var error: FilterSyntaxError?
    /// Position in the history while browsing it with ↑/↓ (nil: editing new text).
    var historyIndex: Int?

    public var text: String {
        get { String(characters) }
        set { characters = Array(newValue) }
    }

    public init(kind: PromptKind, text: String = "") {
        self.kind = kind
        characters = Array(text)
        cursor = characters.count
    }
}

/// A filter and the matches its background scan has found so far.
public struct FilterState: Sendable {
    public var id: Int
    public var expression: FilterExpression
    /// Matching record indices, ascending; the filtered table shows these.
    public var matches: [Int] = []
    public var scanned = 0
    public var total = 0
    public var isComplete = false
    public var isCancelled = false
    /// The count a Labels-pane drill-down promised (nil for a typed filter).
    public var expected: Int?
    /// Whether that count came from a finished stats scan.
    public var expectedIsExact = false

    public var isRunning: Bool { !isComplete && !isCancelled }

    /// Row of `index` in the filtered view, if it is there.
    public func row(of index: Int) -> Int? {
        let r = lowerBound(matches, index)
        return r < matches.count && matches[r] == index ? r : nil
    }
}

/// A search (`/`) and its matches. The scan starts after the record where the
/// search was typed and wraps around, so the first match shows up soon.
public struct SearchState: Sendable {
    public var id: Int
    public var pattern: String
    public var expression: FilterExpression
    /// Where the scan started: matches >= anchor are in `after`, the rest in `before`.
    public var anchor: Int
    public var after: [Int] = []
    public var before: [Int] = []
    public var scanned = 0
    public var total = 0
    public var isComplete = false
    public var isCancelled = false
    /// A jump waiting for a match: from this record, in this direction.
    public var pending: (from: Int, forward: Bool)?

    public var isRunning: Bool { !isComplete && !isCancelled }
    public var matchCount: Int { after.count + before.count }

    /// Whether record `index` matched.
    public func contains(_ index: Int) -> Bool {
        let a = index >= anchor ? after : before
        let r = lowerBound(a, index)
        return r < a.count && a[r] == index
    }

    /// Whether every record strictly between `a` and `b` (a < b) has been searched: the
    /// scan goes from `anchor` to the end, then from the start up to `anchor`.
    func hasSearched(between a: Int, and b: Int) -> Bool {
        let (lo, hi) = (a + 1, b - 1)
        if isComplete || lo > hi { return true }
        let last = lo < anchor && anchor <= hi ? anchor - 1 : hi
        let position = last >= anchor ? last - anchor : total - anchor + last
        return position < scanned
    }

    /// The nearest match strictly after (or before) `index` that `accept` allows, without wrapping.
    func next(from index: Int, forward: Bool, accept: (Int) -> Bool) -> Int? {
        // All matches ascending are before ++ after.
        if forward {
            for part in [before, after] {
                var i = upperBound(part, index)
                while i < part.count {
                    if accept(part[i]) { return part[i] }
                    i += 1
                }
            }
        } else {
            for part in [after, before] {
                var i = lowerBound(part, index) - 1
                while i >= 0 {
                    if accept(part[i]) { return part[i] }
                    i -= 1
                }
            }
        }
        return nil
    }
}

/// Malformed slots, from a background scan or from the engine.
public struct MalformedState: Sendable {
    public var entries: [MalformedEntry] = []
    public var scanID: Int?
    public var scanned = 0
    public var total = 0
    public var isComplete = false
    /// A pending "find the slot for this line" request.
    var locateID: Int?
    var announced = false
    /// The list comes from the Labels pane's stats scan (no scan of its own).
    public var fromStats = false
}

/// Table position and columns of the Browse pane.
public struct BrowseState: Sendable {
    /// Selected row of the view (filtered or not).
    public var cursor = 0
    /// First row shown.
    public var top = 0
    /// All columns, in order.
    public var columns: [TableColumn]
    /// Ids of hidden columns.
    public var hidden: Set<String> = []
    /// Selected column, as an index into `visibleColumns`.
    public var selectedColumn = 0
    /// First visible column shown (horizontal scroll).
    public var firstColumn = 0
    /// `G` while the view still grows (indexing, or a filter scanning): the cursor stays on
    /// the last row as rows arrive, until the view is complete or another key is pressed.
    public var followsEnd = false

    public var visibleColumns: [TableColumn] { columns.filter { !hidden.contains($0.id) } }
}

/// All state of the app, one value. `apply(_:)` is the only way it changes;
/// it returns effects for the runtime instead of doing IO.
public struct AppState: Sendable {
    // Dataset snapshot (updated by `.tick`).
    public let displayName: String
    public var recordCount: Int
    public var indexProgress: IndexProgress
    public let roles: Roles
    public let fieldPaths: [String]

    public var screenSize: Size
    public let panes: [PaneID]
    public var activePane: PaneID

    public var browse: BrowseState
    public var overlays: [Overlay] = []
    public var prompt: PromptState?
    public var history: [PromptKind: [String]] = [:]

    public var filter: FilterState?
    public var search: SearchState?
    public var malformed = MalformedState()
    /// What opening the data noticed, the files it skipped and the records the stats scan
    /// kept with irregularities, a line each as shown above the malformed lines in the
    /// `m` list.
    public var notices: [String] = []

    /// Rows the `m` list gives its notices (at most a third of it, the last saying how
    /// many more there are), and the rows left for the malformed lines.
    var noticeRows: Int { notices.isEmpty ? 0 : min(notices.count, max(1, layout.overlayRows / 3)) + 1 }
    var malformedListRows: Int { max(1, layout.overlayRows - noticeRows) }
    public var labels = LabelsState()

    public var message: StatusMessage?
    public var shouldQuit = false
    /// Lines of the top overlay's content, as last drawn (for scroll limits).
    public var overlayLineCount = 0

    var nextScanID = 1

    public init(source: any RecordSource, size: Size, panes: [PaneID] = [.browse]) {
        displayName = source.displayName
        recordCount = source.recordCount
        indexProgress = source.indexProgress
        roles = source.roles
        fieldPaths = source.fieldPaths
        screenSize = size
        self.panes = panes.isEmpty ? [.browse] : panes
        activePane = self.panes[0]
        browse = BrowseState(columns: Self.measureColumns(source: source, roles: source.roles))
    }

    /// Column widths from the first records (at most 200 parsed, so launch stays fast).
    static func measureColumns(source: any RecordSource, roles: Roles) -> [TableColumn] {
        var columns = TableColumn.columns(for: roles)
        let n = min(200, source.recordCount)
        for i in 0..<n {
            guard let r = source.record(at: i).record else { continue }
            for c in columns.indices where !columns[c].isFlexible {
                guard let f = columns[c].field, let v = r.field(f) else { continue }
                let w = Sanitizer.spans(v.displayText, maxWidth: 40).width
                columns[c].width = max(columns[c].width, w)
            }
        }
        for c in columns.indices {
            columns[c].width = max(columns[c].width, TextWidth.of(columns[c].title))
            if let cap = TableColumn.maxWidth[columns[c].id] { columns[c].width = min(columns[c].width, cap) }
        }
        return columns
    }

    // MARK: - Derived

    public var layout: ScreenLayout { ScreenLayout(size: screenSize) }

    /// Rows in the current view: filter matches, or all record slots.
    public var viewCount: Int { filter?.matches.count ?? recordCount }

    /// Record index shown on view row `row`.
    public func recordIndex(atRow row: Int) -> Int? {
        guard row >= 0, row < viewCount else { return nil }
        if let f = filter { return f.matches[row] }
        return row
    }

    /// The selected record's index.
    public var currentRecord: Int? { recordIndex(atRow: browse.cursor) }

    public var topOverlay: Overlay? { overlays.last }

    /// Scopes to look keys up in, innermost first.
    public var activeScopes: [CommandScope] {
        if prompt != nil { return [.prompt] }
        if let o = topOverlay { return [o.scope, .global] }
        return [.pane(activePane), .global]
    }

    var isScanning: Bool { (filter?.isRunning ?? false) || (search?.isRunning ?? false) }

    // MARK: - Start

    /// Effects to run at launch: a malformed-line scan unless the engine already
    /// knows the malformed lines.
    ///
    /// With `stats` (the source can be scanned for stats), the Labels pane's scan
    /// starts too, and its malformed lines replace the malformed-line scan.
    public mutating func start(knownMalformed: [MalformedRecord]?, stats: Bool = false,
                               notices: [String] = [], skipped: [String] = []) -> [Effect] {
        var effects: [Effect] = []
        self.notices = notices.map { "notice: " + $0 } + skipped.map { "skipped " + $0 }
        if let first = notices.first {
            message = StatusMessage("notice: \(first)" + (self.notices.count > 1 ? " (+\(self.notices.count - 1) more: m lists them)" : ""))
        } else if !skipped.isEmpty {
            message = StatusMessage("\(skipped.count.grouped) file\(skipped.count == 1 ? "" : "s") skipped (m lists them)")
        }
        if stats {
            let id = takeScanID()
            labels.available = true
            labels.scanID = id
            effects.append(.startStatsScan(id: id))
            if knownMalformed == nil {
                malformed.fromStats = true
                malformed.scanID = id
                return effects
            }
        }
        if let known = knownMalformed {
            return effects + apply(.malformedLoaded(known, complete: indexProgress.isComplete))
        }
        let id = takeScanID()
        malformed.scanID = id
        return effects + [.startMalformedScan(id: id)]
    }

    mutating func takeScanID() -> Int {
        defer { nextScanID += 1 }
        return nextScanID
    }

    // MARK: - Update

    /// Applies one action; returns the IO the runtime should do.
    @discardableResult
    public mutating func apply(_ action: Action) -> [Effect] {
        switch action {
        case .resize, .tick, .scanProgress, .malformedFound, .malformedLoaded, .located, .overlayMeasured, .statsUpdate:
            break
        default:
            message = nil
            browse.followsEnd = false
        }

        switch action {
        case .quit:
            shouldQuit = true
            return cancelAllScans() + (malformed.scanID.map { [.cancelScan(id: $0)] } ?? [])
                + (labels.scanID.map { [.cancelScan(id: $0)] } ?? [])
        case .back:
            if closeFieldValues() { return [] }
            if !overlays.isEmpty {
                overlays.removeLast()
                overlayLineCount = 0
                return []
            }
            return apply(.quit)
        case .escape:
            if closeFieldValues() { return [] }
            if isScanning {
                let effects = cancelAllScans()
                if let f = filter, f.isCancelled {
                    message = StatusMessage("filter stopped at \(percent(f.scanned, f.total)): \(f.matches.count.grouped) matches so far")
                } else {
                    message = StatusMessage("search stopped")
                }
                return effects
            }
            if !overlays.isEmpty {
                overlays.removeLast()
                overlayLineCount = 0
            }
            return []
        case .showHelp:
            if case .help = topOverlay {
                overlays.removeLast()
            } else {
                overlays.append(.help(scroll: 0))
            }
            overlayLineCount = 0
            return []
        case .nextPane, .previousPane:
            guard let i = panes.firstIndex(of: activePane) else { return [] }
            let d = action.isNextPane ? 1 : -1
            activePane = panes[(i + d + panes.count) % panes.count]
            if panes.count == 1 { message = StatusMessage("\(activePane.title) is the only pane so far") }
            return []
        case .switchPane(let n):
            if n >= 1 && n <= panes.count {
                activePane = panes[n - 1]
                overlays.removeAll()
            } else {
                message = StatusMessage("no pane \(n)", kind: .error)
            }
            return []
        case .redraw:
            return [.redraw]

        case .move(let n): moveBy(n)
        case .page(let n): moveBy(n * pageSize)
        case .halfPage(let n): moveBy(n * max(1, pageSize / 2))
        case .top: moveBy(Int.min / 2)
        case .bottom:
            moveBy(Int.max / 2)
            if topOverlay == nil, activePane == .browse, viewIsGrowing {
                browse.followsEnd = true
                message = StatusMessage(Self.followingMessage(filtering: filter != nil))
            }

        case .scrollColumns(let n):
            let cols = browse.visibleColumns
            guard !cols.isEmpty else { return [] }
            browse.selectedColumn = min(max(0, browse.selectedColumn + n), cols.count - 1)
            fixColumnScroll()
        case .hideColumn:
            let cols = browse.visibleColumns
            guard browse.selectedColumn < cols.count else { return [] }
            if cols.count == 1 {
                message = StatusMessage("can't hide the last column", kind: .error)
                return []
            }
            let c = cols[browse.selectedColumn]
            browse.hidden.insert(c.id)
            browse.selectedColumn = min(browse.selectedColumn, cols.count - 2)
            fixColumnScroll()
            message = StatusMessage("hid column \(c.title); + shows all")
        case .showAllColumns:
            let n = browse.hidden.count
            browse.hidden = []
            fixColumnScroll()
            message = StatusMessage(n == 0 ? "all columns are shown" : "showing all columns")
        case .openDetail:
            guard currentRecord != nil else { return [] }
            overlays.append(.detail(scroll: 0))
            overlayLineCount = 0
        case .openPrompt(let kind):
            prompt = PromptState(kind: kind, text: kind == .filter ? (filter?.expression.text ?? "") : "")

        case .labels(let a):
            return applyLabels(a)
        case .statsUpdate(let id, let acc, let done, let total, let complete):
            return statsUpdate(id: id, acc: acc, done: done, total: total, complete: complete)
        case .searchNext(let forward):
            return searchNext(forward: forward)
        case .clearFilter:
            guard filter != nil || search != nil else {
                message = StatusMessage("no filter or search to clear")
                return []
            }
            let keep = currentRecord
            let effects = cancelAllScans()
            filter = nil
            search = nil
            if let k = keep { setCursor(row: k) }
            message = StatusMessage("filter and search cleared")
            return effects
        case .showMalformed:
            if case .malformedList = topOverlay { return [] }
            overlays.append(.malformedList(selected: 0, top: 0))
            overlayLineCount = 0

        case .detailRecord(let n):
            guard case .detail = topOverlay else { return [] }
            let before = browse.cursor
            setCursor(row: browse.cursor + n)
            if browse.cursor == before {
                message = StatusMessage(n > 0 ? "last record of the view" : "first record of the view")
            }
            overlays[overlays.count - 1] = .detail(scroll: 0)
        case .malformedJump:
            guard case .malformedList(let sel, _) = topOverlay, sel < malformed.entries.count else { return [] }
            let entry = malformed.entries[sel]
            if let idx = entry.index {
                return goToRecord(idx, closing: true)
            }
            let id = takeScanID()
            malformed.locateID = id
            message = StatusMessage(Self.findingLineMessage + "\(entry.record.line)…")
            return [.locateMalformed(id: id, record: entry.record)]

        case .promptInsert, .promptBackspace, .promptDelete, .promptCursor, .promptHome, .promptEnd,
            .promptClear, .promptDeleteWord, .promptHistory, .promptCancel:
            editPrompt(action)
        case .promptSubmit:
            return submitPrompt()

        case .resize(let size):
            screenSize = size
            clampAll()
        case .tick(let count, let progress):
            recordCount = count
            indexProgress = progress
            clampAll()
            followEnd()
        case .scanProgress(let id, let found, let scanned, let total, let done):
            return scanProgress(id: id, found: found, scanned: scanned, total: total, done: done)
        case .malformedFound(let id, let entries, let scanned, let total, let done):
            guard id == malformed.scanID else { return [] }
            malformed.entries.append(contentsOf: entries)
            malformed.scanned = scanned
            malformed.total = total
            if done {
                malformed.isComplete = true
                malformed.scanID = nil
                announceMalformed()
            }
        case .malformedLoaded(let records, let complete):
            let known = Dictionary(malformed.entries.map { ("\($0.record.file):\($0.record.line)", $0.index) },
                                   uniquingKeysWith: { a, _ in a })
            malformed.entries = records.map {
                MalformedEntry(record: $0, index: known["\($0.file):\($0.line)"] ?? nil)
            }
            malformed.isComplete = complete
            if complete { announceMalformed() }
        case .located(let id, let index):
            guard id == malformed.locateID else { return [] }
            malformed.locateID = nil
            // The search is over: "finding line N…" would stay until the next key.
            if message?.text.hasPrefix(Self.findingLineMessage) == true { message = nil }
            guard let index else {
                message = StatusMessage("couldn't find that line among the records", kind: .error)
                return []
            }
            if case .malformedList(let sel, _) = topOverlay, sel < malformed.entries.count {
                malformed.entries[sel].index = index
            }
            return goToRecord(index, closing: true)
        case .overlayMeasured(let n):
            overlayLineCount = n
            clampOverlay()
        }
        return []
    }

    // MARK: - Movement

    var pageSize: Int {
        if topOverlay == nil && activePane == .labels { return labelsPageSize }
        if case .malformedList = topOverlay { return malformedListRows }
        return topOverlay == nil ? layout.tableRows : layout.overlayRows
    }

    mutating func moveBy(_ n: Int) {
        switch topOverlay {
        case .detail(let s)?:
            overlays[overlays.count - 1] = .detail(scroll: clampedAdd(s, n))
            clampOverlay()
        case .help(let s)?:
            overlays[overlays.count - 1] = .help(scroll: clampedAdd(s, n))
            clampOverlay()
        case .malformedList(let sel, let top)?:
            let count = malformed.entries.count
            let newSel = count == 0 ? 0 : min(max(0, clampedAdd(sel, n)), count - 1)
            overlays[overlays.count - 1] = .malformedList(selected: newSel, top: scrolled(top: top, cursor: newSel, rows: malformedListRows))
        case nil:
            if activePane == .labels {
                moveLabels(n)
            } else {
                setCursor(row: clampedAdd(browse.cursor, n))
            }
        }
    }

    /// Moves the table cursor to `row` (clamped) and scrolls to show it.
    mutating func setCursor(row: Int) {
        let count = viewCount
        browse.cursor = count == 0 ? 0 : min(max(0, row), count - 1)
        browse.top = scrolled(top: browse.top, cursor: browse.cursor, rows: layout.tableRows)
    }

    /// Moves the cursor to record `index` in the current view, if it is there.
    @discardableResult
    mutating func setCursor(record index: Int) -> Bool {
        if let f = filter {
            guard let r = f.row(of: index) else { return false }
            setCursor(row: r)
        } else {
            guard index < recordCount else { return false }
            setCursor(row: index)
        }
        return true
    }

    /// Shows record `index`, clearing a filter that hides it.
    mutating func goToRecord(_ index: Int, closing: Bool) -> [Effect] {
        var effects: [Effect] = []
        if closing, case .malformedList = topOverlay { overlays.removeLast() }
        activePane = .browse
        if filter != nil && filter?.row(of: index) == nil {
            if let f = filter, f.isRunning { effects.append(.cancelScan(id: f.id)) }
            filter = nil
            message = StatusMessage("filter cleared to show record \((index + 1).grouped)")
        }
        setCursor(record: index)
        return effects
    }

    func scrolled(top: Int, cursor: Int, rows: Int) -> Int {
        var t = top
        if cursor < t { t = cursor }
        if cursor >= t + rows { t = cursor - rows + 1 }
        return max(0, t)
    }

    /// Whether rows may still be added to the current view.
    var viewIsGrowing: Bool {
        if let f = filter { return f.isRunning }
        return !indexProgress.isComplete
    }

    /// Keeps the cursor on the last row while `G` follows the end; stops once the view is complete.
    mutating func followEnd() {
        guard browse.followsEnd else { return }
        setCursor(row: viewCount - 1)
        if !viewIsGrowing {
            browse.followsEnd = false
            if message?.text == Self.followingMessage(filtering: filter != nil) { message = nil }
        }
    }

    /// The start of the message shown while the slot of a malformed line is looked for.
    static let findingLineMessage = "finding line "

    static func followingMessage(filtering: Bool) -> String {
        "following the last record while \(filtering ? "filtering" : "indexing")… any key stops"
    }

    mutating func clampAll() {
        setCursor(row: browse.cursor)
        fixColumnScroll()
        clampOverlay()
        clampLabels()
    }

    mutating func clampOverlay() {
        guard let o = topOverlay else { return }
        let maxScroll = max(0, overlayLineCount - layout.overlayRows)
        switch o {
        case .detail(let s): overlays[overlays.count - 1] = .detail(scroll: min(max(0, s), maxScroll))
        case .help(let s): overlays[overlays.count - 1] = .help(scroll: min(max(0, s), maxScroll))
        case .malformedList(let sel, let top):
            let count = malformed.entries.count
            let s = count == 0 ? 0 : min(sel, count - 1)
            overlays[overlays.count - 1] = .malformedList(selected: s, top: scrolled(top: min(top, s), cursor: s, rows: malformedListRows))
        }
    }

    mutating func fixColumnScroll() {
        let cols = browse.visibleColumns
        browse.selectedColumn = min(max(0, browse.selectedColumn), max(0, cols.count - 1))
        browse.firstColumn = TableLayout.firstColumn(
            showing: browse.selectedColumn, current: browse.firstColumn, columns: cols,
            numberWidth: TableLayout.numberWidth(recordCount: recordCount), width: screenSize.width)
    }

    // MARK: - Search and filter

    mutating func cancelAllScans() -> [Effect] {
        var effects: [Effect] = []
        if var f = filter, f.isRunning {
            f.isCancelled = true
            filter = f
            effects.append(.cancelScan(id: f.id))
        }
        if var s = search, s.isRunning {
            s.isCancelled = true
            s.pending = nil
            search = s
            effects.append(.cancelScan(id: s.id))
        }
        return effects
    }

    /// The fields an expression reads that are neither a role nor a path of `known` (the
    /// sampled records' leaves, `[N]` elements matching `[]`), nor a container above one.
    static func unknownFields(_ references: [String], known: [String]) -> [String] {
        let reachable = FieldPath.reachable(from: known)
        // `tags[]` reads the elements of a leaf that is an array of values (`tags`).
        let leaves = Set(known.map(FieldPath.anyElement))
        return references.filter { ref in
            let r = FieldPath.anyElement(ref)
            return !roleNames.contains(r) && !reachable.contains(r)
                && !(r.hasSuffix("[]") && leaves.contains(String(r.dropLast(2))))
        }
    }

    /// The names a filter or a `/field:` search reads beside field paths: the roles.
    static let roleNames: Set<String> = ["text", "label", "split", "source", "id"]

    /// `/regex` searches the text; `/field:regex` one field, when `field` names a
    /// known field or role. Case is ignored unless the pattern has a capital.
    static func searchExpression(_ input: String, fieldPaths: [String]) -> (field: String, pattern: String) {
        if let colon = input.firstIndex(of: ":") {
            let field = String(input[..<colon])
            if !field.isEmpty, fieldPaths.contains(field) || roleNames.contains(field) {
                return (field, String(input[input.index(after: colon)...]))
            }
        }
        return ("text", input)
    }

    /// For a `/name:rest` search that went to the text because `name` is no known field:
    /// `name`, when it looks like a field path (a typo of one is the likely intent).
    static func unknownSearchField(_ input: String, fieldPaths: [String]) -> String? {
        guard searchExpression(input, fieldPaths: fieldPaths).field == "text",
              let colon = input.firstIndex(of: ":") else { return nil }
        let name = input[..<colon]
        // `http://...` is a URL, not a field.
        guard !input[input.index(after: colon)...].hasPrefix("//"), let first = name.first, first.isLetter || first == "_",
              name.allSatisfy({ $0.isLetter || $0.isNumber || "_.[]-".contains($0) }) else { return nil }
        return String(name)
    }

    mutating func submitPrompt() -> [Effect] {
        guard var p = prompt else { return [] }
        let text = p.text
        if !text.trimmingSpaces.isEmpty {
            var h = history[p.kind, default: []]
            h.removeAll { $0 == text }
            h.append(text)
            if h.count > 50 { h.removeFirst(h.count - 50) }
            history[p.kind] = h
        }
        switch p.kind {
        case .find:
            prompt = nil
            let t = text.trimmingSpaces
            if !t.isEmpty { labels.findText = t }
            guard let f = labels.findText else { return [] }
            findLabelsRow(f, forward: true)
            return []
        case .jump:
            guard let n = Self.recordNumber(text.trimmingSpaces), n >= 1 else {
                p.error = FilterSyntaxError(position: 0, message: "type a record number from 1 to \(recordCount.grouped)")
                prompt = p
                return []
            }
            prompt = nil
            if n > recordCount {
                message = StatusMessage("there are \(recordCount.grouped) records\(indexProgress.isComplete ? "" : " so far")", kind: .error)
                setCursorToRecordOrNext(recordCount - 1)
                return []
            }
            if !setCursor(record: n - 1) {
                setCursorToRecordOrNext(n - 1)
                message = StatusMessage("record \(n.grouped) is not in the filtered view; showing the next match")
            }
            if case .detail = topOverlay { overlays[overlays.count - 1] = .detail(scroll: 0) }
            return []
        case .filter:
            if text.trimmingSpaces.isEmpty {
                prompt = nil
                guard filter != nil else { return [] }
                let keep = currentRecord
                var effects: [Effect] = []
                if let f = filter, f.isRunning { effects.append(.cancelScan(id: f.id)) }
                filter = nil
                if let k = keep { setCursor(row: k) }
                message = StatusMessage("filter cleared")
                return effects
            }
            let expression: FilterExpression
            do {
                expression = try FilterExpression(text)
            } catch {
                p.error = error
                p.cursor = min(error.position, p.characters.count)
                prompt = p
                return []
            }
            prompt = nil
            var effects: [Effect] = []
            if let f = filter, f.isRunning { effects.append(.cancelScan(id: f.id)) }
            let id = takeScanID()
            filter = FilterState(id: id, expression: expression, total: recordCount)
            browse.cursor = 0
            browse.top = 0
            effects.append(.startFilterScan(id: id, expression: expression))
            return effects
        case .search:
            if text.isEmpty {
                prompt = nil
                return search == nil ? [] : searchNext(forward: true)
            }
            let (field, pattern) = Self.searchExpression(text, fieldPaths: fieldPaths)
            let smart = pattern.contains(where: { $0.isUppercase }) ? "" : "(?i)"
            let quoted = pattern.replacingAll("\\", with: "\\\\").replacingAll("\"", with: "\\\"")
            let expression: FilterExpression
            do {
                expression = try FilterExpression("`\(field)` ~ \"\(smart)\(quoted)\"")
            } catch {
                p.error = FilterSyntaxError(position: field == "text" ? 0 : field.count + 1, message: error.message)
                prompt = p
                return []
            }
            prompt = nil
            return startSearch(pattern: text, expression: expression, forward: true)
        }
    }

    /// Starts a search scan just after the current record, so the first match found is the
    /// next one, and moves there (or to the previous one) when it is found.
    mutating func startSearch(pattern: String, expression: FilterExpression, forward: Bool) -> [Effect] {
        var effects: [Effect] = []
        if let s = search, s.isRunning { effects.append(.cancelScan(id: s.id)) }
        let id = takeScanID()
        let from = currentRecord ?? 0
        let anchor = recordCount == 0 ? 0 : (from + 1) % max(1, recordCount)
        search = SearchState(id: id, pattern: pattern, expression: expression, anchor: anchor, total: recordCount,
                             pending: (from: from, forward: forward))
        effects.append(.startSearchScan(id: id, expression: expression, from: anchor))
        return effects
    }

    /// A number typed at `:`, also as the status line writes it, in groups of three
    /// digits (`1,000`).
    static func recordNumber(_ text: String) -> Int? {
        let groups = text.split(separator: ",", omittingEmptySubsequences: false)
        guard groups.count > 1 else { return Int(text) }
        guard (1...3).contains(groups[0].count), groups.dropFirst().allSatisfy({ $0.count == 3 }),
              groups.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }) else { return nil }
        return Int(groups.joined())
    }

    mutating func setCursorToRecordOrNext(_ index: Int) {
        if let f = filter {
            setCursor(row: min(lowerBound(f.matches, index), max(0, f.matches.count - 1)))
        } else {
            setCursor(row: index)
        }
    }

    mutating func searchNext(forward: Bool) -> [Effect] {
        guard var s = search else {
            message = StatusMessage("no search yet: press / to search")
            return []
        }
        if s.isCancelled {
            // Esc stopped it part way: what it never reached may match. Search again from here.
            return startSearch(pattern: s.pattern, expression: s.expression, forward: forward)
        }
        let from = currentRecord ?? 0
        s.pending = (from: from, forward: forward)
        search = s
        resolvePendingSearch()
        return []
    }

    /// Moves to the match a pending `n`/`N`/search is waiting for, once known.
    mutating func resolvePendingSearch() {
        guard var s = search, let p = s.pending else { return }
        let f = filter
        let inView: (Int) -> Bool = { i in f.map { $0.row(of: i) != nil } ?? true }
        if let hit = s.next(from: p.from, forward: p.forward, accept: inView) {
            // A nearer match may be among the records not searched yet.
            guard p.forward ? s.hasSearched(between: p.from, and: hit) : s.hasSearched(between: hit, and: p.from) else { return }
            s.pending = nil
            search = s
            setCursor(record: hit)
            if case .detail = topOverlay { overlays[overlays.count - 1] = .detail(scroll: 0) }
            return
        }
        if s.isComplete || s.isCancelled {
            s.pending = nil
            search = s
            // Wrap around, as vim does.
            let wrapFrom = p.forward ? -1 : Int.max
            if let hit = s.next(from: wrapFrom, forward: p.forward, accept: inView), hit != p.from {
                setCursor(record: hit)
                message = StatusMessage(p.forward ? "search hit the end, continued at the top" : "search hit the top, continued at the end")
            } else if s.matchCount == 0 || !inView(p.from) || !s.contains(p.from) {
                var text = "no match for /\(s.pattern)\(filter == nil ? "" : " in the filtered view")"
                if let name = Self.unknownSearchField(s.pattern, fieldPaths: fieldPaths) {
                    text += " · no field \(name) in the first records, so the text was searched"
                }
                message = StatusMessage(text, kind: .error)
            } else {
                message = StatusMessage("only this record matches /\(s.pattern)")
            }
        }
    }

    mutating func scanProgress(id: Int, found: [Int], scanned: Int, total: Int, done: Bool) -> [Effect] {
        // Mutate in place: copying `filter` out and back would copy a match array
        // that can hold millions of indices, on every progress report.
        if filter?.id == id, filter?.isCancelled == false {
            filter!.matches.append(contentsOf: found)
            filter!.scanned = scanned
            filter!.total = total
            if done {
                filter!.isComplete = true
                let n = filter!.matches.count
                if let expected = filter!.expected {
                    // A drill-down: name the filter, so the user learns it.
                    var text = "\(n.grouped) of \(total.grouped) records match \(filter!.expression.text)"
                    if n != expected {
                        text += filter!.expectedIsExact ? " (the Labels pane counted \(expected.grouped))" : " (the Labels pane had counted \(expected.grouped) so far)"
                    }
                    message = StatusMessage(text)
                } else {
                    var text = n == 0 ? "no records match \(filter!.expression.text)" : "\(n.grouped) of \(total.grouped) records match"
                    if n == 0, let unknown = Self.unknownFields(filter!.expression.fieldReferences, known: fieldPaths).first {
                        // Most often a text written without quotes (`label == shipping`).
                        text += " · no field \(unknown) in the first records (text goes in quotes: \"\(unknown)\")"
                    }
                    message = StatusMessage(text)
                }
            }
            setCursor(row: browse.cursor)
            followEnd()
            // Matches can change which rows a pending search may land on.
            resolvePendingSearch()
        } else if search?.id == id, search?.isCancelled == false {
            let anchor = search!.anchor
            for i in found {
                if i >= anchor { search!.after.append(i) } else { search!.before.append(i) }
            }
            search!.scanned = scanned
            search!.total = total
            if done { search!.isComplete = true }
            resolvePendingSearch()
        }
        return []
    }

    mutating func announceMalformed() {
        guard !malformed.announced, !malformed.entries.isEmpty else { return }
        malformed.announced = true
        let n = malformed.entries.count
        if message == nil {
            message = StatusMessage("\(n.grouped) malformed line\(n == 1 ? "" : "s"): press m to list")
        }
    }

    // MARK: - Prompt editing

    mutating func editPrompt(_ action: Action) {
        // Taken out while edited, so that the characters change in place instead of being
        // copied on every key.
        guard var p = prompt.take() else { return }
        p.cursor = min(max(0, p.cursor), p.characters.count)
        switch action {
        case .promptInsert(let c):
            p.characters.insert(c, at: p.cursor)
            p.cursor += 1
        case .promptBackspace:
            if p.cursor > 0 {
                p.characters.remove(at: p.cursor - 1)
                p.cursor -= 1
            } else if p.characters.isEmpty {
                return
            }
        case .promptDelete:
            if p.cursor < p.characters.count { p.characters.remove(at: p.cursor) }
        case .promptCursor(let n):
            p.cursor = min(max(0, p.cursor + n), p.characters.count)
        case .promptHome:
            p.cursor = 0
        case .promptEnd:
            p.cursor = p.characters.count
        case .promptClear:
            p.characters.removeAll()
            p.cursor = 0
        case .promptDeleteWord:
            var i = p.cursor
            while i > 0, p.characters[i - 1] == " " { i -= 1 }
            while i > 0, p.characters[i - 1] != " " { i -= 1 }
            p.characters.removeSubrange(i..<p.cursor)
            p.cursor = i
        case .promptHistory(let d):
            let h = history[p.kind, default: []]
            guard !h.isEmpty else {
                prompt = p
                return
            }
            var idx = p.historyIndex ?? h.count
            idx = min(max(0, idx + d), h.count)
            p.historyIndex = idx == h.count ? nil : idx
            p.characters = idx == h.count ? [] : Array(h[idx])
            p.cursor = p.characters.count
        case .promptCancel:
            return
        default:
            prompt = p
            return
        }
        p.error = nil
        prompt = p
    }
}

// MARK: - Helpers

extension Action {
    var isNextPane: Bool {
        if case .nextPane = self { return true }
        return false
    }
}

func clampedAdd(_ a: Int, _ b: Int) -> Int {
    let (r, o) = a.addingReportingOverflow(b)
    return o ? (b > 0 ? Int.max : Int.min) : r
}

/// First index whose element is >= value.
func lowerBound(_ a: [Int], _ value: Int) -> Int {
    var lo = 0, hi = a.count
    while lo < hi {
        let mid = (lo + hi) / 2
        if a[mid] < value { lo = mid + 1 } else { hi = mid }
    }
    return lo
}

/// First index whose element is > value.
func upperBound(_ a: [Int], _ value: Int) -> Int {
    var lo = 0, hi = a.count
    while lo < hi {
        let mid = (lo + hi) / 2
        if a[mid] <= value { lo = mid + 1 } else { hi = mid }
    }
    return lo
}

func percent(_ part: Int, _ whole: Int) -> String {
    guard whole > 0 else { return "0%" }
    return "\(min(100, part * 100 / whole))%"
}

extension Int {
    /// `1,234,567`.
    public var grouped: String {
        let s = String(self.magnitude)
        var out = ""
        for (i, c) in s.enumerated() {
            if i > 0 && (s.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return self < 0 ? "-" + out : out
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first?.isWhitespace == true { s = s.dropFirst() }
        while s.last?.isWhitespace == true { s = s.dropLast() }
        return String(s)
    }

    func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        for c in self {
            if c == target { out += replacement } else { out.append(c) }
        }
        return out
    }
}
