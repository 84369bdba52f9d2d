import AssayCore

/// The record table: `#` plus one column per role; malformed slots as error rows.
public struct BrowsePane: Pane {
    public init() {}

    public var id: PaneID { .browse }

    public var commands: [Command] {
        let s = CommandScope.pane(.browse)
        return [
            Command("browse.down", keys: [.char("j"), .down], scope: s, help: "next record",
                    hint: "move", hintKeys: "j/k", action: .move(1)),
            Command("browse.up", keys: [.char("k"), .up], scope: s, help: "previous record", action: .move(-1)),
            Command("browse.pageDown", keys: [.pageDown, .char(" "), .ctrl("f")], scope: s, help: "page down", action: .page(1)),
            Command("browse.pageUp", keys: [.pageUp, .ctrl("b")], scope: s, help: "page up", action: .page(-1)),
            Command("browse.halfDown", keys: [.ctrl("d")], scope: s, help: "half a page down", action: .halfPage(1)),
            Command("browse.halfUp", keys: [.ctrl("u")], scope: s, help: "half a page up", action: .halfPage(-1)),
            Command("browse.top", keys: [.char("g"), .home], scope: s, help: "first record", action: .top),
            Command("browse.bottom", keys: [.char("G"), .end], scope: s, help: "last record (follows the end while indexing)", action: .bottom),
            Command("browse.jump", keys: [.char(":")], scope: s, help: "jump to record number N (as in the # column)",
                    hint: "jump", hintKeys: ":N", action: .openPrompt(.jump)),
            Command("browse.open", keys: [.enter], scope: s, help: "open the record: every field, wrapped",
                    hint: "open", action: .openDetail),
            Command("browse.search", keys: [.char("/")], scope: s, help: "search: /regex in the text, /field:regex in a field",
                    hint: "search", action: .openPrompt(.search)),
            Command("browse.searchNext", keys: [.char("n")], scope: s, help: "next search match", action: .searchNext(forward: true)),
            Command("browse.searchPrevious", keys: [.char("N")], scope: s, help: "previous search match", action: .searchNext(forward: false)),
            Command("browse.filter", keys: [.char("f"), .char("|")], scope: s, help: "filter with an expression (see below)",
                    hint: "filter", action: .openPrompt(.filter)),
            Command("browse.clear", keys: [.char("c")], scope: s, help: "clear the filter and the search", action: .clearFilter),
            Command("browse.columnLeft", keys: [.char("h"), .left], scope: s, help: "select the column to the left", action: .scrollColumns(-1)),
            Command("browse.columnRight", keys: [.char("l"), .right], scope: s, help: "select the column to the right",
                    hint: "columns", hintKeys: "h/l", action: .scrollColumns(1)),
            Command("browse.hideColumn", keys: [.char("-")], scope: s, help: "hide the selected column", action: .hideColumn),
            Command("browse.showColumns", keys: [.char("+"), .char("=")], scope: s, help: "show all columns again", action: .showAllColumns),
            Command("browse.malformed", keys: [.char("m")], scope: s, help: "list malformed lines (Enter jumps to one), notices and skipped files",
                    hint: "malformed", action: .showMalformed),
        ]
    }

    public func render(_ ctx: RenderContext, into buf: inout ScreenBuffer, area: Rect) {
        let state = ctx.state
        let theme = ctx.theme
        guard area.height >= 2 else { return }
        let cols = state.browse.visibleColumns
        let nw = TableLayout.numberWidth(recordCount: max(state.recordCount, (state.filter?.matches.last ?? 0) + 1))
        let placed = TableLayout.place(cols, first: state.browse.firstColumn, numberWidth: nw, width: area.width)

        // Header
        let hy = area.y
        buf.fill(area.row(0), style: theme.header)
        buf.write(pad("#", nw, right: true), x: area.x, y: hy, maxWidth: nw, style: theme.header, theme: theme)
        if state.browse.firstColumn > 0 {
            buf.write("‹", x: area.x, y: hy, maxWidth: 1, style: theme.header, theme: theme)
        }
        for p in placed {
            let style = p.index == state.browse.selectedColumn ? theme.headerSelected : theme.header
            let title = TextLayout.fit(Sanitizer.spans(p.column.title, maxWidth: p.width + 1), to: p.width)
            buf.write(title, x: area.x + p.x, y: hy, maxWidth: p.width, base: style, theme: theme)
        }
        if let last = placed.last, last.index < cols.count - 1 {
            buf.write("›", x: area.maxX - 1, y: hy, maxWidth: 1, style: theme.header, theme: theme)
        }

        // Rows
        let rows = area.height - 1
        let count = state.viewCount
        if count == 0 {
            let msg: String
            if let f = state.filter {
                msg = f.isRunning ? "no matches yet, scanning… \(percent(f.scanned, max(1, state.recordCount)))" : "no records match the filter"
            } else {
                msg = state.indexProgress.isComplete ? "no records" : "indexing…"
            }
            buf.write(msg, x: area.x + nw + 1, y: hy + 1, maxWidth: area.width - nw - 1, style: theme.dim, theme: theme)
            return
        }
        for r in 0..<rows {
            let row = state.browse.top + r
            guard let index = state.recordIndex(atRow: row) else { break }
            let y = hy + 1 + r
            let selected = row == state.browse.cursor
            let base = selected ? theme.selectedRow : theme.normal
            if selected { buf.fill(area.row(1 + r), style: base) }
            let numberStyle: Style = {
                if let s = state.search, s.contains(index) { return base.layered(theme.match) }
                return selected ? base : base.layered(theme.dim)
            }()
            buf.write(pad(String(index + 1), nw, right: true), x: area.x, y: y, maxWidth: nw, style: numberStyle, theme: theme)
            switch ctx.source.record(at: index) {
            case .malformed(let m, _):
                let style = selected ? base : base.layered(theme.errorRow)
                var spans = [Span("✗ malformed line \(m.line): ", .emphasis)]
                spans += Sanitizer.spans(m.reason, maxWidth: area.width)
                let w = area.width - nw - 1
                buf.write(TextLayout.truncate(spans, to: w), x: area.x + nw + 1, y: y, maxWidth: w, base: style, theme: theme)
            case .record(let record):
                for p in placed {
                    guard let text = Self.cellText(record, column: p.column, roles: state.roles) else {
                        // Missing or null: a dim mark, so an unlabelled record stands out.
                        buf.write([Span("∅", .dim)], x: area.x + p.x, y: y, maxWidth: p.width, base: base, theme: theme)
                        continue
                    }
                    let spans = TextLayout.truncate(Sanitizer.spans(text, maxWidth: p.width + 1), to: p.width)
                    buf.write(spans, x: area.x + p.x, y: y, maxWidth: p.width, base: base, theme: theme)
                }
            }
        }
    }

    /// The raw (unsanitised) text of a cell.
    static func cellText(_ record: Record, column: TableColumn, roles: Roles) -> String? {
        switch column.id {
        case "text": return roles.text(of: record)
        case "record": return record.value.compactJSON
        default:
            guard let f = column.field, let v = record.field(f) else { return nil }
            return v == .null ? nil : v.displayText
        }
    }
}

func pad(_ s: String, _ width: Int, right: Bool = false) -> String {
    let w = TextWidth.of(s)
    if w >= width { return s }
    let fill = String(repeating: " ", count: width - w)
    return right ? fill + s : s + fill
}
