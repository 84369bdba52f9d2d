import AssayCore

/// Turns untrusted text (record fields, file names, anything typed) into spans
/// that are safe to put on a terminal.
///
/// Nothing that passes through can move the cursor, change the title, clear the
/// screen or reorder text:
/// - C0 controls, DEL and C1 controls become `\x1b`, `\x7f`, `\u009b` (role `.escape`).
/// - Bidi overrides/isolates/marks, zero-width characters, line/paragraph separators,
///   BOM, interlinear annotations and Unicode tag characters become `\u202e`,
///   `\u200b`, `\u{e0041}`... so hidden text is visible.
/// - Code points the C library calls non-printable (unassigned) become `\u{...}`.
/// - `\n` (and `\r\n`) becomes `↵` on a single line, or a line break in `.multiline`;
///   a lone `\r` is `\r`.
/// - Tabs expand to spaces up to the next multiple of `tabWidth` columns.
/// - A combining mark with nothing to combine with gets a space to sit on.
public enum Sanitizer {
    public enum Mode: Sendable {
        /// Table cells and status lines: newlines shown as `↵`.
        case singleLine
        /// Detail view: newlines split lines.
        case multiline
    }

    /// Sanitised lines of `text`. In `.singleLine` mode there is exactly one.
    /// With `maxWidth`, stops once a line is wider than that (callers truncate),
    /// so a megabyte-long field costs no more than what fits on screen.
    public static func lines(_ text: String, mode: Mode = .multiline, tabWidth: Int = 4, maxWidth: Int? = nil) -> [[Span]] {
        var lines: [[Span]] = []
        var spans: [Span] = []
        var normal = ""
        var column = 0
        var pendingCR = false

        func flushNormal() {
            if !normal.isEmpty {
                spans.appendMerging(Span(normal, .normal))
                normal = ""
            }
        }
        func escape(_ s: String) {
            flushNormal()
            spans.appendMerging(Span(s, .escape))
            column += s.count
        }
        func newline() {
            flushNormal()
            lines.append(spans)
            spans = []
            column = 0
        }

        for u in text.unicodeScalars {
            if let limit = maxWidth, column > limit {
                if mode == .singleLine { break }
                // Skip to the next line break in multiline mode.
                if u != "\n" { continue }
            }
            if pendingCR {
                pendingCR = false
                if u == "\n" {
                    if mode == .multiline { newline() } else { escape("↵") }
                    continue
                }
                escape("\\r")
            }
            let v = u.value
            switch v {
            case 0x0A:
                if mode == .multiline { newline() } else { escape("↵") }
            case 0x0D:
                pendingCR = true
            case 0x09:
                let n = tabWidth - column % max(1, tabWidth)
                normal += String(repeating: " ", count: n)
                column += n
            default:
                if TerminalText.isUnsafe(u) {
                    escape(TerminalText.escapeCode(u))
                    continue
                }
                let w = TextWidth.of(u)
                if w == 0 {
                    // A combining mark needs a base character in the same span; after an
                    // escape or at the start it would attach to the wrong thing.
                    if normal.isEmpty { normal.append(" ") ; column += 1 }
                    normal.unicodeScalars.append(u)
                } else {
                    normal.unicodeScalars.append(u)
                    column += w
                }
            }
        }
        if pendingCR { escape("\\r") }
        flushNormal()
        lines.append(spans)
        return lines
    }

    /// One line of spans (newlines as `↵`).
    public static func spans(_ text: String, tabWidth: Int = 4, maxWidth: Int? = nil) -> [Span] {
        lines(text, mode: .singleLine, tabWidth: tabWidth, maxWidth: maxWidth)[0]
    }

    /// Plain sanitised text, for places without styles (stderr messages).
    public static func plain(_ text: String) -> String {
        spans(text).plainText
    }
}
