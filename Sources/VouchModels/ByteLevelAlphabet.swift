/// GPT-2's byte-level alphabet: each of the 256 byte values as a printable Unicode scalar, so BPE
/// vocabularies can spell arbitrary bytes (`Ġ` is the space byte, `Ċ` the newline).
///
/// Printable Latin-1 bytes (`!`…`~`, `¡`…`¬`, `®`…`ÿ`) stand for themselves; the other 68 bytes
/// map, in order, to U+0100 onwards — the table of `bytes_to_unicode` in GPT-2 and `tokenizers`.
public enum ByteLevelAlphabet {
  /// The scalar that spells each byte, indexed by byte value.
  public static let scalars: [Unicode.Scalar] = {
    var table = [Unicode.Scalar](repeating: " ", count: 256)
    var next: UInt32 = 256
    for byte in 0..<256 {
      let printable =
        (33...126).contains(byte) || (161...172).contains(byte) || (174...255).contains(byte)
      let value = printable ? UInt32(byte) : next
      if !printable { next += 1 }
      table[byte] = Unicode.Scalar(value) ?? " "
    }
    return table
  }()

  /// The byte each alphabet scalar spells.
  public static let bytes: [Unicode.Scalar: UInt8] = {
    var map: [Unicode.Scalar: UInt8] = [:]
    for (byte, scalar) in scalars.enumerated() { map[scalar] = UInt8(byte) }
    return map
  }()

  /// `bytes` spelled in the alphabet (`"a b"` → `"aĠb"`).
  public static func encode<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> String {
    var text = String.UnicodeScalarView()
    for byte in bytes { text.append(scalars[Int(byte)]) }
    return String(text)
  }

  /// The bytes `token` spells, or its own UTF-8 when any scalar is outside the alphabet (as the
  /// `tokenizers` ByteLevel decoder does for added tokens such as `"<|im_end|>"` with spaces).
  public static func decode(_ token: String) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(token.unicodeScalars.count)
    for scalar in token.unicodeScalars {
      guard let byte = bytes[scalar] else { return Array(token.utf8) }
      out.append(byte)
    }
    return out
  }
}
