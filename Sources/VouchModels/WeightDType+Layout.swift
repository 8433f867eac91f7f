extension WeightDType {
  /// Bytes per element: 4 for F32, 2 for BF16 and F16.
  public var byteWidth: Int {
    switch self {
    case .float32: 4
    case .bfloat16, .float16: 2
    }
  }

  /// Every dtype name the safetensors format defines (`safetensors` 0.5); a name outside this list
  /// is "unknown", a name inside it but not a ``WeightDType`` is "unsupported".
  static let safetensorsNames: Set<String> = [
    "BOOL", "U8", "I8", "F8_E5M2", "F8_E4M3", "F8_E8M0", "F4", "F6_E2M3", "F6_E3M2", "I16", "U16",
    "F16", "BF16", "I32", "U32", "F32", "C64", "F64", "I64", "U64",
  ]

  /// Rank in the reference writer's sort (larger alignment first), so files we write lay tensors
  /// out in the same order as `safetensors.torch.save_file`.
  var writerRank: Int {
    switch self {
    case .float32: 0
    case .bfloat16: 1
    case .float16: 2
    }
  }
}
