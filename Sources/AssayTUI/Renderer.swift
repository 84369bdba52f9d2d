import AssayCore

/// Draws a whole frame from the state. Reads only the records on screen.
public enum Renderer {
    public static func render(_ ctx: RenderContext, registry: PaneRegistry) -> ScreenBuffer {
        let state = ctx.state
        var buf = ScreenBuffer(size: state.screenSize)
        let layout = state.layout
        if layout.isTooSmall {
            TooSmallView.render(size: state.screenSize, into: &buf, theme: ctx.theme)
            ctx.cache.overlayLineCount = 0
            return buf
        }
        TitleBar.render(ctx, registry: registry, into: &buf, area: layout.titleBar)
        switch state.topOverlay {
        case .detail(let scroll)?:
            DetailView.render(ctx, scroll: scroll, into: &buf, area: layout.body)
        case .help(let scroll)?:
            HelpView.render(ctx, scroll: scroll, into: &buf, area: layout.body)
        case .malformedList(let selected, let top)?:
            MalformedListView.render(ctx, selected: selected, top: top, into: &buf, area: layout.body)
        case nil:
            ctx.cache.overlayLineCount = 0
            registry.pane(state.activePane)?.render(ctx, into: &buf, area: layout.body)
        }
        if let p = state.prompt, p.error != nil {
            PromptLine.render(ctx, prompt: p, into: &buf, area: layout.statusBar)
            PromptLine.renderError(ctx, prompt: p, into: &buf, area: layout.bottomLine)
        } else {
            StatusBar.render(ctx, into: &buf, area: layout.statusBar)
            if let p = state.prompt {
                PromptLine.render(ctx, prompt: p, into: &buf, area: layout.bottomLine)
            } else {
                MessageLine.render(ctx, into: &buf, area: layout.bottomLine)
            }
        }
        return buf
    }
}

/// "terminal too small", centred, instead of a squashed screen.
enum TooSmallView {
    /// The message, from the whole one to shorter ones for tiny terminals, as paragraphs
    /// that wrap at spaces; the first one that fits without breaking a word is shown.
    static func wordings(_ size: Size) -> [[String]] {
        let need = "\(ScreenLayout.minimumSize.width)x\(ScreenLayout.minimumSize.height)"
        return [["terminal too small", "need \(need), have \(size.width)x\(size.height)", "q quits"],
                ["too small", "need \(need)", "q quits"],
                ["need \(need)", "q quits"],
                ["need \(need)"],
                [need]]
    }

    /// Lines of the first wording that fits `size` (the last one, cut, when none does);
    /// `headline` is how many of them come from the first paragraph.
    static func lines(_ size: Size) -> (lines: [String], headline: Int) {
        func wrap(_ paragraphs: [String]) -> [[String]] {
            paragraphs.map { TextLayout.wrap([Span($0)], width: max(1, size.width)).map(\.plainText) }
        }
        let all = wordings(size)
        for paragraphs in all.dropLast() {
            let wrapped = wrap(paragraphs)
            let wordsFit = paragraphs.allSatisfy { $0.split(separator: " ").allSatisfy { TextWidth.of($0) <= size.width } }
            if wordsFit && wrapped.joined().count <= size.height { return (Array(wrapped.joined()), wrapped[0].count) }
        }
        let last = wrap(all[all.count - 1])
        return (Array(last.joined()), last[0].count)
    }

    static func render(size: Size, into buf: inout ScreenBuffer, theme: Theme) {
        let (lines, headline) = lines(size)
        let top = max(0, (size.height - lines.count) / 2)
        for (i, l) in lines.enumerated() where top + i < size.height {
            let w = TextWidth.of(l)
            let x = max(0, (size.width - w) / 2)
            buf.write(l, x: x, y: top + i, maxWidth: size.width - x, style: i < headline ? theme.error : theme.normal, theme: theme)
        }
    }
}

