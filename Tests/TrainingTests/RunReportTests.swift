import Foundation
import Testing
@testable import Training
import Network
import Tasks

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
        #expect(table.contains("| hist | 0: 100.00, 1: 99.00, 2: 99.50, 3: 99.10 | 2 → 100.00 / 99.50 | 100.0 | no |"), "\(table)")
    }

    @Test("NER is selected and scored by F1; standard runs get rows of their own; the unfiltered test is shown")
    func nlp() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("tprog-report-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        func write(_ name: String, _ json: String) throws {
            let dir = root.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            try Data(json.utf8).write(to: dir.appendingPathComponent("results.json"))
        }
        func split(_ accuracy: Double, _ f1: Double) -> String {
            "{\"accuracy\": \(accuracy), \"precision\": \(f1), \"recall\": \(f1), \"f1\": \(f1)}"
        }
        // Seed 0 has the better validation accuracy, seed 1 the better validation F1.
        for (seed, valAcc, valF1, testF1) in [(0, 0.95, 0.20, 0.30), (1, 0.90, 0.25, 0.22)] {
            try write("program-ner-\(seed)", """
                {"task": "ner", "seed": \(seed), "epochs": 50, "train_seconds": 300, "discrete": {"train": \(split(0.99, 0.8)),
                 "val": \(split(valAcc, valF1)), "test": \(split(0.9, testF1)), "test_unfiltered": \(split(0.91, testF1 - 0.01))}}
                """)
        }
        try write("standard-trec-0", """
            {"task": "trec", "seed": 0, "standard": true, "epochs": 20, "best_epoch": 7, "train_seconds": 100, "parameters": 5,
             "best": {"val": {"accuracy": 0.8}, "test": {"accuracy": 0.84}, "test_unfiltered": {"accuracy": 0.84}}}
            """)
        try write("program-trec-0", """
            {"task": "trec", "seed": 0, "epochs": 10, "train_seconds": 60, "discrete": {"train": {"accuracy": 0.9},
             "val": {"accuracy": 0.8}, "test": {"accuracy": 0.8}, "test_unfiltered": {"accuracy": 0.8}}}
            """)
        let report = try RunReport(directory: root.path)
        #expect(report.rows.map(\.task) == ["ner", "trec (standard)", "trec"])
        #expect(report.rows[0].metric == "F1" && report.rows[0].best?.seed == 1)
        let table = report.markdown()
        #expect(table.contains("| ner | F1 | 0: 30.00, 1: 22.00 | 1 → 25.00 / 22.00 | 21.00 | 300 |"), "\(table)")
        #expect(table.contains("| trec (standard) | accuracy | 0: 84.00 | 0 → 80.00 / 84.00 | 84.00 | 100 |"), "\(table)")
    }

    @Test("runs of a task with different configurations get rows named by the options that differ")
    func configurations() throws {
        let path = try folder([
            ("hist", 0, 1.0, 1.0, 1.0), ("hist", 1, 1.0, 0.99, 0.98), ("hist", 2, 1.0, 0.97, 0.97),
            ("hist", 3, 1.0, 0.9, 0.9),
        ])
        defer { try? FileManager.default.removeItem(atPath: path) }
        // Seeds 0 and 1: the common configuration (seed 1's file, from an older version, lacks
        // an option); seed 2: 2 layers; seed 3: 30 epochs. A row shows the options that differ
        // from the value most configurations have.
        let configs = [
            #"{"seed": 0, "model": {"layers": 1, "catHeads": 2}, "training": {"seed": 0, "epochs": 250, "new": true}, "version": "a"}"#,
            #"{"seed": 1, "model": {"layers": 1, "catHeads": 2}, "training": {"seed": 1, "epochs": 250}, "version": "b"}"#,
            #"{"seed": 2, "model": {"layers": 2, "catHeads": 2}, "training": {"seed": 2, "epochs": 250, "new": true}}"#,
            #"{"seed": 3, "model": {"layers": 1, "catHeads": 2}, "training": {"seed": 3, "epochs": 30, "new": true}}"#,
        ]
        for (seed, config) in configs.enumerated() {
            try Data(config.utf8).write(to: URL(fileURLWithPath: path).appendingPathComponent("hist-\(seed)/config.json"))
        }
        let report = try RunReport(directory: path)
        #expect(report.rows.map(\.task) == ["hist", "hist (epochs=30)", "hist (layers=2)"])
        #expect(report.rows[0].runs.map(\.seed) == [0, 1])
        let table = report.markdown()
        #expect(table.contains("| hist | 0: 100.00, 1: 98.00 | 0 → 100.00 / 100.00 | 100.0 | yes |"), "\(table)")
        #expect(table.contains("| hist (layers=2) | 2: 97.00 | 2 → 97.00 / 97.00 | – | – |"), "\(table)")
    }

    @Test("a search over configurations selects one run on validation across all of them")
    func search() throws {
        let path = try folder([
            ("hist", 0, 1.0, 0.99, 0.99), ("hist", 1, 1.0, 0.98, 1.0),      // layers 1
            ("hist", 2, 1.0, 1.0, 0.97), ("hist", 3, 0.99, 1.0, 1.0),       // layers 2: ties on val
            ("sort", 0, 0.9, 0.9, 0.9),
        ])
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = try writeConfigs((0..<4).map { #"{"seed": \#($0), "model": {"layers": \#($0 < 2 ? 1 : 2)}}"# },
                             task: "hist", in: path)
        let report = try RunReport(directory: path)
        #expect(report.rows.map(\.task) == ["hist (layers=1)", "hist (layers=2)", "sort"])
        let searches = report.searches
        #expect(searches.count == 1, "sort has one configuration: no search")
        let hist = try #require(searches.first)
        #expect(hist.runs == 4 && hist.rows == 2)
        #expect(hist.best.task == "hist (layers=2)" && hist.best.seed == 2, "the better training score breaks the tie; test is not used")
        #expect(!report.markdown().contains("best on validation of all"), "only when asked")
        let table = report.markdown(searches: true)
        #expect(table.contains("hist: best on validation of all 4 runs (2 configurations): hist (layers=2), seed 2 → 100.00 / 97.00; target 100.0: not met"), "\(table)")
        #expect(hist.tied == 0 && !table.contains("tie with it"), "seed 3 ties on validation but not on training")
    }

    @Test("a search says how many runs tie with the selected one, and their test scores")
    func searchTies() throws {
        let path = try folder([
            ("hist", 0, 1.0, 1.0, 0.99), ("hist", 1, 1.0, 1.0, 1.0),        // layers 1
            ("hist", 2, 1.0, 1.0, 0.98), ("hist", 3, 1.0, 0.99, 1.0),       // layers 2
        ])
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = try writeConfigs((0..<4).map { #"{"seed": \#($0), "model": {"layers": \#($0 < 2 ? 1 : 2)}}"# },
                             task: "hist", in: path)
        let report = try RunReport(directory: path)
        let hist = try #require(report.searches.first)
        #expect(hist.best.seed == 0 && hist.tied == 2 && hist.tiedTest == 0.98...1.0)
        let table = report.markdown(searches: true)
        #expect(table.contains("seed 0 → 100.00 / 99.00; target 100.0: not met\n  (2 other runs tie with it on validation and training, so the lower seed, then the first row, chose it; test across the tie: 98.00–100.00)"), "\(table)")
    }

    @Test("only runs of the paper's configuration are compared with the task's target")
    func targetOnlyForPaperConfiguration() throws {
        let path = try folder([("hist", 0, 1.0, 1.0, 1.0), ("hist", 1, 1.0, 1.0, 1.0), ("hist", 2, 1.0, 1.0, 1.0)])
        defer { try? FileManager.default.removeItem(atPath: path) }
        // Three configurations (rows): Table 1's 1 layer; 2 layers; 2 layers with 4 + 2 heads. The
        // most common values (2 layers, 2 categorical heads) leave the second row unnamed.
        let shapes = [(1, 2), (2, 2), (2, 4)]
        _ = try writeConfigs(shapes.enumerated().map { #"{"seed": \#($0.offset), "model": {"layers": \#($0.element.0), "catHeads": \#($0.element.1)}}"# },
                             task: "hist", in: path)
        let table = try RunReport(directory: path).markdown()
        #expect(table.contains("| hist | 1: 100.00 | 1 → 100.00 / 100.00 | – | – |"), "\(table)")
        #expect(table.contains("| hist (layers=1) | 0: 100.00 | 0 → 100.00 / 100.00 | – | – |"), "\(table)")
        // A folder of Table 1's runs alone is compared.
        let paper = try folder([("hist", 0, 1.0, 1.0, 1.0)])
        defer { try? FileManager.default.removeItem(atPath: paper) }
        let table1 = #""layers": 1, "catHeads": 2, "numHeads": 2, "catMLPs": 1, "numMLPs": 1"#
        _ = try writeConfigs([#"{"seed": 0, "model": {\#(table1)}}"#], task: "hist", in: paper)
        #expect(try RunReport(directory: paper).markdown().contains("| 100.0 | yes |"))
        // Table 1's layers, heads and MLPs with another MLP width, trained otherwise, or
        // warm-started, are not the paper's configuration.
        for other in [#"{"seed": 0, "model": {\#(table1), "mlpWidth": 32}}"#,
                      #"{"seed": 0, "model": {\#(table1)}, "training": {"sampleMode": "softmax"}}"#,
                      #"{"seed": 0, "model": {\#(table1)}, "initialization": {"from": "x", "only": []}}"#] {
            _ = try writeConfigs([other], task: "hist", in: paper)
            #expect(try RunReport(directory: paper).markdown().contains("| – | – |"), "\(other)")
        }
    }

    /// Writes `configs[seed]` as `<task>-<seed>/config.json` below `path`; returns `path`.
    func writeConfigs(_ configs: [String], task: String, in path: String) throws -> String {
        for (seed, config) in configs.enumerated() {
            try Data(config.utf8).write(to: URL(fileURLWithPath: path).appendingPathComponent("\(task)-\(seed)/config.json"))
        }
        return path
    }

    @Test("a run whose file lacks an option joins one row, and two runs that differ in it stay apart")
    func olderConfigurations() throws {
        let path = try folder([("hist", 0, 1.0, 1.0, 1.0), ("hist", 1, 1.0, 0.9, 0.9), ("hist", 2, 1.0, 0.8, 0.8)])
        defer { try? FileManager.default.removeItem(atPath: path) }
        // Seed 0's file (the first read) predates the option `new`; seeds 1 and 2 disagree on it.
        // Neither value is the more common one, so both rows show it.
        let configs = [
            #"{"seed": 0, "model": {"layers": 1}}"#,
            #"{"seed": 1, "model": {"layers": 1, "new": "a"}}"#,
            #"{"seed": 2, "model": {"layers": 1, "new": "b"}}"#,
        ]
        let report = try RunReport(directory: writeConfigs(configs, task: "hist", in: path))
        #expect(report.rows.map(\.task) == ["hist (new=a)", "hist (new=b)"])
        #expect(report.rows.map { $0.runs.map(\.seed) } == [[0, 1], [2]])
    }

    /// A `config.json` as `tprog train` writes it for a trec program (or, `standard`, baseline)
    /// run; `unknownShapes` nil: a file written before the option existed (the key left out).
    func trecConfig(seed: Int, unknownShapes: Bool?, standard: Bool = false) throws -> String {
        var options = NLPOptions.defaults(for: .trec)
        options.unknownShapes = unknownShapes ?? false
        let nlp = RunConfig.NLPData(options: options, dataDirectory: "data", glove: nil)
        let data = standard
            ? try JSONEncoder().encode(StandardRunConfig(task: "trec", seed: UInt64(seed), taskOptions: nil, nlp: nlp,
                                                         model: .paperClassification, training: .paperClassification,
                                                         version: "0"))
            : try JSONEncoder().encode(RunConfig(
                task: "trec", seed: UInt64(seed), taskOptions: nil, nlp: nlp, model: .paper(.trec), training: TrainingOptions(),
                program: ProgramConfig(varWidth: 64, layers: 2, catHeads: 4, numHeads: 0, catMLPs: 1, numMLPs: 0,
                                       causal: false, vocabularySize: 100, classCount: 8, maxLength: 64,
                                       embeddingVariables: 4, pooled: true),
                version: "0"))
        var object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        if unknownShapes == nil, var nlpObject = object["nlp"] as? [String: Any],
           var optionsObject = nlpObject["options"] as? [String: Any] {
            #expect(optionsObject.removeValue(forKey: "unknownShapes") != nil)
            nlpObject["options"] = optionsObject
            object["nlp"] = nlpObject
        }
        return String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }

    @Test("a run written before --unknown-shapes had it off: it does not join the runs with it on")
    func addedOption() throws {
        let path = try folder([("trec", 0, 1.0, 0.5, 0.5), ("trec", 1, 1.0, 0.6, 0.6), ("trec", 2, 1.0, 0.7, 0.7)])
        defer { try? FileManager.default.removeItem(atPath: path) }
        let configs = [try trecConfig(seed: 0, unknownShapes: nil), try trecConfig(seed: 1, unknownShapes: nil),
                       try trecConfig(seed: 2, unknownShapes: true)]
        let report = try RunReport(directory: writeConfigs(configs, task: "trec", in: path))
        // One row each (so neither value is the more common one: both are named).
        #expect(report.rows.map(\.task) == ["trec (unknownShapes=false)", "trec (unknownShapes=true)"])
        #expect(report.rows.map { $0.runs.map(\.seed) } == [[0, 1], [2]])
    }

    @Test("options that change how a run is carried out, not what it learns, make no row of their own")
    func executionOptions() throws {
        let path = try folder([("trec", 0, 1.0, 0.5, 0.5), ("trec", 1, 1.0, 0.6, 0.6)])
        defer { try? FileManager.default.removeItem(atPath: path) }
        var configs = [try trecConfig(seed: 0, unknownShapes: false), try trecConfig(seed: 1, unknownShapes: false)]
        configs[1] = configs[1].replacingOccurrences(of: #""flushSubnormals":true"#, with: #""flushSubnormals":false"#)
            .replacingOccurrences(of: #""evaluateEveryEpoch":true"#, with: #""evaluateEveryEpoch":false"#)
        // Both options really differ between the two files (each replacement found its target).
        #expect(configs[0].contains(#""flushSubnormals":true"#) && configs[1].contains(#""flushSubnormals":false"#))
        #expect(configs[0].contains(#""evaluateEveryEpoch":true"#) && configs[1].contains(#""evaluateEveryEpoch":false"#))
        let report = try RunReport(directory: writeConfigs(configs, task: "trec", in: path))
        #expect(report.rows.map(\.task) == ["trec"])
    }

    @Test("standard runs are named by the data options that set them apart from the programs' runs")
    func standardNamedByDataOptions() throws {
        let path = try folder([("trec", 0, 1.0, 0.5, 0.5), ("trec", 1, 1.0, 0.6, 0.6)])
        defer { try? FileManager.default.removeItem(atPath: path) }
        for seed in 0..<2 {
            let program = URL(fileURLWithPath: path).appendingPathComponent("trec-\(seed)")
            try Data(try trecConfig(seed: seed, unknownShapes: nil).utf8).write(to: program.appendingPathComponent("config.json"))
            let dir = URL(fileURLWithPath: path).appendingPathComponent("standard-trec-\(seed)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            let results = """
                {"best": {"train": {"accuracy": 1}, "val": {"accuracy": 0.5}, "test": {"accuracy": 0.5}},
                 "standard": true, "seed": \(seed), "task": "trec", "train_seconds": 1}
                """
            try Data(results.utf8).write(to: dir.appendingPathComponent("results.json"))
            try Data(try trecConfig(seed: seed, unknownShapes: true, standard: true).utf8)
                .write(to: dir.appendingPathComponent("config.json"))
        }
        let report = try RunReport(directory: path)
        // One row of each kind: a tie, so both are named; the model options, which differ between
        // the kinds, are not compared across them.
        #expect(report.rows.map(\.task) == ["trec (standard, unknownShapes=true)", "trec (unknownShapes=false)"])
        #expect(report.rows.map { $0.runs.map(\.seed) } == [[0, 1], [0, 1]])
    }
}
