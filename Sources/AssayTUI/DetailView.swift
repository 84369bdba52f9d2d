import AssayCore

/// Every field of one record: nested objects and arrays indented, long text
/// wrapped to the width, newlines kept, control characters escaped.
public enum DetailView {
    static func render(_ ctx: RenderContext, scroll: Int, into buf: inout ScreenBuffer, area: Rect) {
        let state = ctx.state
        let theme = ctx.theme
        guard let index = state.currentRecord else { return }
        let width = area.width - 1
        let key = RenderCache.DetailKey(index: index, width: width)
        let lines: [[Span]]
        if let c = ctx.cache.detail, c.key == key {
            lines = c.lines
        } else {
            let result = ctx.source.record(at: index)
            let file = result.record.flatMap { ctx.source.filePath(at: $0.fileIndex) }
            var raw: (bytes: [UInt8], truncated: Bool)? = nil
            if case .malformed = result { raw = ctx.source.rawRecord(at: index, limit: Self.rawLimit) }
            lines = Self.lines(for: result, roles: state.roles, width: width, file: file, raw: raw)
            ctx.cache.detail = (key, lines)
        }
        ctx.cache.overlayLineCount = lines.count

        // Title row
        buf.fill(area.row(0), style: theme.header)
        var title = " record \((index + 1).grouped) of \(state.recordCount.grouped)"
        if let f = state.filter { title += " · match \(state.browse.cursor + 1)/\(f.matches.count.grouped)" }
        let rows = area.height - 1
        let s = min(scroll, max(0, lines.count - rows))
        let range = lines.isEmpty ? "" : "lines \(s + 1)–\(min(lines.count, s + rows)) of \(lines.count) "
        buf.write(title, x: area.x, y: area.y, maxWidth: area.width, style: theme.header, theme: theme)
        let rw = TextWidth.of(range)
        if TextWidth.of(title) + rw + 2 <= area.width {
            buf.write(range, x: area.maxX - rw, y: area.y, maxWidth: rw, style: theme.header, theme: theme)
        }
        for r in 0..<rows {
            let i = s + r
            guard i < lines.count else { break }
            buf.write(lines[i], x: area.x + 1, y: area.y + 1 + r, maxWidth: width, base: theme.normal, theme: theme)
        }
    }

    /// The most of a malformed record's bytes its detail shows (a broken line can be a
    /// whole file).
    static let rawLimit = 64 << 10

    /// The lines of the detail view of `result` for `width` cells; `file` names the file
    /// of a record read from several (a line number alone does not say where it is);
    /// `raw`: a malformed record's bytes as the file has them (invalid UTF-8 shows as �,
    /// control characters escaped).
    public static func lines(for result: RecordResult, roles: Roles, width: Int, file: String? = nil,
                             raw: (bytes: [UInt8], truncated: Bool)? = nil) -> [[Span]] {
        var out: [[Span]] = []
        switch result {
        case .malformed(let m, let index):
            out.append([Span("malformed record", .error), Span(" (slot \(index + 1))", .dim)])
            out += field("file", .string(m.file), indent: 0, width: width)
            out += field("line", .number(String(m.line)), indent: 0, width: width)
            out += field("reason", .string(m.reason), indent: 0, width: width)
            if let raw {
                let name = raw.truncated ? "raw (first \(raw.bytes.count.grouped) bytes)" : "raw"
                out += field(name, .string(String(decoding: raw.bytes, as: UTF8.self)), indent: 0, width: width)
            }
        case .record(let r):
            var place = "line \(r.line)"
            if let file {
                // A long path keeps its end, the file's name.
                var path = Sanitizer.plain(file)
                let room = max(8, width - TextWidth.of(place) - 4)
                if TextWidth.of(path) > room {
                    while TextWidth.of(path) > room - 1 { path.removeFirst() }
                    path = "…" + path
                }
                place += " of " + path
            }
            out.append([Span(place, .dim)] + roleSummary(roles))
            switch r.value {
            case .object(let members):
                for m in members { out += field(m.key, m.value, indent: 0, width: width) }
            default:
                out += value(r.value, indent: 0, width: width)
            }
        }
        return out
    }

    static func roleSummary(_ roles: Roles) -> [Span] {
        // Only roles played by a field of another name are worth saying.
        var parts: [String] = []
        if !roles.text.isEmpty && roles.text != ["text"] { parts.append("text=" + roles.text.joined(separator: "+")) }
        for (role, field) in [("label", roles.label), ("split", roles.split), ("source", roles.source), ("id", roles.id)] {
            if let f = field, f != role { parts.append(role + "=" + f) }
        }
        guard !parts.isEmpty else { return [] }
        return [Span(" · roles: " + Sanitizer.plain(parts.joined(separator: " ")), .dim)]
    }

    static func spaces(_ n: Int) -> Span { Span(String(repeating: " ", count: max(0, n))) }

    /// Cells of indentation for `indent` (two a level). Capped at a third of the width:
    /// uncapped, a value nested 47 levels deep started past the edge of 100 columns.
    static func indentCells(_ indent: Int, width: Int) -> Int { min(indent, max(2, width / 3)) }