/// Row 0: app name, one tab per registered pane, help key.
enum TitleBar {
    static func render(_ ctx: RenderContext, registry: PaneRegistry, into buf: inout ScreenBuffer, area: Rect) {
        let theme = ctx.theme
        buf.fill(area, style: theme.titleBar)
        var x = area.x
        x += buf.write(" assay ", x: x, y: area.y, maxWidth: area.width, style: theme.titleBar.adding(.bold), theme: theme)
        for (i, id) in registry.ids.enumerated() {
            let label = " \(i + 1) \(id.title) "
            let style = id == ctx.state.activePane ? theme.titleActiveTab : theme.titleBar
            x += buf.write(label, x: x, y: area.y, maxWidth: max(0, area.maxX - x), style: style, theme: theme)
        }
        let right = "? help "
        let rw = TextWidth.of(right)
        if area.maxX - rw > x + 1 {
            buf.write(right, x: area.maxX - rw, y: area.y, maxWidth: rw, style: theme.titleBar, theme: theme)
        }
    }
}

/// The status bar: file, position, filter, search, indexing, malformed count.
enum StatusBar {
    /// How much room each part may take; tried from roomy to tight.
    struct Budget {
        var file: Int
        var expression: Int
        var pattern: Int
        var verbose: Bool
        var showRow = true
    }

    static let budgets = [
        Budget(file: 28, expression: 28, pattern: 16, verbose: true),
        Budget(file: 20, expression: 18, pattern: 10, verbose: true),
        Budget(file: 20, expression: 18, pattern: 10, verbose: true, showRow: false),
        Budget(file: 14, expression: 12, pattern: 8, verbose: false),
    ]

    static func tail(_ spans: [Span], _ width: Int) -> [Span] {
        guard spans.width > width else { return spans }
        var tail = ""
        for c in spans.plainText.reversed() {
            if TextWidth.of(tail) + TextWidth.of(String(c)) > width - 1 { break }
            tail = String(c) + tail
        }
        return [Span("…", .dim), Span(tail, .emphasis)]
    }

    static func spans(_ state: AppState, width: Int = .max) -> [Span] {
        var out: [Span] = []
        for b in budgets {
            out = spans(state, budget: b)
            if out.width <= width { break }
        }
        return out
    }

    static func spans(_ state: AppState, budget b: Budget) -> [Span] {
        var parts: [[Span]] = []
        // Long paths keep their tail: …/samples/tickets.jsonl
        let name = Sanitizer.spans(state.displayName).map { Span($0.text, $0.role == .normal ? .emphasis : $0.role) }
        parts.append(tail(name, b.file))

        let total = state.recordCount.grouped + (state.indexProgress.isComplete ? "" : "+")
        let current = state.currentRecord.map { ($0 + 1).grouped } ?? "-"
        var pos = (b.verbose ? "record " : "#") + current + "/" + total
        if let f = state.filter, b.showRow {
            pos += (b.verbose ? " · row " : " ") + "\(f.matches.isEmpty ? 0 : state.browse.cursor + 1)/\(f.matches.count.grouped)"
        }
        parts.append([Span(pos)])

        if let f = state.filter {
            var s: [Span] = [Span(b.verbose ? "filter " : "f ", .emphasis)]
            s += TextLayout.truncate(Sanitizer.spans(f.expression.text, maxWidth: 60), to: b.expression)
            var tail = " \(f.matches.count.grouped)" + (b.verbose ? " match\(f.matches.count == 1 ? "" : "es")" : "")
            if f.isRunning { tail += " \(percent(f.scanned, max(f.total, state.recordCount)))" }
            if f.isCancelled { tail += " (stopped)" }
            s.append(Span(tail))
            parts.append(s)
        }
        if let s = state.search {
            var sp: [Span] = [Span("/", .emphasis)]
            sp += TextLayout.truncate(Sanitizer.spans(s.pattern, maxWidth: 40), to: b.pattern)
            var tail = " \(s.matchCount.grouped)"
            if s.isRunning { tail += " \(percent(s.scanned, max(s.total, state.recordCount)))" }
            if s.isCancelled { tail += " (stopped)" }
            sp.append(Span(tail))
            parts.append(sp)
        }
        if !state.indexProgress.isComplete {
            parts.append([Span((b.verbose ? "indexing " : "idx ") + "\(Int(state.indexProgress.fraction * 100))%")])
        }
        let m = state.malformed
        if !m.entries.isEmpty {
            parts.append([Span("\(m.entries.count.grouped) malformed" + (b.verbose && b.showRow ? " (m)" : ""), .emphasis)])
        }
        var out: [Span] = [Span(" ")]
        for (i, p) in parts.enumerated() {
            if i > 0 { out.append(Span(" │ ")) }
            out += p
        }
        return out
    }

