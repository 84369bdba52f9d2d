/// Making untrusted dataset text safe and measurable for a terminal.
///
/// Record text can hold ESC sequences, other C0/C1 controls, DEL and bidi
/// overrides (scraped web data does). Before any of it reaches a terminal it is
/// escaped visibly: `\x1b`, `\x7f`, `\u202e`; newline and tab as `↵` and `⇥`.
public enum TerminalText {
    /// Whether a scalar must not be written to a terminal as is.
    @inline(__always)
    public static func isUnsafe(_ u: Unicode.Scalar) -> Bool {
        let v = u.value
        if v < 0x20 || (0x7F...0x9F).contains(v) { return true }
        // Bidi embeddings, overrides and isolates; zero-width and direction marks.
        if (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v) || (0x200B...0x200F).contains(v) { return true }
        if v == 0x061C || v == 0xFEFF || v == 0x2028 || v == 0x2029 { return true }
        return false
    }

    /// The visible escape for an unsafe scalar.
    public static func escape(_ u: Unicode.Scalar) -> String {
        switch u {
        case "\n": return "↵"
        case "\t": return "⇥"
        default:
            let hex = String(u.value, radix: 16)
            if u.value <= 0xFF { return "\\x" + (hex.count < 2 ? "0" + hex : hex) }
            return "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        }
    }

    /// The string with every unsafe scalar replaced by its visible escape.
    public static func escape(_ s: String) -> String {
        guard s.unicodeScalars.contains(where: isUnsafe) else { return s }
        var out = ""
        for u in s.unicodeScalars {
            if isUnsafe(u) { out += escape(u) } else { out.unicodeScalars.append(u) }
        }
        return out
    }

    /// Terminal cells a scalar occupies: 0 for combining marks, 2 for wide (CJK, emoji), else 1.
    public static func width(_ u: Unicode.Scalar) -> Int {
        let v = u.value
        if v < 0x300 { return v < 0x20 || (0x7F...0x9F).contains(v) ? 0 : 1 }
        switch u.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        if v == 0x200D || (0xFE00...0xFE0F).contains(v) { return 0 }
        if isWide(v) { return 2 }
        return 1
    }

    static func isWide(_ v: UInt32) -> Bool {
        (0x1100...0x115F).contains(v) || (0x231A...0x231B).contains(v) || (0x2329...0x232A).contains(v)
            || (0x23E9...0x23EC).contains(v) || v == 0x23F0 || v == 0x23F3 || (0x25FD...0x25FE).contains(v)
            || (0x2614...0x2615).contains(v) || (0x2648...0x2653).contains(v) || v == 0x267F || v == 0x2693
            || v == 0x26A1 || (0x26AA...0x26AB).contains(v) || (0x26BD...0x26BE).contains(v)
            || (0x26C4...0x26C5).contains(v) || v == 0x26CE || v == 0x26D4 || v == 0x26EA
            || (0x26F2...0x26F3).contains(v) || v == 0x26F5 || v == 0x26FA || v == 0x26FD || v == 0x2705
            || (0x270A...0x270B).contains(v) || v == 0x2728 || v == 0x274C || v == 0x274E
            || (0x2753...0x2755).contains(v) || v == 0x2757 || (0x2795...0x2797).contains(v) || v == 0x27B0
            || v == 0x27BF || (0x2B1B...0x2B1C).contains(v) || v == 0x2B50 || v == 0x2B55
            || (0x2E80...0x303E).contains(v) || (0x3041...0x33FF).contains(v) || (0x3400...0x4DBF).contains(v)
            || (0x4E00...0x9FFF).contains(v) || (0xA000...0xA4CF).contains(v) || (0xA960...0xA97F).contains(v)
            || (0xAC00...0xD7A3).contains(v) || (0xF900...0xFAFF).contains(v) || (0xFE10...0xFE19).contains(v)
            || (0xFE30...0xFE6F).contains(v) || (0xFF00...0xFF60).contains(v) || (0xFFE0...0xFFE6).contains(v)
            || (0x16FE0...0x16FE4).contains(v) || (0x17000...0x18CFF).contains(v) || (0x1B000...0x1B2FF).contains(v)
            || (0x1F004 == v) || v == 0x1F0CF || v == 0x1F18E || (0x1F191...0x1F19A).contains(v)
            || (0x1F200...0x1F251).contains(v) || (0x1F300...0x1F320).contains(v) || (0x1F32D...0x1F335).contains(v)
            || (0x1F337...0x1F37C).contains(v) || (0x1F37E...0x1F393).contains(v) || (0x1F3A0...0x1F3CA).contains(v)
            || (0x1F3CF...0x1F3D3).contains(v) || (0x1F3E0...0x1F3F0).contains(v) || v == 0x1F3F4
            || (0x1F3F8...0x1F43E).contains(v) || v == 0x1F440 || (0x1F442...0x1F4FC).contains(v)
            || (0x1F4FF...0x1F53D).contains(v) || (0x1F54B...0x1F54E).contains(v) || (0x1F550...0x1F567).contains(v)
            || v == 0x1F57A || (0x1F595...0x1F596).contains(v) || v == 0x1F5A4 || (0x1F5FB...0x1F64F).contains(v)
            || (0x1F680...0x1F6C5).contains(v) || v == 0x1F6CC || (0x1F6D0...0x1F6D2).contains(v)
            || (0x1F6D5...0x1F6D7).contains(v) || (0x1F6DC...0x1F6DF).contains(v) || (0x1F6EB...0x1F6EC).contains(v)
            || (0x1F6F4...0x1F6FC).contains(v) || (0x1F7E0...0x1F7EB).contains(v) || v == 0x1F7F0
            || (0x1F90C...0x1F93A).contains(v) || (0x1F93C...0x1F945).contains(v) || (0x1F947...0x1F9FF).contains(v)
            || (0x1FA70...0x1FAFF).contains(v) || (0x20000...0x2FFFD).contains(v) || (0x30000...0x3FFFD).contains(v)
    }

    /// Terminal cells a string occupies once escaped.
    public static func width(_ s: String) -> Int {
        var w = 0
        for u in s.unicodeScalars { w += isUnsafe(u) ? escape(u).count : width(u) }
        return w
    }

    /// Cut a (safe) string to at most `cells` cells, ending in `…` when cut.
    public static func truncate(_ s: String, to cells: Int) -> String {
        guard width(s) > cells else { return s }
        guard cells > 0 else { return "" }
        var out = ""
        var w = 0
        for u in s.unicodeScalars {
            let cw = width(u)
            if w + cw > cells - 1 { break }
            out.unicodeScalars.append(u)
            w += cw
        }
        return out + "…"
    }
}
