import AssayCore

/// State of the Labels pane: the latest counts (partial while the scan runs), the
/// model built from them, and where the user is in each view.
public struct LabelsState: Sendable {
    public var section = LabelsSection.labels
    public var cursors: [LabelsSection: Int] = [:]
    public var tops: [LabelsSection: Int] = [:]
    /// The cell cursor's column in the views that have one.
    public var columns: [LabelsSection: Int] = [:]
    public var settings = LabelsSettings()
    /// The last text typed at the find prompt.
    public var findText: String?
    /// Where the field list was when a field's values were opened.
    var fieldListPosition: (cursor: Int, top: Int)?

    /// The source can be scanned for stats.
    public var available = false
    public var scanID: Int?
    public var acc: StatsAccumulator?
    public var done = 0
    public var total = 0
    public var isComplete = false
    public var model = LabelsModel()

    public var cursor: Int { cursors[section] ?? 0 }
    public var top: Int { tops[section] ?? 0 }
    public var column: Int { columns[section] ?? 0 }
    public var content: SectionContent { model.content(section) }

    /// What Enter does on the selected row and column.
    public var selectedAction: RowAction? {
        let rows = content.rows
        guard cursor < rows.count else { return nil }
        return rows[cursor].action(column: content.cellCursor ? column : 0)
    }
}

extension AppState {
    /// The pane's layout for the current screen (the same one the renderer uses).
    var labelsLayout: LabelsLayout {
        LabelsLayout(area: layout.body, content: labels.content)
    }

    mutating func applyLabels(_ a: LabelsAction) -> [Effect] {
        switch a {
        case .section(let s):
            labels.section = s
            clampLabels()
        case .column(let d):
            guard labels.content.cellCursor else {
                message = StatusMessage("←/→ move across the Splits and Cross-tab tables")
                return []
            }
            let n = labels.content.columns.count
            labels.columns[labels.section] = min(max(0, labels.column + d), max(0, n - 1))
        case .drill:
            switch labels.selectedAction {
            case .drill(let d)?: return drillDown(d)
            case .openField(let path)?:
                labels.fieldListPosition = (labels.cursor, labels.top)
                labels.settings.fieldDetail = path
                rebuildLabels()
                labels.cursors[.fields] = 0
                labels.tops[.fields] = 0
                clampLabels()
            case .showMalformed?:
                return apply(.showMalformed)
            case nil:
                if labels.content.rows.isEmpty { return [] }
                message = StatusMessage("nothing to drill into here", kind: .error)
            }
        case .sort:
            switch labels.section {
            case .labels:
                labels.settings.labelSort = labels.settings.labelSort == .count ? .name : .count
                message = StatusMessage("labels sorted by \(labels.settings.labelSort.rawValue)")
            case .splits:
                let all = SplitSort.allCases
                labels.settings.splitSort = all[((all.firstIndex(of: labels.settings.splitSort) ?? 0) + 1) % all.count]
                message = StatusMessage("splits sorted by \(labels.settings.splitSort.rawValue)")
            default:
                message = StatusMessage("o sorts the Labels and Splits views")
                return []
            }
            rebuildLabels()
        case .findNext(let forward):
            guard let t = labels.findText, !t.isEmpty else {
                message = StatusMessage("nothing to find yet: press / and type a name")
                return []
            }
            findLabelsRow(t, forward: forward)
        case .crossField(let d):
            let fields = labels.model.crossFields
            guard !fields.isEmpty else {
                message = StatusMessage("no field with at most \(StatsAccumulator.crossTabCap) values to cross-tabulate", kind: .error)
                return []
            }
            let i = labels.model.crossField.flatMap { fields.firstIndex(of: $0) } ?? 0
            labels.settings.crossField = fields[((i + d) % fields.count + fields.count) % fields.count]
            labels.section = .crossTab
            labels.columns[.crossTab] = 0
            rebuildLabels()
            message = StatusMessage("label × \(labels.settings.crossField ?? "")")
        case .thin(let d):
            let now = labels.settings.thinFraction
            let i = thinSteps.firstIndex { $0 >= now - 1e-9 } ?? thinSteps.count - 1
            let j = min(max(0, i + d), thinSteps.count - 1)
            labels.settings.thinFraction = thinSteps[j]
            rebuildLabels()
            message = StatusMessage("thin cells: below \(LabelsModel.fixed(thinSteps[j] * 100, 0))% of the count expected if label and field were independent")
        case .toggleWords:
            labels.settings.words.toggle()
            labels.section = .text
            rebuildLabels()
        case .emptyTexts, .shortTexts, .longTexts:
            let d: Drill?
            switch a {
            case .emptyTexts: d = labels.model.emptyTexts
            case .shortTexts: d = labels.model.shortTexts
            default: d = labels.model.longTexts
            }
            guard let d else {
                message = StatusMessage("no text lengths yet", kind: .error)
                return []
            }
            return drillDown(d)
        }
        return []
    }

