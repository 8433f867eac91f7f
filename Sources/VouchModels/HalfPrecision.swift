/// Conversions between Float32 and the 16-bit formats safetensors stores (bf16, IEEE f16).
public enum HalfPrecision {
  /// Widens bfloat16 bits to Float32 (exact: bf16 is the top half of an f32).
  @inlinable
  public static func float(bfloat16 bits: UInt16) -> Float {
    Float(bitPattern: UInt32(bits) << 16)
  }

  /// Narrows `value` to bfloat16 bits with round-to-nearest-even, as torch's
  /// `.to(torch.bfloat16)` does (`c10::round_to_nearest_even`); every NaN becomes `0x7FC0`.
  @inlinable
  public static func bfloat16(_ value: Float) -> UInt16 {
    if value.isNaN { return 0x7FC0 }
    let bits = value.bitPattern
    let bias = ((bits >> 16) & 1) &+ 0x7FFF
    return UInt16(truncatingIfNeeded: (bits &+ bias) >> 16)
  }

  /// Widens IEEE 754 binary16 bits to Float32 (exact, including subnormals, ±inf and NaN payloads).
  @inlinable
  public static func float(float16 bits: UInt16) -> Float {
    let sign = UInt32(bits & 0x8000) << 16
    let exponent = UInt32(bits >> 10) & 0x1F
    var mantissa = UInt32(bits) & 0x3FF
    if exponent == 0x1F {
      // Inf or NaN: keep the payload in the top mantissa bits.
      return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
    }
    if exponent != 0 {
      return Float(bitPattern: sign | ((exponent + 112) << 23) | (mantissa << 13))
    }
    if mantissa == 0 { return Float(bitPattern: sign) }
    // Subnormal: shift the leading one into the implicit bit, adjusting the exponent.
    var e: UInt32 = 113
    while mantissa & 0x400 == 0 {
      mantissa <<= 1
      e -= 1
    }
    return Float(bitPattern: sign | (e << 23) | ((mantissa & 0x3FF) << 13))
  }

  /// Widens `count` little-endian elements of `dtype` at `source` into `destination`.
  /// `source` need not be aligned (safetensors offsets are byte offsets).
  public static func widen(
    _ source: UnsafeRawBufferPointer, dtype: WeightDType,
    into destination: UnsafeMutableBufferPointer<Float>
  ) {
    let count = destination.count
    precondition(source.count == count * dtype.byteWidth, "byte count does not match")
    guard count > 0, let base = source.baseAddress, let out = destination.baseAddress else {
      return
    }
    switch dtype {
    case .float32:
      UnsafeMutableRawPointer(out).copyMemory(from: base, byteCount: count * 4)
      #if _endian(big)
        for index in 0..<count { out[index] = Float(bitPattern: out[index].bitPattern.byteSwapped) }
      #endif
    case .bfloat16:
      for index in 0..<count {
        let bits = UInt16(
          littleEndian: base.loadUnaligned(fromByteOffset: 2 * index, as: UInt16.self))
        out[index] = float(bfloat16: bits)
      }
    case .float16:
      for index in 0..<count {
        let bits = UInt16(
          littleEndian: base.loadUnaligned(fromByteOffset: 2 * index, as: UInt16.self))
        out[index] = float(float16: bits)
      }
    }
  }
}
