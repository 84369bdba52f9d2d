import AssayCore

/// A column of the browse table: one role of the dataset.
public struct TableColumn: Hashable, Sendable {
    /// Role name: `id`, `label`, `split`, `source`, `text`, or `record` when no role is known.
    public var id: String
    public var title: String
    /// The field path shown (nil for `text`, which joins the text role's fields,
    /// and for `record`, which shows the whole record).
    public var field: String?
    /// Preferred width in cells (for the flexible column: its minimum).
    public var width: Int
    /// Takes the remaining width (the text column).
    public var isFlexible: Bool

    public init(id: String, title: String, field: String?, width: Int, isFlexible: Bool = false) {
        self.id = id
        self.title = title
        self.field = field
        self.width = width
        self.isFlexible = isFlexible
    }

    /// Columns for the roles present, in the order id, label, split, source, text.
    public static func columns(for roles: Roles) -> [TableColumn] {
        var out: [TableColumn] = []
        if let f = roles.id { out.append(TableColumn(id: "id", title: f, field: f, width: 6)) }
        if let f = roles.label { out.append(TableColumn(id: "label", title: f, field: f, width: 8)) }
        if let f = roles.split { out.append(TableColumn(id: "split", title: f, field: f, width: 6)) }
        if let f = roles.source { out.append(TableColumn(id: "source", title: f, field: f, width: 8)) }
        if !roles.text.isEmpty {
            out.append(TableColumn(id: "text", title: roles.text.joined(separator: "+"), field: nil, width: 12, isFlexible: true))
        }
        if out.isEmpty {
            out.append(TableColumn(id: "record", title: "record", field: nil, width: 12, isFlexible: true))
        }
        return out
    }

    /// Caps for sampled widths, so one long id cannot push the text away.
    static let maxWidth: [String: Int] = ["id": 14, "label": 18, "split": 10, "source": 16]
}

/// A column placed on screen.
public struct PlacedColumn: Hashable, Sendable {
    public var column: TableColumn
    /// Index among the visible columns.
    public var index: Int
    public var x: Int
    public var width: Int
}

/// Pure placement of table columns into a width.
public enum TableLayout {
    /// Width of the `#` column for `count` records.
    public static func numberWidth(recordCount count: Int) -> Int {
        max(1, String(max(1, count)).count)
    }

    /// Places `columns[first...]` after the `#` column, one space apart, within
    /// `width` cells. Fixed columns get their width (cut at the edge if at least 3
    /// cells remain); the flexible column gets what the fixed ones after it leave.
    public static func place(_ columns: [TableColumn], first: Int, numberWidth: Int, width: Int) -> [PlacedColumn] {
        var out: [PlacedColumn] = []
        var x = numberWidth + 1
        guard first < columns.count else { return [] }
        for i in max(0, first)..<columns.count {
            let remaining = width - x
            if remaining < 3 { break }
            let c = columns[i]
            var w: Int
            if c.isFlexible {
                let reserved = columns[(i + 1)...].reduce(0) { $0 + ($1.isFlexible ? $1.width : $1.width) + 1 }
                w = max(min(c.width, remaining), remaining - reserved)
            } else {
                w = min(c.width, remaining)
            }
            out.append(PlacedColumn(column: c, index: i, x: x, width: w))
            x += w + 1
        }
        return out
    }

    /// The first column to show so that `selected` is fully visible, given the current `first`.
    public static func firstColumn(showing selected: Int, current first: Int, columns: [TableColumn],
                                   numberWidth: Int, width: Int) -> Int {
        if columns.isEmpty { return 0 }
        let sel = min(max(0, selected), columns.count - 1)
        var f = min(max(0, first), sel)
        while f < sel {
            let placed = place(columns, first: f, numberWidth: numberWidth, width: width)
            // A fixed column must get its full width; the text column a good share.
            let room = width - numberWidth - 1
            let wanted = columns[sel].isFlexible ? min(room, max(columns[sel].width, 40)) : min(columns[sel].width, room)
            if let p = placed.first(where: { $0.index == sel }), p.width >= wanted {
                break
            }
            f += 1
        }
        return f
    }
}
