import AssayCore

/// The `?` screen, generated from the command table: one section per scope,
/// then the search/filter syntax.
public enum HelpView {
    public static func lines(_ table: CommandTable, width: Int) -> [[Span]] {
        var out: [[Span]] = []
        let keyWidth = min(22, max(12, table.commands.map { TextWidth.of($0.keyLabel) }.max() ?? 12))
        for scope in table.scopes {
            if !out.isEmpty { out.append([]) }
            out.append([Span(scope.description, .emphasis)])
            for c in table.commands(in: scope) {
                let keys = pad(c.keyLabel, keyWidth)
                let wrapped = TextLayout.wrap([Span(c.help)], width: max(10, width - keyWidth - 4))
                for (i, l) in wrapped.enumerated() {
                    out.append([Span("  "), Span(i == 0 ? keys : String(repeating: " ", count: keyWidth), .key), Span("  ")] + l)
                }
            }
        }
        out.append([])
        out.append([Span("Syntax", .emphasis)])
        for l in StandardCommands.syntaxHelp {
            for w in TextLayout.wrap([Span("  " + l)], width: width) { out.append(w) }
        }
        return out
    }

    static func render(_ ctx: RenderContext, scroll: Int, into buf: inout ScreenBuffer, area: Rect) {
        let theme = ctx.theme
        let width = area.width - 1
        let lines: [[Span]]
        if let h = ctx.cache.help, h.width == width {
            lines = h.lines
        } else {
            lines = Self.lines(ctx.commands, width: width)
            ctx.cache.help = (width, lines)
        }
        ctx.cache.overlayLineCount = lines.count
        buf.fill(area.row(0), style: theme.header)
        buf.write(" Keys (q or ? closes)", x: area.x, y: area.y, maxWidth: area.width, style: theme.header, theme: theme)
        let rows = area.height - 1
        let s = min(scroll, max(0, lines.count - rows))
        if lines.count > rows {
            let range = "\(s + 1)–\(min(lines.count, s + rows)) of \(lines.count) "
            let rw = TextWidth.of(range)
            buf.write(range, x: area.maxX - rw, y: area.y, maxWidth: rw, style: theme.header, theme: theme)
        }
        for r in 0..<rows {
            let i = s + r
            guard i < lines.count else { break }
            let line = lines[i].map { $0.role == .emphasis ? Span($0.text, .emphasis) : $0 }
            let base = lines[i].first?.role == .emphasis ? theme.sectionTitle : theme.normal
            buf.write(line, x: area.x + 1, y: area.y + 1 + r, maxWidth: width, base: base, theme: theme)
        }
    }
}

/// The list of malformed lines (`m`); Enter shows the slot in the table.
enum MalformedListView {
    static func render(_ ctx: RenderContext, selected: Int, top: Int, into buf: inout ScreenBuffer, area: Rect) {
        let theme = ctx.theme
        let m = ctx.state.malformed
        ctx.cache.overlayLineCount = m.entries.count
        buf.fill(area.row(0), style: theme.header)
        var title = " Malformed lines: \(m.entries.count.grouped)"
        if !m.isComplete {
            title += m.scanID != nil ? " (scanning \(percent(m.scanned, max(1, m.total))))" : " so far (indexing)"
        }
        buf.write(title, x: area.x, y: area.y, maxWidth: area.width, style: theme.header, theme: theme)
        // Notices and skipped files first, then a blank row.
        let notices = ctx.state.notices
        let noticeRows = min(ctx.state.noticeRows, area.height - 1)
        for r in 0..<max(0, noticeRows - 1) {
            let more = notices.count - (noticeRows - 1)
            let last = r == noticeRows - 2 && more > 0
            var spans = [Span(" ")] + Sanitizer.spans(notices[r], maxWidth: area.width)
            if last { spans = [Span(" … \((more + 1).grouped) more: assay stats lists them all", .dim)] }
            buf.write(TextLayout.truncate(spans, to: area.width), x: area.x, y: area.y + 1 + r, maxWidth: area.width,
                      base: theme.normal, theme: theme)
        }
        let listY = area.y + noticeRows
        let rows = area.height - 1 - noticeRows
        if m.entries.isEmpty {
            let text = m.isComplete ? "no malformed lines" : "none found yet"
            if rows > 0 { buf.write(text, x: area.x + 1, y: listY + 1, maxWidth: area.width - 1, style: theme.dim, theme: theme) }
            return
        }
        let lineWidth = max(4, String(m.entries.map(\.record.line).max() ?? 1).count)
        for r in 0..<max(0, rows) {
            let i = top + r
            guard i < m.entries.count else { break }
            let e = m.entries[i]
            let isSel = i == selected
            let base = isSel ? theme.selectedRow : theme.normal
            let y = listY + 1 + r
            if isSel { buf.fill(area.row(noticeRows + 1 + r), style: base) }
            var spans: [Span] = [Span(" line "), Span(pad(String(e.record.line), lineWidth, right: true), .number), Span("  ")]
            spans += Sanitizer.spans(e.record.file, maxWidth: 40).map { Span($0.text, $0.role == .normal ? .dim : $0.role) }
            spans.append(Span(": "))
            spans += Sanitizer.spans(e.record.reason, maxWidth: area.width)
            buf.write(TextLayout.truncate(spans, to: area.width), x: area.x, y: y, maxWidth: area.width,
                      base: isSel ? base : base.layered(theme.errorRow.foreground == .default ? .plain : Style(theme.errorRow.foreground)), theme: theme)
        }
    }
}
