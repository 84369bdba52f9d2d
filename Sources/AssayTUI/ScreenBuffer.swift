import AssayCore

/// One terminal cell: a base character with any combining marks, and a style.
/// A 2-cell character occupies its cell and marks the next one as a continuation.
public struct Cell: Hashable, Sendable {
    /// The scalar(s) drawn here; empty for the right half of a wide character.
    public var content: String
    public var style: Style

    public init(_ content: String = " ", style: Style = .plain) {
        self.content = content
        self.style = style
    }

    public var isContinuation: Bool { content.isEmpty }
}

/// A changed stretch of one row, for a backend to write out.
public struct ScreenChange: Hashable, Sendable {
    public var x: Int
    public var y: Int
    public var cells: [Cell]
}

/// A frame: a grid of cells, drawn into by widgets and handed to a backend.
/// Plain data, so tests compare `lines` and the curses backend writes only
/// `changes(from:)` the previous frame.
public struct ScreenBuffer: Hashable, Sendable {
    public let size: Size
    public private(set) var cells: [Cell]

    public init(size: Size, style: Style = .plain) {
        self.size = Size(width: max(0, size.width), height: max(0, size.height))
        cells = Array(repeating: Cell(" ", style: style), count: self.size.width * self.size.height)
    }

    public var bounds: Rect { Rect(size: size) }

    public subscript(x: Int, y: Int) -> Cell {
        cells[y * size.width + x]
    }

    // MARK: - Drawing

    /// Fills `rect` (clipped) with blanks in `style`.
    public mutating func fill(_ rect: Rect, style: Style) {
        let r = clip(rect)
        guard !r.isEmpty else { return }
        for y in r.y..<r.maxY {
            for x in r.x..<r.maxX { set(x, y, Cell(" ", style: style)) }
        }
    }

    /// Writes untrusted or trusted text on one row, sanitised, clipped to
    /// `maxWidth` cells (and the buffer edge). Returns the cells used.
    @discardableResult
    public mutating func write(_ text: String, x: Int, y: Int, maxWidth: Int? = nil, style: Style, theme: Theme = .standard) -> Int {
        write(Sanitizer.spans(text, maxWidth: maxWidth ?? size.width), x: x, y: y, maxWidth: maxWidth, base: style, theme: theme)
    }

    /// Writes spans on one row starting at `x`, clipped to `maxWidth` cells.
    /// Spans come from `Sanitizer`; any control character that slipped in is
    /// replaced by `?` here as a last line of defence. Returns the cells used.
    @discardableResult
    public mutating func write(_ spans: [Span], x: Int, y: Int, maxWidth: Int? = nil, base: Style, theme: Theme) -> Int {
        guard y >= 0, y < size.height, x < size.width else { return 0 }
        let limit = min(size.width, x + (maxWidth ?? size.width))
        var cx = x
        for span in spans {
            let style = theme.style(for: span.role, on: base)
            for u in span.text.unicodeScalars {
                var w = TextWidth.of(u)
                var scalar = u
                if w < 0 {
                    scalar = "?"
                    w = 1
                }
                if w == 0 {
                    // Combine with the character to the left (if it is ours to touch).
                    if cx > x, cx - 1 < size.width {
                        var lead = cx - 1
                        if lead >= 0, self[lead, y].isContinuation { lead -= 1 }
                        if lead >= x {
                            var c = self[lead, y]
                            c.content.unicodeScalars.append(scalar)
                            cells[y * size.width + lead] = c
                        }
                    }
                    continue
                }
                if cx + w > limit {
                    // A wide character that does not fit: blank the remaining cell.
                    while cx < limit {
                        if cx >= 0 { set(cx, y, Cell(" ", style: style)) }
                        cx += 1
                    }
                    return cx - x
                }
                if cx >= 0 {
                    set(cx, y, Cell(String(scalar), style: style))
                    if w == 2 { set(cx + 1, y, Cell("", style: style)) }
                }
                cx += w
            }
        }
        return cx - x
    }

    /// Sets one cell, repairing any wide character it cuts in half.
    mutating func set(_ x: Int, _ y: Int, _ cell: Cell) {
        guard x >= 0, y >= 0, x < size.width, y < size.height else { return }
        let i = y * size.width + x
        if cells[i].isContinuation && !cell.isContinuation && x > 0 {
            // We overwrite the right half of a wide char: blank its left half.
            cells[i - 1].content = " "
        }
        if !cell.isContinuation, x + 1 < size.width, cells[i + 1].isContinuation, !cells[i].isContinuation {
            // We overwrite the left half of a wide char: blank its right half.
            cells[i + 1].content = " "
        }
        if cell.isContinuation && x == 0 { return }
        cells[i] = cell
    }

    private func clip(_ r: Rect) -> Rect {
        let x0 = max(0, r.x), y0 = max(0, r.y)
        let x1 = min(size.width, r.maxX), y1 = min(size.height, r.maxY)
        return Rect(x: x0, y: y0, width: x1 - x0, height: y1 - y0)
    }

    // MARK: - Reading

    /// Each row as text (wide characters once, no trailing-space trimming).
    public var lines: [String] {
        (0..<size.height).map { y in
            var s = ""
            for x in 0..<size.width {
                s += self[x, y].content
            }
            return s
        }
    }

    /// The frame as text, trailing spaces trimmed, rows joined with `\n`.
    /// This is what golden snapshots compare.
    public var text: String {
        lines.map { line in
            var l = Substring(line)
            while l.last == " " { l = l.dropLast() }
            return String(l)
        }.joined(separator: "\n")
    }

    /// Style runs of row `y`: `[(x, width, style)]` with the default style left out.
    public func styleRuns(row y: Int) -> [(x: Int, width: Int, style: Style)] {
        var runs: [(x: Int, width: Int, style: Style)] = []
        var x = 0
        while x < size.width {
            let s = self[x, y].style
            var e = x + 1
            while e < size.width, self[e, y].style == s { e += 1 }
            if s != .plain { runs.append((x, e - x, s)) }
            x = e
        }
        return runs
    }

    // MARK: - Diff

    /// The stretches of cells that differ from `old` (everything if `old` is nil
    /// or another size). Unchanged gaps shorter than 4 cells are bridged to save
    /// cursor moves; a change never starts on the right half of a wide character.
    public func changes(from old: ScreenBuffer?) -> [ScreenChange] {
        var out: [ScreenChange] = []
        let full = old == nil || old!.size != size
        for y in 0..<size.height {
            var x = 0
            let row = y * size.width
            while x < size.width {
                if !full && cells[row + x] == old!.cells[row + x] {
                    x += 1
                    continue
                }
                var start = x
                if cells[row + start].isContinuation && start > 0 { start -= 1 }
                var end = x + 1  // one past the last changed cell
                var probe = x + 1
                while probe < size.width, probe - end < 4 {
                    if full || cells[row + probe] != old!.cells[row + probe] { end = probe + 1 }
                    probe += 1
                }
                // Don't end between the halves of a wide character.
                if end < size.width, cells[row + end].isContinuation { end += 1 }
                out.append(ScreenChange(x: start, y: y, cells: Array(cells[(row + start)..<(row + end)])))
                x = end
            }
        }
        return out
    }
}
