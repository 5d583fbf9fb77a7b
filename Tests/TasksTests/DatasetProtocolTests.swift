import Testing
import Tasks

/// The generation protocol: de-duplication, the 10 % / 10 % split, lengths, determinism.
@Suite("Dataset protocol")
struct DatasetProtocolTests {
    static func generate(_ task: TaskName, _ change: (inout TaskOptions) -> Void = { _ in }) throws
        -> TaskDataset {
        var options = TaskOptions.defaults(for: task)
        change(&options)
        return try TaskDataset.generate(task, options: options)
    }

    @Test("20,000 de-duplicated examples split 16,200 / 1,800 / 2,000 wherever the space allows",
          arguments: [TaskName.hist, .doubleHist, .mostFreq, .dyck1, .dyck2, .induction])
    func fullSplits(task: TaskName) throws {
        let data = try Self.generate(task)
        #expect([data.train.count, data.val.count, data.test.count] == [16_200, 1_800, 2_000])
    }

    @Test("reverse and sort keep the distinct part of 100,000 draws: about 11.4k / 1.27k / 1.41k",
          arguments: [TaskName.reverse, .sort])
    func smallSpace(task: TaskName) throws {
        let data = try Self.generate(task)
        let total = data.train.count + data.val.count + data.test.count
        // 19,530 distinct bodies; 100,000 draws leave about 14.1k distinct (the original: 14,124).
        #expect((13_900...14_300).contains(total), "total \(total)")
        let sizes = TaskDataset.splitSizes(total)
        #expect([data.train.count, data.val.count, data.test.count] == [sizes.train, sizes.val, sizes.test])
        #expect((11_250...11_600).contains(data.train.count))
        #expect(TaskDataset.splitSizes(14_124) == (11_439, 1_272, 1_413))
    }

