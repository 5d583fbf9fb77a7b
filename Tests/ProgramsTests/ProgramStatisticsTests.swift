import Foundation
import Testing
import Programs

/// The statistics count what the emitted file contains, on programs small enough to count by hand.
@Suite("Program statistics")
struct ProgramStatisticsTests {
    @Test("lines count every line; code lines leave out blank lines and the weight block")
    func lineCounts() {
        let python = """
            import json

            def run(tokens):
                return tokens
            \(PythonEmitter.weightsBegin): …
            CLASSES = ["a"]

            \(PythonEmitter.weightsEnd)


            if __name__ == "__main__":
                main()

            """
        let statistics = ProgramStatistics(program: Fixtures.tiny, python: python)
        #expect(statistics.lines == 12)
        #expect(statistics.codeLines == 5)
    }

    @Test("the tiny program: 2 categorical heads with 3 predicate branches, 2 MLPs with 3 table branches")
    func tinyProgram() throws {
        let python = PythonEmitter.emit(Fixtures.tiny)
        let statistics = ProgramStatistics(program: Fixtures.tiny, python: python)
        #expect(statistics.heads == 2)
        #expect(statistics.categoricalHeads == 2)
        #expect(statistics.numericalHeads == 0)
        #expect(statistics.mlps == 2)
        #expect(statistics.categoricalMLPs == 2 && statistics.numericalMLPs == 0)
        // predicate_0_0: {0, 2} → "a", {1} → "b" (position 3's key <pad> is never a key);
        // predicate_0_1: one `return`.
        #expect(statistics.predicateBranches == 3)
        // mlp_0_0: outputs 1 and 2; mlp_0_1: output 1 (the off-diagonal row dropped).
        #expect(statistics.mlpBranches == 3)
        #expect(statistics.components.map(\.branches) == [2, 1, 2, 1])
        #expect(statistics.components[0] == .init(kind: "categorical_head", name: "attn_0_0", query: "positions",
                                                  key: "tokens", value: "tokens", inputs: nil,
                                                  output: "attn_0_0_outputs", branches: 2))
        #expect(statistics.components[3].inputs == ["tokens"])
        let lines = python.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(statistics.lines == lines.count)
        // The weight block: begin, CLASSES, 3 categorical tables (3 + 3 + 2 rows, 2 lines each
        // around them), the numerical table, end.
        let weightLines = 1 + 1 + 1 + (3 + 3 + 2) + 3 * 2 + 1 + 1 + 1 + 1 + 1
        let blank = lines.filter { $0.allSatisfy(\.isWhitespace) }.count
        #expect(statistics.codeLines == lines.count - blank - weightLines)
    }

    @Test("JSON keys are snake_case")
    func jsonKeys() throws {
        let statistics = ProgramStatistics(program: Fixtures.bidirectional,
                                           python: PythonEmitter.emit(Fixtures.bidirectional))
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(statistics)) as! [String: Any]
        for key in ["lines", "code_lines", "heads", "categorical_heads", "numerical_heads", "mlps",
                    "predicate_branches", "mlp_branches", "components"] {
            #expect(json[key] != nil, "missing \(key)")
        }
        let decoded = try JSONDecoder().decode(ProgramStatistics.self, from: JSONEncoder().encode(statistics))
        #expect(decoded == statistics)
        #expect(statistics.numericalHeads == 2 && statistics.numericalMLPs == 2)
    }

    @Test("the table names every component and what it reads")
    func table() {
        let statistics = ProgramStatistics(program: Fixtures.tiny, python: PythonEmitter.emit(Fixtures.tiny))
        let table = statistics.table()
        #expect(table.hasPrefix("program tiny: 1 layer, \(statistics.lines) lines of Python (\(statistics.codeLines)"))
        #expect(table.contains("heads  2 (2 categorical, 0 numerical), 3 predicate branches"))
        #expect(table.contains("attn_0_0  query positions  key tokens  value tokens"))
        #expect(table.contains("mlp_0_1   reads tokens"))
    }
}
