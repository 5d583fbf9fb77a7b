import Foundation
import Testing
@testable import Tasks
@testable import Training

/// `ModelOptions.unembedMask`: which classes the classifier masks, and how run folders written
/// before the option existed read.
@Suite("Classifier masks")
struct UnembedMaskTests {
    static let induction = Result { () throws -> TaskDataset in
        var options = TaskOptions.defaults(for: .induction)
        options.datasetSize = 200
        return try TaskDataset.generate(.induction, options: options)
    }

    @Test("by default <pad> is masked (and <unk> only when it is not a label); unmasked, no class is")
    func masked() throws {
        let data = try Self.induction.get()
        var model = ModelOptions.paper(.induction)
        // induction's <unk> is a label ("not seen before"), so only <pad> is masked.
        #expect(model.config(for: data).maskedClasses == [0])
        model.unembedMask = false
        #expect(model.config(for: data).maskedClasses.isEmpty)
    }

    @Test("a config.json without the key reads as masked; false survives a round trip")
    func decoding() throws {
        let old = #"{"layers": 2, "catHeads": 1, "numHeads": 0, "catMLPs": 0, "numMLPs": 0}"#
        #expect(try JSONDecoder().decode(ModelOptions.self, from: Data(old.utf8)).unembedMask == true)
        var model = ModelOptions.paper(.induction)
        model.unembedMask = false
        let back = try JSONDecoder().decode(ModelOptions.self, from: try JSONEncoder().encode(model))
        #expect(back == model)
        #expect(back.unembedMask == false)
    }
}
