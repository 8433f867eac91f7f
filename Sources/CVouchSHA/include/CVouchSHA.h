#ifndef CVOUCHSHA_H
#define CVOUCHSHA_H

#include <stddef.h>
#include <stdint.h>

/// Whether this CPU has the x86 SHA extensions (with SSSE3 and SSE4.1) that the functions below
/// need. They must not be called when this returns 0 (and always returns 0 off x86-64).
int vouch_sha256_hw_available(void);

/// Runs the SHA-256 compression function over `blocks` 64-byte blocks of `data`, updating the
/// eight state words `state` (big-endian word values, as in FIPS 180-4).
void vouch_sha256_blocks(uint32_t *state, const uint8_t *data, size_t blocks);

/// The same for two independent messages at once, `blocks` blocks of each, interleaved so the
/// SHA-NI units work on both while either waits for a result (about 1.5 times the throughput
/// of two calls of `vouch_sha256_blocks`).
void vouch_sha256_blocks_x2(
    uint32_t *state_a, const uint8_t *data_a, uint32_t *state_b, const uint8_t *data_b,
    size_t blocks);

#endif
