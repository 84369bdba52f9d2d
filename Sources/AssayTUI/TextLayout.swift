import AssayCore

/// Fitting spans into a width: truncation with `…` and word wrapping.
public enum TextLayout {
    /// Spans cut to at most `width` cells; if anything was cut, the last cell is `…`.
    public static func truncate(_ spans: [Span], to width: Int) -> [Span] {
        guard width > 0 else { return [] }
        if spans.width <= width { return spans }
        var out: [Span] = []
        var used = 0
        let room = width - 1
        outer: for span in spans {
            var piece = ""
            for u in span.text.unicodeScalars {
                let w = max(0, TextWidth.of(u))
                if used + w > room {
                    if !piece.isEmpty { out.append(Span(piece, span.role)) }
                    break outer
                }
                piece.unicodeScalars.append(u)
                used += w
            }
            if !piece.isEmpty { out.append(Span(piece, span.role)) }
        }
        out.append(Span("…", .dim))
        return out
    }

    /// Pads or truncates to exactly `width` cells.
    public static func fit(_ spans: [Span], to width: Int) -> [Span] {
        var t = truncate(spans, to: width)
        let w = t.width
        if w < width { t.append(Span(String(repeating: " ", count: width - w))) }
        return t
    }

    /// Greedy word wrap to `width` cells. Words longer than a line are split.
    /// Leading spaces of continuation lines are dropped.
    /// `firstWidth` (if given) is the room on the first line.
    public static func wrap(_ spans: [Span], width restWidth: Int, firstWidth: Int? = nil) -> [[Span]] {
        guard restWidth > 0 else { return [spans] }
        if spans.width <= (firstWidth ?? restWidth) { return [spans] }
        // Split into units: (scalar-cluster text, role, width, isSpace).
        struct Unit {
            var text: String
            var role: SpanRole
            var width: Int
            var isSpace: Bool
        }
        var units: [Unit] = []
        for span in spans {
            if span.role == .escape {
                // Each escape (`\x1b`, `\u200d`, `↵`) is one unit: split over two lines, its
                // second half would read as text.
                for code in escapeCodes(span.text) {
                    units.append(Unit(text: code, role: .escape, width: TextWidth.of(code), isSpace: false))
                }
                continue
            }
            for u in span.text.unicodeScalars {
                let w = TextWidth.of(u)
                if w == 0, !units.isEmpty {
                    units[units.count - 1].text.unicodeScalars.append(u)
                } else {
                    units.append(Unit(text: String(u), role: span.role, width: max(0, w), isSpace: u == " "))
                }
            }
        }
        var lines: [[Unit]] = [[]]
        var lineWidth = 0
        var i = 0
        var width: Int { lines.count == 1 ? max(1, firstWidth ?? restWidth) : restWidth }
        while i < units.count {
            let u = units[i]
            if u.isSpace {
                if lineWidth + 1 > width {
                    lines.append([])
                    lineWidth = 0
                } else if lineWidth > 0 || lines.count == 1 {
                    lines[lines.count - 1].append(u)
                    lineWidth += 1
                }
                i += 1
                continue
            }
            // Measure the word starting here.
            var j = i
            var ww = 0
            while j < units.count, !units[j].isSpace {
                ww += units[j].width
                j += 1
            }
            if lineWidth + ww <= width {
                lines[lines.count - 1].append(contentsOf: units[i..<j])
                lineWidth += ww
                i = j
            } else if ww <= width && lineWidth > 0 {
                // Move the word to a new line (drop trailing spaces of this one).
                while let last = lines[lines.count - 1].last, last.isSpace { lines[lines.count - 1].removeLast() }
                lines.append([])
                lineWidth = 0
            } else {
                // Hard-break a word longer than the line.
                for k in i..<j {
                    let uw = units[k].width
                    if lineWidth + uw > width {
                        lines.append([])
                        lineWidth = 0
                    }
                    lines[lines.count - 1].append(units[k])
                    lineWidth += uw
                }
                i = j
            }
        }
        return lines.map { line in
            var out: [Span] = []
            for u in line { out.appendMerging(Span(u.text, u.role)) }
            return out
        }
    }

    /// The escapes of an escape span, which holds them run together (`\x1b\x1b`): each
    /// starts at a backslash, or is one symbol (`↵`, `⇥`); their own characters are ASCII.
    static func escapeCodes(_ text: String) -> [String] {
        var codes: [String] = []
        for u in text.unicodeScalars {
            if u == "\\" || !u.isASCII || codes.isEmpty {
                codes.append(String(u))
            } else {
                codes[codes.count - 1].unicodeScalars.append(u)
            }
        }
        return codes
    }
}
