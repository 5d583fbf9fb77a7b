import Foundation
import Testing
@testable import Training

@Suite("Run report")
struct RunReportTests {
    /// Writes `runs/<task>-<seed>/results.json` for each `(task, seed, train, val, test)`.
    func folder(_ runs: [(String, Int, Double, Double, Double)]) throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("tprog-report-\(UUID().uuidString)")
        for (task, seed, train, val, test) in runs {
            let dir = root.appendingPathComponent("\(task)-\(seed)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            let json = """
                {"discrete": {"train": {"accuracy": \(train)}, "val": {"accuracy": \(val)}, "test": {"accuracy": \(test)}},
                 "epochs": 250, "seed": \(seed), "task": "\(task)", "train_seconds": \(10 * (seed + 1))}
                """
            try Data(json.utf8).write(to: dir.appendingPathComponent("results.json"))
        }
        return root.path
    }

    @Test("the best run on validation; ties go to training accuracy, then the lower seed; test is never used")
    func selection() throws {
        let path = try folder([
            ("hist", 0, 0.999, 0.98, 1.0),     // the best test, but not the best on validation
            ("hist", 1, 0.998, 1.0, 0.990),
            ("hist", 2, 1.0, 1.0, 0.995),      // ties with 1 and 3 on val; best train
            ("hist", 3, 1.0, 1.0, 0.991),      // ties with 2 on train too; higher seed
            ("sort", 0, 0.9, 0.9, 0.9),
        ])
        defer { try? FileManager.default.removeItem(atPath: path) }
        let report = try RunReport(directory: path)
        #expect(report.rows.map(\.task) == ["hist", "sort"])
        #expect(report.rows[0].runs.map(\.seed) == [0, 1, 2, 3])
        #expect(report.rows[0].best?.seed == 2)
        #expect(report.rows[1].best?.seed == 0)
        let table = report.markdown()
        #expect(table.contains("| hist | 0: 100.00, 1: 99.00, 2: 99.50, 3: 99.10 | 2 → 99.50 | 100.0 | no |"), "\(table)")
    }
}
