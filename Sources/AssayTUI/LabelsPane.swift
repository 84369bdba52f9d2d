import AssayCore

/// Where the Labels pane's parts go inside the body: the view tabs, summary lines,
/// the table (header + rows) and the footer naming what Enter does. A function of
/// the area and the content, so key handling (page size) and drawing agree.
struct LabelsLayout {
    var tabs: Rect
    var summary: [[Span]]
    var summaryRect: Rect
    var table: Rect
    var footer: Rect?

    /// Rows of data the table shows.
    var dataRows: Int { max(1, table.height - 1) }

    init(area: Rect, content: SectionContent) {
        let (tabs, rest) = area.splitTop(1)
        self.tabs = tabs
        var body = rest
        if body.height >= 5 {
            let (b, f) = body.splitBottom(1)
            body = b
            footer = f
        }
        let width = max(1, body.width - 1)
        // Keep the table at least a header and three rows high.
        let room = max(0, body.height - 4)
        let wrap: ([Span]) -> [[Span]] = { TextLayout.wrap($0, width: width) }
        let summaryWrapped = content.summary.flatMap(wrap)
        let notesWrapped = content.notes.flatMap(wrap)
        var lines: [[Span]]
        if summaryWrapped.count + notesWrapped.count <= room {
            lines = summaryWrapped + notesWrapped
        } else if summaryWrapped.count <= room {
            lines = summaryWrapped
            let left = room - summaryWrapped.count
            if left > 0 {
                var notes = Array(notesWrapped.prefix(left))
                notes[notes.count - 1] = TextLayout.truncate(notes[notes.count - 1] + [Span("…", .dim)], to: width)
                lines += notes
            }
        } else {
            lines = content.summary.prefix(room).map { TextLayout.truncate($0, to: width) }
        }
        summary = lines
        let (s, t) = body.splitTop(lines.count)
        summaryRect = s
        table = t
    }
}

/// The Labels & coverage pane: label histogram, per-split shares, cross-tabs, field
/// integrity and text lengths, filled in while the stats scan runs. Enter on a
/// number opens Browse filtered to exactly those records.
public struct LabelsPane: Pane {
    public init() {}

    public var id: PaneID { .labels }