    /// The indentation span for `indent`. Past the cap the levels no longer line up, so
    /// the depth (top-level fields are depth 1) is written at the end of the indentation.
    static func indentation(_ indent: Int, width: Int) -> Span {
        let cells = indentCells(indent, width: width)
        guard cells < indent else { return spaces(indent) }
        let depth = indent / 2 + 1
        for mark in ["depth \(depth) ", "\(depth) "] where mark.count <= cells {
            return Span(String(repeating: " ", count: cells - mark.count) + mark, .dim)
        }
        return spaces(cells)
    }

    /// `key: value`, wrapped; containers put their items on the following lines.
    static func field(_ key: String, _ v: FieldValue, indent: Int, width: Int) -> [[Span]] {
        // A name too long for the line is cut with `…`, keeping room for the `:`.
        let keySpans = TextLayout.truncate(Sanitizer.spans(key, maxWidth: width), to: max(1, width - indentCells(indent, width: width) - 1))
            .map { Span($0.text, $0.role == .normal ? .key : $0.role) }
        let head: [Span] = [indentation(indent, width: width)] + keySpans + [Span(":", .dim)]
        switch v {
        case .object(let members) where !members.isEmpty:
            return [head] + members.flatMap { field($0.key, $0.value, indent: indent + 2, width: width) }
        case .array(let items) where !items.isEmpty:
            if !items.contains(where: \.isContainer) {
                let inline = v.compactJSON
                let sp = Sanitizer.spans(inline, maxWidth: width)
                if head.width + 1 + sp.width <= width {
                    return [head + [Span(" ")] + sp]
                }
            }
            return [head] + items.flatMap { item(prefix: "- ", $0, indent: indent + 2, width: width) }
        default:
            return scalar(v, head: head, indent: indent, width: width)
        }
    }

    /// One array element: `- value`, with nested members indented under it.
    static func item(prefix: String, _ v: FieldValue, indent: Int, width: Int) -> [[Span]] {
        let head: [Span] = [indentation(indent, width: width), Span("-", .dim)]
        switch v {
        case .object(let members) where !members.isEmpty:
            var lines = members.flatMap { field($0.key, $0.value, indent: indent + 2, width: width) }
            // Put the first member on the dash line.
            if !lines.isEmpty {
                var first = lines[0]
                first[0] = spaces(1)
                lines[0] = head + first
            }
            return lines
        case .array(let items) where !items.isEmpty:
            return [head] + items.flatMap { item(prefix: prefix, $0, indent: indent + 2, width: width) }
        default:
            return scalar(v, head: head, indent: indent, width: width)
        }
    }

    static func value(_ v: FieldValue, indent: Int, width: Int) -> [[Span]] {
        switch v {
        case .array(let items):
            return items.flatMap { item(prefix: "- ", $0, indent: indent, width: width) }
        default:
            return scalar(v, head: [indentation(indent, width: width)], indent: indent, width: width)
        }
    }

    /// `head value`: short values stay on the head line, long text continues on
    /// lines indented under the key; explicit newlines start new lines.
    static func scalar(_ v: FieldValue, head: [Span], indent: Int, width: Int) -> [[Span]] {
        let role: SpanRole
        let text: String
        switch v {
        case .null: (role, text) = (.literal, "null")
        case .bool(let b): (role, text) = (.literal, b ? "true" : "false")
        case .number(let n): (role, text) = (.number, n)
        case .string(let s): (role, text) = (.normal, s)
        case .array, .object: (role, text) = (.dim, v.compactJSON)  // empty containers
        }
        if case .string(let s) = v, s.isEmpty {
            return [head + [Span(" \"\"", .dim)]]
        }
        // A 10 MB field would take seconds and gigabytes to wrap; show its start.
        var shown = text
        var cutNote: [Span]?
        let total = text.unicodeScalars.count
        if total > Self.maxCharacters {
            shown = String(String.UnicodeScalarView(text.unicodeScalars.prefix(Self.maxCharacters)))
            cutNote = [spaces(indentCells(indent, width: width) + 2), Span("… \(total - Self.maxCharacters) more characters not shown (\(total) in all)", .dim)]
        }
        let paragraphs = Sanitizer.lines(shown, mode: .multiline).map { line in
            line.map { $0.role == .normal ? Span($0.text, role) : $0 }
        }
        let headWidth = head.width
        let contIndent = indentCells(indent, width: width) + 2
        var out: [[Span]] = []
        // The value starts on the head line if its first line fits there, or if it is
        // long text anyway (it wraps under the key).
        var firstOnHead = true
        if paragraphs.count > 1 || headWidth + 1 + paragraphs[0].width > width {
            firstOnHead = headWidth + 1 < width / 2 && paragraphs.count == 1
        }
        var pending = paragraphs[...]
        if firstOnHead, let first = pending.first {
            pending = pending.dropFirst()
            let room = width - headWidth - 1
            let wrapped = TextLayout.wrap(first, width: max(1, width - contIndent), firstWidth: max(1, room))
            out.append(head + [Span(" ")] + wrapped[0])
            for l in wrapped.dropFirst() {
                out.append([spaces(contIndent)] + l)
            }
        } else {
            out.append(head)
        }
        for p in pending {
            if p.isEmpty {
                out.append([])
                continue
            }
            for l in TextLayout.wrap(p, width: max(1, width - contIndent)) {
                out.append([spaces(contIndent)] + l)
            }
        }
        if let cutNote { out.append(cutNote) }
        return out
    }

    /// Characters of one field the detail view lays out (about a thousand screen lines).
    static let maxCharacters = 100_000
}
