import Foundation
import TransformerPrograms

extension Mistakes {
    /// How many confusions the text shows.
    static let shownConfusions = 10

    /// The report `tprog eval --errors` prints: totals, a table by input length, the most
    /// frequent confusions, then each kept wrong example (tokens, expected and predicted labels
    /// in aligned columns, `^` under each wrong one; one line for an example with one target).
    func text(of name: String) -> String {
        var out = "\(name): \(wrongTargets) of \(targets) targets wrong, in \(wrongExamples) of \(examples) examples\n"
        guard wrongTargets > 0 else { return out }
        out += "\nby input length (tokens):\n"
        let header = ["length", "examples", "of them wrong", "targets", "of them wrong", "accuracy"]
        var rows = [header]
        for l in byLength {
            let accuracy = l.targets == 0 ? "–" : Self.percent(l.targets - l.wrongTargets, of: l.targets)
            rows.append(["\(l.length)", "\(l.examples)", "\(l.wrongExamples)", "\(l.targets)", "\(l.wrongTargets)", accuracy])
        }
        out += Self.columns(rows, rightAligned: true).map { "  " + $0 }.joined(separator: "\n") + "\n"
        out += "\nmost frequent confusions (expected → predicted):\n  "
        out += confusions.prefix(Self.shownConfusions).map { "\($0.expected) → \($0.predicted) (\($0.count))" }
            .joined(separator: ", ")
        if confusions.count > Self.shownConfusions { out += ", and \(confusions.count - Self.shownConfusions) more" }
        out += "\n"
        guard !wrong.isEmpty else { return out }
        out += "\nthe first \(wrong.count) of \(wrongExamples) wrong examples (#: its number among the examples of \(name), from 1):\n"
        for w in wrong {
            let scored = w.labels.indices.filter { w.labels[$0] != Special.pad }
            if scored.count == 1, let i = scored.first {
                out += "  #\(w.index)  expected \(w.labels[i]), predicted \(w.predicted[i]):  \(w.tokens.joined(separator: " "))\n"
                continue
            }
            let shown = w.predicted.enumerated().map { i, p in w.labels[i] == Special.pad ? "·" : p }
            let marks = w.labels.indices.map { w.labels[$0] != Special.pad && w.predicted[$0] != w.labels[$0] ? "^" : "" }
            let lines = Self.columns([["tokens"] + w.tokens, ["expected"] + w.labels, ["predicted"] + shown, [""] + marks],
                                     rightAligned: false)
            out += "  #\(w.index)\n" + lines.map { "    " + $0 }.joined(separator: "\n") + "\n"
        }
        return out
    }

    /// `part / whole` as a percentage with two decimals, never rounded up to 100.00% (nor down to
    /// 0.00%) when it is not exactly that: "99.99%" for 61,365 of 61,368, not "100.00%".
    static func percent(_ part: Int, of whole: Int) -> String {
        let p = 100 * Double(part) / Double(whole)
        if part < whole && p > 99.99 { return ">99.99%" }
        if part > 0 && p < 0.01 { return "<0.01%" }
        return String(format: "%.2f%%", p)
    }

    /// `rows` in columns two spaces apart, each as wide as its widest cell (counted in
    /// characters), trailing spaces trimmed.
    static func columns(_ rows: [[String]], rightAligned: Bool) -> [String] {
        let widths = (0..<(rows.map(\.count).max() ?? 0)).map { c in rows.map { c < $0.count ? $0[c].count : 0 }.max() ?? 0 }
        return rows.map { row in
            let cells = row.enumerated().map { c, cell in
                let fill = String(repeating: " ", count: widths[c] - cell.count)
                return rightAligned ? fill + cell : cell + fill
            }
            var line = cells.joined(separator: "  ")
            while line.last == " " { line.removeLast() }
            return line
        }
    }
}
