import CVouchSHA
import VouchCore

// The only file of VouchStore that touches CVouchSHA (vouch's own SHA-NI compression loops).

/// SHA-256 of two independent messages at once, on the x86 SHA extensions.
///
/// One SHA-256 stream is bound by the latency of the SHA-NI round instruction; interleaving a
/// second message fills those gaps, hashing about 1.5 times as many bytes per second on one
/// core. The ingest pipeline hashes chunks in pairs this way. Digests are the standard ones
/// (tests compare them with swift-crypto), so who hashes what never shows in results.
enum SHA256Pair {
  /// Whether the CPU supports it (`vouch_sha256_hw_available`); callers fall back to
  /// `StreamingHash` otherwise.
  static let isAvailable = vouch_sha256_hw_available() != 0

  private static let initial: [UInt32] = [
    0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a,
    0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19,
  ]

  /// The SHA-256 digests of `a` and `b` (requires `isAvailable`). The common whole blocks go
  /// through `vouch_sha256_blocks_x2`, the rest and the padding through `vouch_sha256_blocks`.
  static func digests(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> (
    Digest, Digest
  ) {
    withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 16) { states in
      guard let stateA = states.baseAddress else {
        return (StreamingHash.digest(of: a), StreamingHash.digest(of: b))
      }
      let stateB = stateA + 8
      for index in 0..<8 {
        stateA[index] = initial[index]
        stateB[index] = initial[index]
      }
      let blocksA = a.count / 64
      let blocksB = b.count / 64
      let common = min(blocksA, blocksB)
      if common > 0, let baseA = a.baseAddress, let baseB = b.baseAddress {
        vouch_sha256_blocks_x2(
          stateA, baseA.assumingMemoryBound(to: UInt8.self), stateB,
          baseB.assumingMemoryBound(to: UInt8.self), common)
      }
      return (
        finish(stateA, a, from: common * 64), finish(stateB, b, from: common * 64)
      )
    }
  }

  /// The SHA-256 digests of `messages`, in order (requires `isAvailable`).
  ///
  /// Two lanes each take the next message when theirs is done, so whole blocks of messages of
  /// different lengths still go two at a time; only tails, padding and the last message's
  /// leftover run alone.
  static func digests(of messages: [UnsafeRawBufferPointer]) -> [Digest] {
    var out = [Digest]()
    out.reserveCapacity(messages.count)
    var pending = [Digest?](repeating: nil, count: messages.count)
    withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 16) { states in
      guard let base = states.baseAddress else { return }
      var lanes: [Lane?] = [nil, nil]
      var next = 0
      func load(_ lane: Int) {
        guard next < messages.count else {
          lanes[lane] = nil
          return
        }
        let state = base + 8 * lane
        for index in 0..<8 { state[index] = initial[index] }
        lanes[lane] = Lane(message: next, offset: 0, blocks: messages[next].count / 64)
        next += 1
      }
      load(0)
      load(1)
      while lanes[0] != nil || lanes[1] != nil {
        if let a = lanes[0], let b = lanes[1], a.blocks > 0, b.blocks > 0,
          let dataA = messages[a.message].baseAddress, let dataB = messages[b.message].baseAddress
        {
          let common = min(a.blocks, b.blocks)
          vouch_sha256_blocks_x2(
            base, (dataA + a.offset).assumingMemoryBound(to: UInt8.self), base + 8,
            (dataB + b.offset).assumingMemoryBound(to: UInt8.self), common)
          lanes[0] = Lane(
            message: a.message, offset: a.offset + 64 * common, blocks: a.blocks - common)
          lanes[1] = Lane(
            message: b.message, offset: b.offset + 64 * common, blocks: b.blocks - common)
        }
        for lane in 0..<2 {
          // A lane whose message has no whole block left (or whose partner is gone) finishes
          // it alone and takes the next.
          guard let current = lanes[lane], current.blocks == 0 || lanes[1 - lane] == nil else {
            continue
          }
          pending[current.message] = finish(
            base + 8 * lane, messages[current.message], from: current.offset)
          load(lane)
        }
      }
    }
    for index in messages.indices {
      out.append(pending[index] ?? StreamingHash.digest(of: messages[index]))
    }
    return out
  }

  /// One lane's message: its index, the next byte to compress, and the whole blocks left.
  private struct Lane {
    var message: Int
    var offset: Int
    var blocks: Int
  }

  /// Compresses `message` from byte `start` (a multiple of 64) on, pads, and reads the digest.
  private static func finish(
    _ state: UnsafeMutablePointer<UInt32>, _ message: UnsafeRawBufferPointer, from start: Int
  ) -> Digest {
    let whole = message.count / 64 * 64
    if whole > start, let base = message.baseAddress {
      vouch_sha256_blocks(
        state, (base + start).assumingMemoryBound(to: UInt8.self), (whole - start) / 64)
    }
    // The tail, 0x80, zeros, and the bit length big-endian: one block, or two when the tail
    // leaves fewer than 9 bytes free. Then the state words, big-endian, are the digest.
    let tail = message.count - whole
    let blocks = tail < 56 ? 1 : 2
    let bits = UInt64(message.count) &* 8
    return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 128) { padding in
      padding.initialize(repeating: 0)
      for index in 0..<tail { padding[index] = message[whole + index] }
      padding[tail] = 0x80
      for index in 0..<8 {
        padding[blocks * 64 - 1 - index] = UInt8(truncatingIfNeeded: bits >> (8 * UInt64(index)))
      }
      if let base = padding.baseAddress { vouch_sha256_blocks(state, base, blocks) }
      func word(_ index: Int) -> UInt64 {
        UInt64(state[2 * index]) << 32 | UInt64(state[2 * index + 1])
      }
      return Digest(words: (word(0), word(1), word(2), word(3)))
    }
  }
}
