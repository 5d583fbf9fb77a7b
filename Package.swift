// swift-tools-version: 6.0
import PackageDescription
import Foundation

// Release builds on x86-64 target the vector units of the machine that builds them, read from
// /proc/cpuinfo: AVX-512 (`-target-cpu skylake-avx512`: one register per `SIMD16<Float>`, 5–7%
// faster training than AVX2 with the same bits; docs/performance.md) where the CPU has it,
// else AVX2 + FMA (`haswell`: about twice as fast as the baseline x86-64), else the baseline.
// Without /proc/cpuinfo (an Intel Mac) the target is `haswell`. The binary then runs only on CPUs
// with those features, like `-march=native`: to build for another machine set TPROG_TARGET_CPU to
// name its CPU (e.g. `haswell`), or TPROG_PORTABLE=1 for the baseline x86-64. Other
// architectures (arm64) use the compiler's defaults.
#if arch(x86_64)
/// The `-target-cpu` for this machine's CPU flags (`nil`: the baseline x86-64).
func nativeTargetCPU() -> String? {
    guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return "haswell" }
    guard let line = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return nil }
    let flags = Set(line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == ":" }).map(String.init))
    let haswell: Set = ["avx", "avx2", "fma", "bmi1", "bmi2", "abm", "movbe", "f16c", "popcnt"]
    let skylakeAVX512: Set = ["avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"]
    if !flags.isSuperset(of: haswell) { return nil }
    return flags.isSuperset(of: skylakeAVX512) ? "skylake-avx512" : "haswell"
}
let portable = Context.environment["TPROG_PORTABLE"] == "1"
let targetCPU = portable ? nil : Context.environment["TPROG_TARGET_CPU"] ?? nativeTargetCPU()
let cpuFlags: [SwiftSetting] = targetCPU.map { [.unsafeFlags(["-target-cpu", $0], .when(configuration: .release))] } ?? []
#else
let cpuFlags: [SwiftSetting] = []
#endif
// Exclusivity checks cost a few percent in the kernels' inner loops; release builds drop them.
let settings: [SwiftSetting] = cpuFlags + [
    .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))
]

// The numeric modules are optimised even in debug builds: unoptimised kernels run ~80× slower,
// which would make the training and equivalence tests take minutes instead of seconds.
let numeric: [SwiftSetting] = settings + [.unsafeFlags(["-O"], .when(configuration: .debug))]

let package = Package(
    name: "TransformerPrograms",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "TransformerPrograms", targets: ["TransformerPrograms"]),
        .executable(name: "tprog", targets: ["tprog"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // MARK: - Public API
        /// Umbrella module: re-exports every module below.
        .target(name: "TransformerPrograms",
                dependencies: ["Autograd", "Tasks", "Network", "Training", "Programs"],
                swiftSettings: settings),

        // MARK: - Modules (dependencies point one way: CLI → Training/Programs → Network → Autograd)
        /// The thread's floating-point control word (flushing subnormals to zero), in C.
        .target(name: "FloatEnvironment"),
        /// Tensors, the reverse-mode tape, kernels, random numbers, the optimiser.
        .target(name: "Autograd", dependencies: ["FloatEnvironment"], swiftSettings: numeric),
        /// Task generators, vocabularies, splits, batches.
        .target(name: "Tasks", dependencies: ["Autograd"], swiftSettings: settings),
        /// The Transformer Program model (and the standard Transformer baseline).
        .target(name: "Network", dependencies: ["Autograd"], swiftSettings: numeric),
        /// The training loop, temperature schedule, metrics and run folders.
        .target(name: "Training", dependencies: ["Autograd", "Tasks", "Network"], swiftSettings: settings),
        /// Programs: representation, conversion from a network, interpreter, emitters, analysis.
        .target(name: "Programs", dependencies: ["Autograd", "Tasks", "Network"], swiftSettings: settings),

        // MARK: - Command-line tool
        .executableTarget(name: "tprog",
                          dependencies: ["TransformerPrograms",
                                         .product(name: "ArgumentParser", package: "swift-argument-parser")],
                          swiftSettings: settings),

        // MARK: - Unit test bundles
        .testTarget(name: "AutogradTests", dependencies: ["Autograd"]),
        .testTarget(name: "TasksTests", dependencies: ["Tasks"]),
        .testTarget(name: "NetworkTests", dependencies: ["Network", "Autograd"]),
        .testTarget(name: "TrainingTests", dependencies: ["Training", "Network", "Tasks"]),
        .testTarget(name: "ProgramsTests", dependencies: ["Programs", "Training", "Network", "Tasks"]),
        .testTarget(name: "CLITests", dependencies: ["tprog"]),
    ],
    swiftLanguageModes: [.v6]
)