    public var commands: [Command] {
        let s = CommandScope.pane(.labels)
        return [
            Command("labels.labels", keys: [.char("l")], scope: s, help: "labels: one bar per label, with count and share",
                    hint: "views", hintKeys: "l/s/c/i/t", action: .labels(.section(.labels))),
            Command("labels.splits", keys: [.char("s")], scope: s, help: "splits: each label's share per split, differences flagged",
                    action: .labels(.section(.splits))),
            Command("labels.crossTab", keys: [.char("c")], scope: s, help: "cross-tab: label × a field, empty and thin cells flagged",
                    action: .labels(.section(.crossTab))),
            Command("labels.fields", keys: [.char("i")], scope: s, help: "field integrity: types, missing and empty rates, distinct and top values",
                    action: .labels(.section(.fields))),
            Command("labels.text", keys: [.char("t")], scope: s, help: "text lengths: characters and words, overall and per label",
                    action: .labels(.section(.text))),
            Command("labels.down", keys: [.char("j"), .down], scope: s, help: "next row", hint: "move", hintKeys: "j/k", action: .move(1)),
            Command("labels.up", keys: [.char("k"), .up], scope: s, help: "previous row", action: .move(-1)),
            Command("labels.pageDown", keys: [.pageDown, .char(" "), .ctrl("f")], scope: s, help: "page down", action: .page(1)),
            Command("labels.pageUp", keys: [.pageUp, .ctrl("b")], scope: s, help: "page up", action: .page(-1)),
            Command("labels.halfDown", keys: [.ctrl("d")], scope: s, help: "half a page down", action: .halfPage(1)),
            Command("labels.halfUp", keys: [.ctrl("u")], scope: s, help: "half a page up", action: .halfPage(-1)),
            Command("labels.top", keys: [.char("g"), .home], scope: s, help: "first row", action: .top),
            Command("labels.bottom", keys: [.char("G"), .end], scope: s, help: "last row", action: .bottom),
            Command("labels.left", keys: [.left, .char("[")], scope: s, help: "select the cell to the left (splits, cross-tab)",
                    action: .labels(.column(-1))),
            Command("labels.right", keys: [.right, .char("]")], scope: s, help: "select the cell to the right (splits, cross-tab)",
                    hint: "cell", hintKeys: "←/→", action: .labels(.column(1))),
            Command("labels.drill", keys: [.enter], scope: s,
                    help: "drill down: Browse filtered to exactly the records behind the number (the filter is shown); on a field, its values",
                    hint: "drill down", action: .labels(.drill)),
            Command("labels.sort", keys: [.char("o")], scope: s, help: "sort order: labels by count or name; splits by spread, count or name",
                    hint: "sort", action: .labels(.sort)),
            Command("labels.find", keys: [.char("/")], scope: s, help: "find a row by name (a label, a field, a value)",
                    hint: "find", action: .openPrompt(.find)),
            Command("labels.findNext", keys: [.char("n")], scope: s, help: "next row that matches the find", action: .labels(.findNext(forward: true))),
            Command("labels.findPrevious", keys: [.char("N")], scope: s, help: "previous row that matches the find", action: .labels(.findNext(forward: false))),
            Command("labels.nextField", keys: [.char("f")], scope: s, help: "cross-tab: the next low-cardinality field (split, source, lang, ...)",
                    hint: "field", hintKeys: "f/F", action: .labels(.crossField(1))),
            Command("labels.previousField", keys: [.char("F")], scope: s, help: "cross-tab: the previous field", action: .labels(.crossField(-1))),
            Command("labels.thinUp", keys: [.char("+"), .char("=")], scope: s, help: "raise the thin-cell threshold (share of the expected count)",
                    hint: "thin", hintKeys: "+/-", action: .labels(.thin(1))),
            Command("labels.thinDown", keys: [.char("-")], scope: s, help: "lower the thin-cell threshold", action: .labels(.thin(-1))),
            Command("labels.words", keys: [.char("w")], scope: s, help: "text lengths in characters or in words", action: .labels(.toggleWords)),
            Command("labels.emptyTexts", keys: [.char("e")], scope: s, help: "Browse the empty and blank texts", action: .labels(.emptyTexts)),
            Command("labels.shortTexts", keys: [.char("<")], scope: s, help: "Browse the very short texts (< 5 chars, or 2 words)", action: .labels(.shortTexts)),
            Command("labels.longTexts", keys: [.char(">")], scope: s, help: "Browse the longest texts (over the 99th percentile)", action: .labels(.longTexts)),
            Command("labels.malformed", keys: [.char("m")], scope: s, help: "list malformed lines (Enter jumps to one), notices and skipped files", action: .showMalformed),
        ]
    }

    public func render(_ ctx: RenderContext, into buf: inout ScreenBuffer, area: Rect) {
        let state = ctx.state
        let theme = ctx.theme
        let ls = state.labels
        let content = ls.content
        let lay = LabelsLayout(area: area, content: content)
        Self.renderTabs(ls, theme: theme, into: &buf, area: lay.tabs, indexProgress: state.indexProgress)
        guard lay.table.height > 0 else { return }

        guard ls.available else {
            buf.write("Label statistics need a dataset read from files.", x: area.x + 1, y: lay.tabs.maxY,
                      maxWidth: area.width - 1, style: theme.dim, theme: theme)
            return
        }
        guard ls.acc != nil else {
            let msg = state.indexProgress.isComplete ? "scanning… the numbers appear as the scan goes"
                : "waiting for the index (\(Int(state.indexProgress.fraction * 100))%), then scanning…"
            buf.write(msg, x: area.x + 1, y: lay.tabs.maxY, maxWidth: area.width - 1, style: theme.dim, theme: theme)
            return
        }
        for (i, line) in lay.summary.enumerated() {
            buf.write(line, x: lay.summaryRect.x + 1, y: lay.summaryRect.y + i, maxWidth: lay.summaryRect.width - 1,
                      base: theme.normal, theme: theme)
        }
        if content.rows.isEmpty {
            buf.write(content.empty, x: lay.table.x + 1, y: lay.table.y, maxWidth: lay.table.width - 1, style: theme.dim, theme: theme)
        } else {
            GridView.render(content, cursor: ls.cursor, top: ls.top, column: content.cellCursor ? ls.column : nil,
                            theme: theme, into: &buf, area: lay.table)
        }
        if let f = lay.footer {
            Self.renderFooter(ls, theme: theme, into: &buf, area: f)
        }
    }

