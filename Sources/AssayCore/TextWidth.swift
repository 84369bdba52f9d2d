/// Display width of text in terminal cells, the way ncursesw (via glibc's
/// `wcwidth`) measures it: East Asian Wide/Fullwidth and emoji take 2 cells,
/// combining marks and format characters 0, everything else 1.
///
/// Layout is done per Unicode scalar, not per grapheme cluster, because that is
/// what ncurses and tmux do: `👍🏽` is two 2-cell scalars (4 cells). Modern GUI
/// terminals draw some such sequences narrower; the sanitiser escapes zero-width
/// joiners so the common multi-person emoji do not drift.
public enum TextWidth {
    /// Cells taken by one scalar: 0, 1 or 2; -1 if wcwidth calls it non-printable
    /// (controls, unassigned code points). Sanitised text never contains those.
    public static func of(_ scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        if v < 0x7F { return v >= 0x20 ? 1 : -1 }
        if v < 0xA0 { return -1 }
        if v < 0x300 { return 1 }
        if contains(UnicodeWidthTables.zeroWidth, v) { return 0 }
        if v >= 0x1100, contains(UnicodeWidthTables.doubleWidth, v) { return 2 }
        if contains(UnicodeWidthTables.nonPrintable, v) { return -1 }
        return 1
    }

    /// Cells taken by a string (non-printable scalars count 0).
    public static func of(_ s: some StringProtocol) -> Int {
        var w = 0
        for u in s.unicodeScalars {
            let x = of(u)
            if x > 0 { w += x }
        }
        return w
    }

    /// Whether `v` falls in one of the inclusive pairs of `table`.
    static func contains(_ table: [UInt32], _ v: UInt32) -> Bool {
        var lo = 0
        var hi = table.count / 2 - 1
        if hi < 0 || v < table[0] || v > table[table.count - 1] { return false }
        while lo <= hi {
            let mid = (lo + hi) / 2
            if v < table[2 * mid] {
                hi = mid - 1
            } else if v > table[2 * mid + 1] {
                lo = mid + 1
            } else {
                return true
            }
        }
        return false
    }
}
