import Testing
import Tasks

/// Every task's labels, recomputed from the tokens by code written independently of the
/// generators (counting with filters, sorting numbers, a dictionary-driven bracket stack …).
@Suite("Labels match an independent recomputation")
struct LabelTests {
    /// A few hundred examples of `task` at the paper's settings (all splits), from `seed`.
    static func examples(_ task: TaskName, seed: UInt64 = 11, size: Int = 400) throws -> [Example] {
        var options = TaskOptions.defaults(for: task)
        options.datasetSize = size
        options.seed = seed
        let data = try TaskDataset.generate(task, options: options)
        let all = data.train + data.val + data.test
        #expect(all.count == size)
        for e in all { #expect(e.tokens.count == e.labels.count) }
        return all
    }

    @Test("reverse: the body reversed between <pad>s")
    func reverse() throws {
        for e in try Self.examples(.reverse) {
            #expect(e.tokens.first == "<s>" && e.tokens.last == "</s>")
            let body = Array(e.tokens.dropFirst().dropLast())
            #expect(e.labels == ["<pad>"] + Array(body.reversed()) + ["<pad>"])
        }
    }

    @Test("sort: the body in numeric order between <pad>s")
    func sort() throws {
        for e in try Self.examples(.sort) {
            let body = e.tokens.dropFirst().dropLast().map { Int($0)! }
            #expect(e.labels == ["<pad>"] + body.sorted().map(String.init) + ["<pad>"])
        }
    }

    @Test("hist: each body token's count")
    func hist() throws {
        for e in try Self.examples(.hist) {
            let body = Array(e.tokens.dropFirst())
            let expected = body.map { t in String(body.filter { $0 == t }.count) }
            #expect(e.labels == ["<pad>"] + expected)
        }
    }

    @Test("double_hist: how many distinct tokens share this token's count")
    func doubleHist() throws {
        for e in try Self.examples(.doubleHist) {
            let body = Array(e.tokens.dropFirst())
            func count(_ t: String) -> Int { body.filter { $0 == t }.count }
            let expected = body.map { t in String(Set(body).filter { count($0) == count(t) }.count) }
            #expect(e.labels == ["<pad>"] + expected)
        }
    }

    @Test("most_freq: distinct tokens by (-count, first position), then <s> filler")
    func mostFreq() throws {
        var sawFiller = false
        for e in try Self.examples(.mostFreq) {
            let body = Array(e.tokens.dropFirst())
            var order: [String] = []
            for t in body where !order.contains(t) { order.append(t) }   // first-position order
            let counts = Dictionary(body.map { ($0, 1) }, uniquingKeysWith: +)
            // A stable sort by descending count keeps first-position order among ties.
            let ranked = order.enumerated()
                .sorted { counts[$0.element]! != counts[$1.element]!
                    ? counts[$0.element]! > counts[$1.element]! : $0.offset < $1.offset }
                .map(\.element)
            let filler = Array(repeating: "<s>", count: body.count - ranked.count)
            sawFiller = sawFiller || !filler.isEmpty
            #expect(e.labels == ["<pad>"] + ranked + filler)
        }
        #expect(sawFiller)
    }

    /// T / P / F by a bracket stack driven by a matching table.
    static func dyckLabels(_ brackets: [String]) -> [String] {
        let openerOf = [")": "(", "}": "{"]
        var stack: [String] = [], failed = false
        return brackets.map { b in
            if failed { return "F" }
            if let opener = openerOf[b] {
                if stack.popLast() != opener { failed = true; return "F" }
                return stack.isEmpty ? "T" : "P"
            }
            stack.append(b)
            return "P"
        }
    }

    @Test("dyck1 and dyck2: T balanced, P valid prefix, F from the first bad bracket",
          arguments: [(TaskName.dyck1, Set(["(", ")"])), (.dyck2, Set(["(", ")", "{", "}"]))])
    func dyck(task: TaskName, brackets: Set<String>) throws {
        var seen = Set<String>()
        for e in try Self.examples(task) {
            #expect(e.tokens.count == 16 && e.tokens[0] == "<s>")
            let body = Array(e.tokens.dropFirst())
            #expect(Set(body).isSubset(of: brackets))
            let labels = Self.dyckLabels(body)
            seen.formUnion(labels)
            #expect(e.labels == ["<pad>"] + labels)
        }
        #expect(seen == ["T", "P", "F"])
    }

    @Test("induction: a letter's number if it occurred before, else <unk>; <pad> elsewhere")
    func induction() throws {
        let letters = Set(["a", "b", "c", "d"]), numbers = Set(["0", "1", "2", "3"])
        var sawUnk = false, sawRecall = false
        for e in try Self.examples(.induction) {
            #expect(e.tokens.count == 10 && e.tokens[0] == "<s>")
            var map: [String: String] = [:]
            for (i, t) in e.tokens.enumerated() {
                guard letters.contains(t) else {
                    #expect(i == 0 || numbers.contains(t))
                    #expect(e.labels[i] == "<pad>")
                    continue
                }
                let expected = map[t] ?? "<unk>"
                #expect(e.labels[i] == expected)
                sawUnk = sawUnk || expected == "<unk>"
                sawRecall = sawRecall || expected != "<unk>"
                if i + 1 < e.tokens.count {
                    let number = e.tokens[i + 1]
                    #expect(map[t] == nil || map[t] == number, "a letter maps to one number")
                    map[t] = number
                }
            }
        }
        #expect(sawUnk && sawRecall)
    }
}