    /// `l Labels  s Splits ...` with the current view highlighted, and the scan's progress.
    static func renderTabs(_ ls: LabelsState, theme: Theme, into buf: inout ScreenBuffer, area: Rect, indexProgress: IndexProgress) {
        buf.fill(area, style: theme.header)
        let progress: String
        if !ls.available {
            progress = ""
        } else if ls.isComplete {
            progress = "exact: \(ls.model.records.grouped) records "
        } else if ls.acc == nil {
            progress = indexProgress.isComplete ? "scanning… " : "indexing \(Int(indexProgress.fraction * 100))% "
        } else {
            progress = "scanning \(percent(ls.done, max(1, ls.total))), partial "
        }
        let pw = TextWidth.of(progress)
        let full = LabelsSection.allCases.map { " \($0.key) \($0.title) " }
        let compact = LabelsSection.allCases.map { $0 == ls.section ? " \($0.key) \($0.title) " : " \($0.key) " }
        let fullWidth = full.reduce(0) { $0 + TextWidth.of($1) }
        let labels = fullWidth + pw + 1 <= area.width ? full : compact
        var x = area.x
        for (i, s) in LabelsSection.allCases.enumerated() {
            let style = s == ls.section ? theme.headerSelected : theme.header
            x += buf.write(labels[i], x: x, y: area.y, maxWidth: max(0, area.maxX - x), style: style, theme: theme)
        }
        if pw > 0, x + pw + 1 <= area.maxX {
            buf.write(progress, x: area.maxX - pw, y: area.y, maxWidth: pw, style: theme.header, theme: theme)
        }
    }

    /// What Enter does here: the filter it applies (so the user learns it) and the count.
    static func renderFooter(_ ls: LabelsState, theme: Theme, into buf: inout ScreenBuffer, area: Rect) {
        var spans: [Span]
        switch ls.selectedAction {
        case .drill(let d)?:
            spans = [Span(" Enter ", .key), Span("→ filter ", .dim)]
            spans += Sanitizer.spans(d.expression, maxWidth: area.width).map { Span($0.text, $0.role == .normal ? .literal : $0.role) }
            spans += [Span("  (\(d.count.grouped)\(ls.isComplete ? "" : " so far"))", .dim)]
        case .openField(let p)?:
            spans = [Span(" Enter ", .key), Span("→ the values of ", .dim)] + Sanitizer.spans(p, maxWidth: area.width)
        case .showMalformed?:
            spans = [Span(" Enter ", .key), Span("→ the list of malformed lines", .dim)]
        case nil:
            spans = ls.content.rows.isEmpty ? [] : [Span(" nothing to drill into on this row", .dim)]
        }
        buf.write(TextLayout.truncate(spans, to: area.width), x: area.x, y: area.y, maxWidth: area.width, base: theme.normal, theme: theme)
    }
}

/// Draws a `SectionContent` table: frozen columns on the left, the rest scrolled
/// sideways to keep the selected cell in view; bars scale to their column.
enum GridView {
    struct Placed {
        var index: Int
        var x: Int
        var width: Int
    }

    /// Column positions: frozen columns, then scrolled ones from the first that
    /// keeps `column` visible; the flexible column takes what is left.
    static func place(_ columns: [GridColumn], frozen: Int, column: Int?, width: Int) -> (placed: [Placed], scrolled: Bool, more: Bool) {
        let gap = 1
        var x = 0
        var placed: [Placed] = []
        let nFrozen = min(frozen, columns.count)
        var columns = columns
        var spare = width - columns.reduce(-gap) { $0 + $1.width + gap }
        for i in columns.indices where spare > 0 {
            guard let wanted = columns[i].upTo, wanted > columns[i].width else { continue }
            let add = min(spare, wanted - columns[i].width)
            columns[i].width += add
            spare -= add
        }
        for i in 0..<nFrozen {
            placed.append(Placed(index: i, x: x, width: columns[i].width))
            x += columns[i].width + gap
        }
        let start = x
        func fits(from first: Int, through last: Int) -> Bool {
            var w = start
            for i in first...last { w += columns[i].width + gap }
            return w - gap <= width
        }
        var first = nFrozen
        if let c = column, c >= nFrozen, c < columns.count {
            while first < c, !fits(from: first, through: c) { first += 1 }
        }
        var more = false
        for i in first..<columns.count {
            var w = columns[i].width
            let left = width - x
            if columns[i].flexible { w = max(w, left) }
            if w > left {
                if columns[i].flexible && left >= 4 {
                    w = left
                } else {
                    more = true
                    break
                }
            }
            placed.append(Placed(index: i, x: x, width: w))
            x += w + gap
        }
        return (placed, first > nFrozen, more)
    }