    @Test("the vocabularies cover every split, so small data sets encode (a label only val or test has)")
    func vocabulariesCoverAllSplits() throws {
        let data = try Self.generate(.hist) { $0.datasetSize = 200; $0.seed = 18_446_744_073_709_551_615 }
        let trainLabels = Set(data.train.flatMap(\.labels)), allLabels = Set(data.labels.symbols)
        #expect(!allLabels.isSubset(of: trainLabels.union(["<pad>"])))   // a label training never shows
        for split in Split.allCases { #expect(throws: Never.self) { _ = try data.encoded(split) } }
        // At the paper's settings training holds every symbol: the same lists as the original's.
        let sort = try Self.generate(.sort)
        #expect(sort.vocabulary.symbols == ["<pad>", "0", "1", "2", "3", "4", "</s>", "<s>"])
        #expect(Vocabulary(padFirst: sort.train.flatMap(\.tokens)) == sort.vocabulary)
        #expect(Vocabulary(padFirst: sort.train.flatMap(\.labels)) == sort.labels)
    }

    @Test("split sizes follow scikit-learn: test ceil(0.1·n), then val ceil(0.1·rest)")
    func splitSizes() {
        #expect(TaskDataset.splitSizes(20_000) == (16_200, 1_800, 2_000))
        #expect(TaskDataset.splitSizes(31) == (24, 3, 4))
        #expect(TaskDataset.splitSizes(3) == (1, 1, 1))
        #expect(TaskDataset.splitSizes(2) == (0, 1, 1))
    }

    @Test("no repeated input when unique; splits are disjoint", arguments: TaskName.allCases)
    func uniqueAndDisjoint(task: TaskName) throws {
        let data = try Self.generate(task) { $0.datasetSize = 3_000 }
        let splits = [data.train, data.val, data.test].map { Set($0.map(\.tokens)) }
        #expect(splits.map(\.count) == [data.train.count, data.val.count, data.test.count])
        #expect(splits[0].isDisjoint(with: splits[1]))
        #expect(splits[0].isDisjoint(with: splits[2]))
        #expect(splits[1].isDisjoint(with: splits[2]))
    }

    @Test("without unique exactly datasetSize examples are kept, repeats included")
    func notUnique() throws {
        let data = try Self.generate(.sort) { $0.unique = false }
        let all = data.train + data.val + data.test
        #expect(all.count == 20_000)
        #expect(Set(all.map(\.tokens)).count < 20_000)
    }

    @Test("sequence lengths stay within the task's bounds", arguments: [
        (TaskName.reverse, 3...8), (.sort, 3...8), (.hist, 2...8), (.doubleHist, 2...8),
        (.mostFreq, 2...8), (.dyck1, 16...16), (.dyck2, 16...16), (.induction, 10...10),
    ])
    func lengths(task: TaskName, bounds: ClosedRange<Int>) throws {
        let data = try Self.generate(task) { $0.datasetSize = 2_000 }
        let lengths = Set((data.train + data.val + data.test).map(\.tokens.count))
        #expect(lengths.allSatisfy(bounds.contains))
        #expect(lengths.contains(bounds.upperBound))
        #expect(data.maxLength == bounds.upperBound)
        #expect(data.causal == [.dyck1, .dyck2, .induction].contains(task))
    }

    @Test("other lengths: reverse bodies of minLength…maxLength−2, hist of minLength…maxLength−1")
    func customLengths() throws {
        let reverse = try Self.generate(.reverse) { $0.minLength = 3; $0.maxLength = 12; $0.datasetSize = 2_000 }
        #expect(Set(reverse.train.map(\.tokens.count)) == Set(5...12))
        let hist = try Self.generate(.hist) { $0.minLength = 4; $0.maxLength = 6; $0.datasetSize = 500 }
        #expect(Set(hist.train.map(\.tokens.count)) == Set(5...6))
    }

    @Test("the same seed gives identical data; another seed different data", arguments: TaskName.allCases)
    func determinism(task: TaskName) throws {
        let a = try Self.generate(task) { $0.datasetSize = 500 }
        let b = try Self.generate(task) { $0.datasetSize = 500 }
        let c = try Self.generate(task) { $0.datasetSize = 500; $0.seed = 1 }
        for split in Split.allCases {
            #expect(a.examples(split) == b.examples(split))
            #expect(a.examples(split) != c.examples(split))
        }
    }

    @Test("the first examples drawn are pinned for seed 0 (portability)")
    func pinned() throws {
        let data = try Self.generate(.sort) { $0.datasetSize = 10 }
        // Recorded from this implementation; a change here means every seed's data changed.
        let lines = data.train.map { $0.tokens.joined(separator: " ") }
        #expect(lines == DatasetProtocolTests.sortSeed0)
    }
    static let sortSeed0 = [
        "<s> 0 </s>", "<s> 4 0 1 3 0 4 </s>", "<s> 4 1 3 4 </s>", "<s> 4 0 1 2 3 4 </s>",
        "<s> 2 2 4 4 0 0 </s>", "<s> 0 1 2 1 </s>", "<s> 1 3 0 </s>", "<s> 3 </s>",
    ]

    @Test("vocabularies: <pad> first, then the training symbols in Python string order")
    func vocabularies() throws {
        let sort = try Self.generate(.sort) { $0.datasetSize = 2_000 }
        #expect(sort.vocabulary.symbols == ["<pad>", "0", "1", "2", "3", "4", "</s>", "<s>"])
        #expect(sort.labels.symbols == ["<pad>", "0", "1", "2", "3", "4"])
        let mostFreq = try Self.generate(.mostFreq) { $0.datasetSize = 2_000 }
        #expect(mostFreq.vocabulary.symbols == ["<pad>", "0", "1", "2", "3", "4", "5", "<s>"])
        #expect(mostFreq.labels.symbols == ["<pad>", "0", "1", "2", "3", "4", "5", "<s>"])
        let hist = try Self.generate(.hist) { $0.datasetSize = 2_000 }
        #expect(hist.labels.symbols.starts(with: ["<pad>", "1", "2", "3", "4", "5", "6"]))
        let dyck2 = try Self.generate(.dyck2) { $0.datasetSize = 2_000 }
        #expect(dyck2.vocabulary.symbols == ["<pad>", "(", ")", "<s>", "{", "}"])
        #expect(dyck2.labels.symbols == ["<pad>", "F", "P", "T"])
        let induction = try Self.generate(.induction) { $0.datasetSize = 2_000 }
        #expect(induction.vocabulary.symbols == ["<pad>", "0", "1", "2", "3", "<s>", "a", "b", "c", "d"])
        #expect(induction.labels.symbols == ["<pad>", "0", "1", "2", "3", "<unk>"])
        #expect(induction.vocabulary.id("<pad>") == 0 && induction.vocabulary.id("b") == 7)
        #expect(induction.vocabulary.id("e") == nil)
    }

    @Test("Python string order sorts by code point")
    func pythonOrder() {
        let sorted = ["b", "<s>", "10", "</s>", "2", "A", "{", "("].sorted(by: Vocabulary.pythonOrder)
        #expect(sorted == ["(", "10", "2", "</s>", "<s>", "A", "b", "{"])
    }
}
