// swift-tools-version: 6.0
import PackageDescription

// Release builds on x86-64 target AVX2 + FMA (`-target-cpu haswell`): the SIMD kernels are about twice as
// fast with 256-bit vectors and fused multiply-add. Set TPROG_PORTABLE=1 to build for the
// baseline x86-64 instead, or TPROG_TARGET_CPU to name another CPU (e.g. `sapphirerapids` for
// AVX-512; the binary then runs only on such CPUs). Other architectures (arm64) use the
// compiler's defaults.
#if arch(x86_64)
let portable = Context.environment["TPROG_PORTABLE"] == "1"
let targetCPU = Context.environment["TPROG_TARGET_CPU"] ?? "haswell"
let cpuFlags: [SwiftSetting] = portable ? [] : [
    .unsafeFlags(["-target-cpu", targetCPU], .when(configuration: .release))
]
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
