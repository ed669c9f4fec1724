import Glibc

/// libFuzzer's driver entry (compiler-rt `FuzzerInterface.h`): parses libFuzzer's flags from
/// `argv` and calls `callback` once per input. Present in every binary linked with
/// `-sanitize=fuzzer`.
@_silgen_name("LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

/// One fuzz input: the bytes libFuzzer chose, valid only during the call.
public typealias FuzzInput = UnsafeRawBufferPointer

/// Runs libFuzzer with the process's arguments, calling `body` for every input, and exits
/// with libFuzzer's status (non-zero after a crash, a leak or a timeout).
///
/// Why not `LLVMFuzzerTestOneInput` and libFuzzer's own `main`: SwiftPM links every
/// executable target with `main` redirected to the module's entry point (so executables
/// are testable), which leaves libFuzzer's `main` unused; the driver entry is the documented
/// way to start libFuzzer from a `main` of one's own.
public func fuzzMain(_ body: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Never {
    var argc = CommandLine.argc
    var argv = CommandLine.unsafeArgv
    exit(LLVMFuzzerRunDriver(&argc, &argv, body))
}

extension UnsafeRawBufferPointer {
    /// The input libFuzzer passed as pointer and count (a nil pointer for the empty input).
    public init(fuzz data: UnsafePointer<UInt8>?, _ size: Int) {
        self.init(start: data, count: data == nil ? 0 : size)
    }
}
