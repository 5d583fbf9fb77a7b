import Testing
import Tasks

/// Bad requests throw a `TaskError` with a one-line message naming the problem; none traps.
@Suite("Task options")
struct OptionsTests {
    /// The defaults of `task`, changed.
    static func options(_ task: TaskName, _ change: (inout TaskOptions) -> Void) -> (TaskName, TaskOptions) {
        var options = TaskOptions.defaults(for: task)
        change(&options)
        return (task, options)
    }

    static func message(_ task: TaskName, _ options: TaskOptions) -> String? {
        do {
            _ = try TaskDataset.generate(task, options: options)
            return nil
        } catch let error as TaskError {
            return error.description
        } catch {
            return "unexpected \(error)"
        }
    }

    @Test("an unknown task name lists the valid ones")
    func unknownTask() {
        #expect(throws: TaskError("unknown task 'sorting'; expected one of reverse, hist, double_hist, sort, most_freq, dyck1, dyck2, induction")) {
            try TaskName(parsing: "sorting")
        }
        #expect((try? TaskName(parsing: "most_freq")) == .mostFreq)
    }

    @Test("bad options are rejected with a clear message", arguments: [
        (options(.sort) { $0.minLength = 9 }, "sort: minLength (9) is greater than maxLength (8)"),
        (options(.hist) { $0.datasetSize = 0 }, "hist: datasetSize must be positive, got 0"),
        (options(.reverse) { $0.vocabSize = -1 }, "reverse: vocabSize must be positive, got -1"),
        (options(.mostFreq) { $0.minLength = 0 }, "most_freq: minLength must be positive, got 0"),
        (options(.reverse) { $0.minLength = 7 }, "reverse: maxLength (8) must be at least minLength + 2 = 9: the body of minLength…maxLength−2 symbols sits between <s> and </s>"),
        (options(.doubleHist) { $0.minLength = 8 }, "double_hist: maxLength (8) must be at least minLength + 1 = 9: the body of minLength…maxLength−1 symbols follows <s>"),
        (options(.sort) { $0.vocabSize = 3 }, "sort: vocabSize must be at least 4 (3 special tokens and one symbol), got 3"),
        (options(.hist) { $0.vocabSize = 2 }, "hist: vocabSize must be at least 3 (2 special tokens and one symbol), got 2"),
        (options(.dyck1) { $0.vocabSize = 8 }, "dyck1: vocabSize is the number of bracket types and must be 1, got 8"),
        (options(.dyck2) { $0.minLength = 1; $0.maxLength = 1 }, "dyck2: maxLength must be at least 2 (<s> and one bracket), got 1"),
        (options(.induction) { $0.vocabSize = 3 }, "induction: vocabSize must be between 4 and 55 ((vocabSize − 2)/2 letters a–z and as many numbers), got 3"),
        (options(.hist) { $0.datasetSize = 2 }, "hist: only 2 distinct example(s) could be drawn; a train/val/test split needs at least 3"),
        (options(.hist) { $0.vocabSize = 3; $0.maxLength = 2 }, "hist: only 1 distinct example(s) could be drawn; a train/val/test split needs at least 3"),
        (options(.sort) { $0.datasetSize = 20_000_000 }, "sort: datasetSize must be at most 10000000, got 20000000"),
        (options(.sort) { $0.vocabSize = 100_000; $0.maxLength = 4_096; $0.datasetSize = 10_000_000 },
         "sort: datasetSize × maxLength is 40960000000 tokens, more than 50000000 (several GB of memory): draw fewer or shorter examples"),
    ])
    func rejected(request: (task: TaskName, options: TaskOptions), expected: String) {
        #expect(Self.message(request.task, request.options) == expected)
    }

    @Test("the paper's defaults")
    func defaults() {
        #expect(TaskOptions.defaults(for: .sort) == TaskOptions(vocabSize: 8, minLength: 1, maxLength: 8, datasetSize: 20_000, seed: 0, unique: true))
        #expect(TaskOptions.defaults(for: .dyck1).vocabSize == 1)
        #expect(TaskOptions.defaults(for: .dyck2).vocabSize == 2)
        #expect(TaskOptions.defaults(for: .dyck2).minLength == 16 && TaskOptions.defaults(for: .dyck2).maxLength == 16)
        #expect(TaskOptions.defaults(for: .induction) == TaskOptions(vocabSize: 10, minLength: 9, maxLength: 9, datasetSize: 20_000))
        #expect(TaskInfo.all.map(\.name) == TaskName.allCases)
        #expect(TaskInfo.all.filter(\.causal).map(\.name) == [.dyck1, .dyck2, .induction])
    }
}

@Suite("Inputs a task draws")
struct InputProblemTests {
    @Test("<s> first and nowhere else")
    func bos() {
        #expect(Special.inputProblem(["<s>"]) == nil)
        #expect(Special.inputProblem(["<s>", "3", "</s>"]) == nil)
        #expect(Special.inputProblem(["3", "1"])?.hasPrefix("the input must start with <s>") == true)
        #expect(Special.inputProblem([]) != nil)
        #expect(Special.inputProblem(["<s>", "1", "<s>"]) == "<s> may only begin the input, but it is also at position 2")
    }
}