    static func render(_ ctx: RenderContext, into buf: inout ScreenBuffer, area: Rect) {
        buf.fill(area, style: ctx.theme.statusBar)
        let s = TextLayout.truncate(spans(ctx.state, width: area.width), to: area.width)
        buf.write(s, x: area.x, y: area.y, maxWidth: area.width, base: ctx.theme.statusBar, theme: ctx.theme)
    }
}

/// The bottom line when no prompt is open: the message, or key hints.
enum MessageLine {
    static func render(_ ctx: RenderContext, into buf: inout ScreenBuffer, area: Rect) {
        let theme = ctx.theme
        if let m = ctx.state.message {
            let style = m.kind == .error ? theme.error : theme.message
            buf.write(TextLayout.truncate(Sanitizer.spans(" " + m.text), to: area.width), x: area.x, y: area.y,
                      maxWidth: area.width, base: style, theme: theme)
            return
        }
        var spans: [Span] = []
        for (keys, hint) in ctx.commands.hints(in: ctx.state.activeScopes) {
            let piece = [Span(" " + keys, .key), Span(" " + hint + " ", .dim)]
            if (spans + piece).width > area.width { break }
            spans += piece
        }
        buf.write(spans, x: area.x, y: area.y, maxWidth: area.width, base: theme.normal, theme: theme)
    }
}

/// The `/`, `filter:` and `:` prompt, with a block cursor and the error caret.
enum PromptLine {
    /// First character shown, so the cursor stays visible in `width` cells: the first from
    /// which the text up to the cursor takes fewer than `width - 1` cells. Found by walking
    /// back from the cursor, so only what is shown is measured.
    static func scrollOffset(_ p: PromptState, width: Int) -> Int {
        var offset = p.cursor
        var w = 0
        while offset > 0 {
            let c = TextWidth.of(String(p.characters[offset - 1]))
            if w + c >= width - 1 { break }
            w += c
            offset -= 1
        }
        return offset
    }

    static func render(_ ctx: RenderContext, prompt p: PromptState, into buf: inout ScreenBuffer, area: Rect) {
        let theme = ctx.theme
        buf.fill(area, style: theme.normal)
        let label = p.kind.label
        let lw = buf.write(label, x: area.x, y: area.y, maxWidth: area.width, style: theme.promptLabel, theme: theme)
        let room = area.width - lw
        guard room > 1 else { return }
        let chars = p.characters
        let offset = scrollOffset(p, width: room)
        var x = area.x + lw
        for i in offset...chars.count {
            if x >= area.maxX { break }
            let isCursor = i == p.cursor
            let isError = p.error.map { min($0.position, chars.count) == i } ?? false
            var style = theme.normal
            if isError { style = style.layered(theme.error).adding(.underline) }
            if isCursor { style = style.adding(.reverse) }
            let text = i < chars.count ? String(chars[i]) : " "
            x += buf.write(Sanitizer.spans(text), x: x, y: area.y, maxWidth: area.maxX - x, base: style, theme: theme)
        }
    }

    static func renderError(_ ctx: RenderContext, prompt p: PromptState, into buf: inout ScreenBuffer, area: Rect) {
        guard let e = p.error else { return }
        let theme = ctx.theme
        buf.fill(area, style: theme.normal)
        let lw = TextWidth.of(p.kind.label)
        let chars = p.characters
        let offset = scrollOffset(p, width: area.width - lw)
        let pos = min(e.position, chars.count)
        let col = lw + (pos >= offset ? TextWidth.of(String(chars[offset..<pos])) : 0)
        let text = p.kind == .filter ? e.description : e.message
        let msg = "^ " + text
        if col + TextWidth.of(msg) <= area.width {
            buf.write(msg, x: area.x + col, y: area.y, maxWidth: area.width - col, style: theme.error, theme: theme)
        } else {
            let left = text + " ^"
            let x = max(0, col + 1 - TextWidth.of(left))
            buf.write(left, x: area.x + x, y: area.y, maxWidth: area.width - x, style: theme.error, theme: theme)
        }
    }
}