    static func render(_ c: SectionContent, cursor: Int, top: Int, column: Int?, theme: Theme,
                       into buf: inout ScreenBuffer, area: Rect) {
        let inner = Rect(x: area.x + 1, y: area.y, width: area.width - 1, height: area.height)
        let (placed, scrolled, more) = place(c.columns, frozen: c.frozen, column: column, width: inner.width)
        // Header
        buf.fill(area.row(0), style: theme.header)
        for p in placed {
            let col = c.columns[p.index]
            let spans = Sanitizer.spans(col.title, maxWidth: p.width + 1)
            let fitted = col.rightAligned ? rightAlign(spans, p.width) : TextLayout.fit(spans, to: p.width)
            buf.write(fitted, x: inner.x + p.x, y: area.y, maxWidth: p.width, base: theme.header, theme: theme)
        }
        if scrolled { buf.write("‹", x: area.x, y: area.y, maxWidth: 1, style: theme.header, theme: theme) }
        if more { buf.write("›", x: area.maxX - 1, y: area.y, maxWidth: 1, style: theme.header, theme: theme) }

        let rows = area.height - 1
        let first = min(max(0, top), max(0, c.rows.count - 1))
        for r in 0..<rows {
            let i = first + r
            guard i < c.rows.count else { break }
            let row = c.rows[i]
            let y = area.y + 1 + r
            let selected = i == cursor && row.key != nil
            var base = selected ? theme.selectedRow : theme.normal
            if row.role == .emphasis { base = theme.sectionTitle }
            if selected { buf.fill(area.row(1 + r), style: base) }
            if row.role == .emphasis || row.cells.count == 1 {
                // A heading or note spans the table.
                if case .spans(let s)? = row.cells.first {
                    buf.write(TextLayout.truncate(s, to: inner.width), x: inner.x, y: y, maxWidth: inner.width, base: base, theme: theme)
                }
                continue
            }
            if selected { buf.write("▸", x: area.x, y: y, maxWidth: 1, style: base, theme: theme) }
            for p in placed {
                guard p.index < row.cells.count else { continue }
                let col = c.columns[p.index]
                var cellBase = base
                if selected, let column, column == p.index, column > 0 { cellBase = theme.selectedCell }
                switch row.cells[p.index] {
                case .spans(let s):
                    let fitted = col.rightAligned ? rightAlign(s, p.width) : TextLayout.truncate(s, to: p.width)
                    if cellBase != base { buf.fill(Rect(x: inner.x + p.x, y: y, width: p.width, height: 1), style: cellBase) }
                    buf.write(fitted, x: inner.x + p.x, y: y, maxWidth: p.width, base: cellBase, theme: theme)
                case .keepingTail(let s, let tail):
                    let fitted = s.width + tail.width <= p.width || tail.width + 2 > p.width
                        ? TextLayout.truncate(s + tail, to: p.width) : TextLayout.truncate(s, to: p.width - tail.width) + tail
                    if cellBase != base { buf.fill(Rect(x: inner.x + p.x, y: y, width: p.width, height: 1), style: cellBase) }
                    buf.write(fitted, x: inner.x + p.x, y: y, maxWidth: p.width, base: cellBase, theme: theme)
                case .bar(let fraction, let role):
                    buf.write([Span(bar(fraction, width: p.width), role)], x: inner.x + p.x, y: y, maxWidth: p.width, base: cellBase, theme: theme)
                }
            }
        }
        if c.rows.count > rows, rows > 0 {
            let pos = "\(min(c.rows.count, cursor + 1))/\(c.rows.count) "
            let w = TextWidth.of(pos)
            if let last = placed.last, inner.x + last.x + TextWidth.of(c.columns[last.index].title) + 1 < area.maxX - w {
                buf.write(pos, x: area.maxX - w, y: area.y, maxWidth: w, style: theme.header, theme: theme)
            }
        }
    }

    static func rightAlign(_ spans: [Span], _ width: Int) -> [Span] {
        let t = TextLayout.truncate(spans, to: width)
        let w = t.width
        return w < width ? [Span(String(repeating: " ", count: width - w))] + t : t
    }

    static let eighths = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]

    /// A bar of `fraction` (0...1) of `width` cells, in eighths; never empty for a non-zero value.
    static func bar(_ fraction: Double, width: Int) -> String {
        guard width > 0, fraction > 0 else { return "" }
        let units = max(1, Int((min(1, fraction) * Double(width * 8)).rounded()))
        return String(repeating: "█", count: units / 8) + eighths[units % 8]
    }
}