    /// Opens Browse filtered to exactly the records behind a number.
    mutating func drillDown(_ d: Drill) -> [Effect] {
        let expression: FilterExpression
        do {
            expression = try FilterExpression(d.expression)
        } catch {
            message = StatusMessage("can't filter with \(d.expression): \(error.message)", kind: .error)
            return []
        }
        var effects: [Effect] = []
        if let f = filter, f.isRunning { effects.append(.cancelScan(id: f.id)) }
        let id = takeScanID()
        var f = FilterState(id: id, expression: expression, total: recordCount)
        f.expected = d.count
        f.expectedIsExact = labels.isComplete
        filter = f
        var h = history[.filter, default: []]
        h.removeAll { $0 == d.expression }
        h.append(d.expression)
        history[.filter] = h
        overlays.removeAll()
        activePane = .browse
        browse.cursor = 0
        browse.top = 0
        message = StatusMessage("filter \(d.expression): \(d.count.grouped) expected; press 2 to go back")
        effects.append(.startFilterScan(id: id, expression: expression))
        return effects
    }

    /// Takes in counts from the stats scan and hands its malformed lines to Browse.
    mutating func statsUpdate(id: Int, acc: StatsAccumulator, done: Int, total: Int, complete: Bool) -> [Effect] {
        guard id == labels.scanID else { return [] }
        labels.acc = acc
        labels.done = done
        labels.total = total
        labels.isComplete = complete
        if complete { labels.scanID = nil }
        rebuildLabels()
        var effects: [Effect] = []
        if malformed.fromStats {
            malformed.scanned = done
            malformed.total = total
            if complete || acc.malformed.count != malformed.entries.count {
                effects += apply(.malformedLoaded(acc.malformed, complete: complete))
            }
            if complete { malformed.scanID = nil }
        }
        if complete { noteWarnings(acc.warnings) }
        return effects
    }

    /// Records kept with irregularities (ragged CSV rows), known once the stats scan is
    /// done: listed with the notices in the `m` list, at most `warningsListed` of them.
    mutating func noteWarnings(_ warnings: [MalformedRecord]) {
        guard !warnings.isEmpty, !notices.contains(where: { $0.hasPrefix(Self.warningPrefix) }) else { return }
        notices += warnings.prefix(Self.warningsListed).map { Self.warningPrefix + "\($0.file):\($0.line): \($0.reason) (record kept)" }
        if warnings.count > Self.warningsListed {
            notices.append("… and \((warnings.count - Self.warningsListed).grouped) more warnings: assay stats lists them all")
        }
    }

    static let warningPrefix = "warning: "
    static let warningsListed = 20

    mutating func rebuildLabels() {
        guard let acc = labels.acc else { return }
        labels.model = LabelsModel(acc: acc, roles: roles, settings: labels.settings)
        if labels.settings.crossField == nil { labels.settings.crossField = labels.model.crossField }
        clampLabels()
    }

    /// Closes a field's value list; false when none is open.
    mutating func closeFieldValues() -> Bool {
        guard activePane == .labels, overlays.isEmpty, labels.section == .fields, labels.settings.fieldDetail != nil else { return false }
        labels.settings.fieldDetail = nil
        rebuildLabels()
        if let p = labels.fieldListPosition {
            labels.cursors[.fields] = p.cursor
            labels.tops[.fields] = p.top
        }
        labels.fieldListPosition = nil
        clampLabels()
        return true
    }

    func isSelectable(_ row: GridRow) -> Bool { row.key != nil }

    /// Moves the row cursor by `n`, skipping headings.
    mutating func moveLabels(_ n: Int) {
        let rows = labels.content.rows
        guard !rows.isEmpty else { return }
        var c = min(max(0, clampedAdd(labels.cursor, n)), rows.count - 1)
        let step = n >= 0 ? 1 : -1
        var probe = c
        while probe >= 0, probe < rows.count, !isSelectable(rows[probe]) { probe += step }
        if probe < 0 || probe >= rows.count {
            probe = c
            while probe >= 0, probe < rows.count, !isSelectable(rows[probe]) { probe -= step }
        }
        if probe >= 0, probe < rows.count { c = probe }
        labels.cursors[labels.section] = c
        scrollLabels()
    }

    mutating func scrollLabels() {
        let rows = labelsLayout.dataRows
        var t = scrolled(top: labels.top, cursor: labels.cursor, rows: rows)
        // Show headings just above the cursor when scrolling up to the top.
        let content = labels.content
        if t > 0, content.rows[..<t].allSatisfy({ !isSelectable($0) }) { t = 0 }
        labels.tops[labels.section] = min(t, max(0, content.rows.count - 1))
    }

    mutating func clampLabels() {
        let content = labels.content
        let n = content.rows.count
        let c = n == 0 ? 0 : min(labels.cursor, n - 1)
        labels.cursors[labels.section] = c
        labels.columns[labels.section] = min(labels.column, max(0, content.columns.count - 1))
        if n > 0, !isSelectable(content.rows[c]) { moveLabels(0) } else { scrollLabels() }
    }

    var labelsPageSize: Int { max(1, labelsLayout.dataRows) }

    mutating func findLabelsRow(_ text: String, forward: Bool) {
        let rows = labels.content.rows
        guard !rows.isEmpty else { return }
        let needle = text.lowercased()
        let n = rows.count
        for k in 1...n {
            let i = ((labels.cursor + (forward ? k : -k)) % n + n) % n
            if let key = rows[i].key, key.lowercased().contains(needle) {
                labels.cursors[labels.section] = i
                scrollLabels()
                if i == labels.cursor && k == n { message = StatusMessage("only this row matches \(text)") }
                return
            }
        }
        message = StatusMessage("no \(labels.section.title.lowercased()) row matches \(text)", kind: .error)
    }
}
