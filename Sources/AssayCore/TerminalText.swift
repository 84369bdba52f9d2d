/// Making untrusted dataset text safe and measurable for a terminal: the one place
/// that decides which characters may reach a terminal and how the others are shown.
///
/// Record text can hold ESC sequences, other C0/C1 controls, DEL, bidi overrides and
/// invisible characters (scraped web data does). Before any of it reaches a terminal it
/// is escaped visibly: `\x1b`, `\x7f`, `\u009b`, `\u202e`, `\u{e0041}`; in one-line
/// output newline and tab are `↵` and `⇥`. The TUI's `Sanitizer` uses the same rules.
public enum TerminalText {
    /// Characters that are invisible or reorder text: escaped so they can be seen.
    public static func isInvisibleOrBidi(_ v: UInt32) -> Bool {
        switch v {
        case 0x061C,  // Arabic letter mark
            0x115F, 0x1160,  // Hangul fillers
            0x180E,  // Mongolian vowel separator
            0x200B...0x200F,  // zero-width space/non-joiner/joiner, LRM, RLM
            0x2028...0x202E,  // line/paragraph separator, LRE RLE PDF LRO RLO
            0x2060...0x2064,  // word joiner, invisible operators
            0x2066...0x2069,  // LRI RLI FSI PDI
            0x206A...0x206F,  // deprecated format characters
            0x3164, 0xFFA0,  // Hangul fillers
            0xFEFF,  // BOM / zero-width no-break space
            0xFFF9...0xFFFB,  // interlinear annotation
            0xE0000...0xE007F:  // tag characters (hidden "ASCII smuggling")
            return true
        default:
            return false
        }
    }

    /// Whether a scalar must not be written to a terminal as is: C0 and C1 controls, DEL,
    /// invisible and bidi characters, and what the C library calls non-printable.
    @inline(__always)
    public static func isUnsafe(_ u: Unicode.Scalar) -> Bool {
        let v = u.value
        if v < 0x20 || (0x7F...0x9F).contains(v) { return true }
        if v < 0x300 { return false }
        return isInvisibleOrBidi(v) || TextWidth.of(u) < 0
    }

    /// The visible escape for an unsafe scalar (newline and tab as themselves escaped: `\x0a`).
    public static func escapeCode(_ u: Unicode.Scalar) -> String {
        let v = u.value
        if v < 0x20 || v == 0x7F { return "\\x" + hex(v, 2) }
        return v > 0xFFFF ? "\\u{" + hex(v, 1) + "}" : "\\u" + hex(v, 4)
    }

    /// The visible escape for one-line output: newline `↵`, tab `⇥`, others `escapeCode`.
    public static func escape(_ u: Unicode.Scalar) -> String {
        switch u {
        case "\n": return "↵"
        case "\t": return "⇥"
        default: return escapeCode(u)
        }
    }

    /// The string on one line with every unsafe scalar replaced by its visible escape.
    public static func escape(_ s: String) -> String {
        guard s.unicodeScalars.contains(where: isUnsafe) else { return s }
        var out = ""
        for u in s.unicodeScalars {
            if isUnsafe(u) { out += escape(u) } else { out.unicodeScalars.append(u) }
        }
        return out
    }

    static func hex(_ v: UInt32, _ digits: Int) -> String {
        let s = String(v, radix: 16)
        return s.count >= digits ? s : String(repeating: "0", count: digits - s.count) + s
    }

    /// Terminal cells a string occupies once escaped.
    public static func width(_ s: String) -> Int {
        var w = 0
        for u in s.unicodeScalars { w += isUnsafe(u) ? escape(u).count : max(0, TextWidth.of(u)) }
        return w
    }

    /// Cut a (safe) string to at most `cells` cells, ending in `…` when cut.
    public static func truncate(_ s: String, to cells: Int) -> String {
        guard width(s) > cells else { return s }
        guard cells > 0 else { return "" }
        var out = ""
        var w = 0
        for u in s.unicodeScalars {
            let cw = max(0, TextWidth.of(u))
            if w + cw > cells - 1 { break }
            out.unicodeScalars.append(u)
            w += cw
        }
        return out + "…"
    }
}
