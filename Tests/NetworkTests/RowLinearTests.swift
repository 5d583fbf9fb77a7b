import Testing
@testable import Autograd
@testable import Network

@Suite("RowLinear kernels against a naive reference")
struct RowLinearTests {
    /// Random values with about a third exact zeros (the kernels skip zeros).
    func values(_ n: Int, seed: UInt64) -> [Float] {
        var rng = RandomStream(seed: seed)
        return (0..<n).map { _ in rng.int(below: 3) == 0 ? 0 : rng.normal() }
    }

    @Test("forward, input gradient and weight gradient for every register width and a generic one",
          arguments: [(5, 8), (16, 16), (8, 32), (16, 64), (64, 8), (7, 13), (3, 1)])
    func kernels(shape: (Int, Int)) {
        let (n, m) = shape, rows = 9
        let x = values(rows * n, seed: 1), w = values(m * n, seed: 2), b = values(m, seed: 3)
        let dy = values(rows * m, seed: 4)
        var wt = [Float](repeating: 0, count: n * m)
        for o in 0..<m { for c in 0..<n { wt[c * m + o] = w[o * n + c] } }
        // Reference in Double.
        var y = [Double](repeating: 0, count: rows * m), dx = [Double](repeating: 0, count: rows * n)
        var dw = [Double](repeating: 0, count: m * n), db = [Double](repeating: 0, count: m)
        for r in 0..<rows {
            for o in 0..<m {
                var s = Double(b[o])
                for c in 0..<n { s += Double(x[r * n + c]) * Double(w[o * n + c]) }
                y[r * m + o] = s
                db[o] += Double(dy[r * m + o])
                for c in 0..<n {
                    dx[r * n + c] += Double(dy[r * m + o]) * Double(w[o * n + c])
                    dw[o * n + c] += Double(dy[r * m + o]) * Double(x[r * n + c])
                }
            }
        }
        var gotY = [Float](repeating: 0, count: rows * m), gotDx = [Float](repeating: 0, count: rows * n)
        var gotDw = [Float](repeating: 0, count: m * n), gotDb = [Float](repeating: 0, count: m)
        RowLinear.forward(rows: rows, in: n, out: m, x: x, ldx: n, wt: wt, bias: b, y: &gotY, ldy: m)
        RowLinear.backwardInput(rows: rows, in: n, out: m, dy: dy, ldy: m, w: w, dx: &gotDx, ldx: n)
        RowLinear.backwardWeight(rows: rows, in: n, out: m, dy: dy, ldy: m, x: x, ldx: n, dw: &gotDw, dbias: &gotDb)
        func close(_ a: [Float], _ e: [Double]) -> Bool {
            zip(a, e).allSatisfy { abs(Double($0) - $1) <= 1e-4 * max(1, abs($1)) }
        }
        #expect(close(gotY, y), "forward \(n)→\(m)")
        #expect(close(gotDx, dx), "input gradient \(n)→\(m)")
        #expect(close(gotDw, dw), "weight gradient \(n)→\(m)")
        #expect(close(gotDb, db), "bias gradient \(n)→\(m)")
    }

    @Test("the input gradient without accumulate overwrites ∂x and equals accumulating into zeros, bit for bit",
          arguments: [1, 5, 8, 16, 32, 64])
    func overwritingInputGradient(n: Int) {
        let rows = 7, m = 12, ldx = n + 3
        let w = values(m * n, seed: 5), dy = values(rows * m, seed: 6)
        var accumulated = [Float](repeating: 0, count: rows * ldx)
        RowLinear.backwardInput(rows: rows, in: n, out: m, dy: dy, ldy: m, w: w, dx: &accumulated, ldx: ldx)
        // Start from garbage: every element of the rows' first n columns must be written, the
        // padding columns between rows left alone.
        var overwritten = [Float](repeating: .nan, count: rows * ldx)
        for r in 0..<rows { for c in n..<ldx { overwritten[r * ldx + c] = 0 } }
        RowLinear.backwardInput(rows: rows, in: n, out: m, dy: dy, ldy: m, w: w, dx: &overwritten, ldx: ldx,
                                accumulate: false)
        #expect(overwritten.map(\.bitPattern) == accumulated.map(\.bitPattern), "n = \(n)")
    }
}
