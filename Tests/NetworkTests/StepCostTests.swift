import Foundation
import Testing
@testable import Autograd
@testable import Network

@Suite("Step cost and profile")
struct StepCostTests {
    @Test("the FLOP count of a one-layer model matches the formula worked by hand")
    func flops() throws {
        // k = 4, d = 6, one layer with one head and one MLP of each kind, 3 classes.
        let config = ProgramConfig(varWidth: 4, layers: 1, catHeads: 1, numHeads: 1, catMLPs: 1, numMLPs: 1, mlpWidth: 6,
                                   causal: false, vocabularySize: 4, classCount: 3, maskedClasses: [0], maxLength: 4)
        let model = try TransformerProgram(config: config, seed: 0)
        // Streams: cat tokens, positions (+ head, MLP outputs: 2 cat MLPs write cat variables) → m_cat = 2,
        // m'_cat = 3 (with the head); num ones → m_num = 1, m'_num = 2 (with the num head).
        #expect(model.layout.catInput(layer: 0) == 2 && model.layout.catMLPInput(layer: 0) == 3)
        #expect(model.layout.numInput(layer: 0) == 1 && model.layout.numMLPInput(layer: 0) == 2)
        let lengths = [3, 2]                 // R = 5 rows, P = 9 + 4 = 13 pairs
        let reads: Double = 5 * 4 * (6 + 4 + 6) + 5 * (1 + 4)              // 320 + 25
        let attention: Double = (80 + 104) + (80 + 52 + 13)                 // cat head, num head
        let mlps: Double = 5 * (48 + 24) + 5 * (12 + 24)                    // cat MLP, num MLP
        let width = Double(model.layout.catCount * 4 + model.layout.numCount)
        let classifier: Double = 5 * width * 3
        #expect(model.stepFLOPs(lengths: lengths) == 6 * (reads + attention + mlps + classifier))
    }

    @Test("the profile gives each interval to the innermost mark, on the starting thread only")
    func profile() {
        // A hand-advanced clock: the totals are exact, whatever the machine's load.
        final class Ticks: @unchecked Sendable { var ns: UInt64 = 0 }
        let ticks = Ticks()
        Profile.start { ticks.ns }
        ticks.ns += 5                                   // other
        Profile.measure(.mlp) {
            ticks.ns += 1_000                           // mlp
            Profile.measure(.sampling) { ticks.ns += 20_000 }
            ticks.ns += 300                             // mlp again
        }
        // A mark made on another thread while profiling is on is ignored: its 11 ns stay with `other`,
        // where the profiled thread is.
        let done = DispatchSemaphore(value: 0)
        let other = Thread { Profile.measure(.reads) { ticks.ns += 11 }; done.signal() }
        other.start()
        done.wait()
        let mark = Profile.enter(.optimiser)
        ticks.ns += 7
        Profile.exit(mark)
        Profile.stop()
        let s = Profile.seconds()
        #expect(s[.other]! == 16e-9 && s[.mlp]! == 1.3e-6 && s[.sampling]! == 2e-5 && s[.optimiser]! == 7e-9, "\(s)")
        #expect(s[.reads]! == 0 && s[.attention]! == 0, "\(s)")
        #expect(!Profile.enabled)
        #expect(Profile.measure(.reads) { 7 } == 7)   // off: just runs the body
    }
}
