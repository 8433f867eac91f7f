// SHA-256 compression with the x86 SHA extensions, one message or two interleaved.
// The round structure follows Intel's "Intel SHA Extensions" white paper (Gulley et al., 2013):
// per four rounds, W + K is fed to two SHA256RNDS2, and SHA256MSG1/MSG2 extend the schedule.
// Two messages share the loop so the second's rounds fill the first's latency. Checked in
// VouchStoreTests against swift-crypto on random messages of every length class.
#include "CVouchSHA.h"

#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>

static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

#define SHA_TARGET __attribute__((target("sha,sse4.1,ssse3")))
#define SHA_INLINE SHA_TARGET __attribute__((always_inline)) static inline

int vouch_sha256_hw_available(void) {
  unsigned a, b, c, d;
  if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
  int ssse3 = (c >> 9) & 1, sse41 = (c >> 19) & 1;
  if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
  return ssse3 && sse41 && ((b >> 29) & 1);
}

// State words ABCDEFGH to the ABEF / CDGH register layout SHA256RNDS2 works on, and back.
SHA_INLINE void load_state(const uint32_t *s, __m128i *abef, __m128i *cdgh) {
  __m128i tmp = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&s[0]), 0xB1);
  __m128i efgh = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&s[4]), 0x1B);
  *abef = _mm_alignr_epi8(tmp, efgh, 8);
  *cdgh = _mm_blend_epi16(efgh, tmp, 0xF0);
}

SHA_INLINE void store_state(uint32_t *s, __m128i abef, __m128i cdgh) {
  __m128i tmp = _mm_shuffle_epi32(abef, 0x1B);
  cdgh = _mm_shuffle_epi32(cdgh, 0xB1);
  _mm_storeu_si128((__m128i *)&s[0], _mm_blend_epi16(tmp, cdgh, 0xF0));
  _mm_storeu_si128((__m128i *)&s[4], _mm_alignr_epi8(cdgh, tmp, 8));
}

SHA_INLINE __m128i load_words(const uint8_t *p) {
  const __m128i swap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
  return _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)p), swap);
}

// Four rounds of group g, then (for g < 12) the schedule words of group g + 4, in place.
SHA_INLINE void rounds(__m128i *abef, __m128i *cdgh, __m128i *w, int g) {
  __m128i msg = _mm_add_epi32(w[g & 3], _mm_loadu_si128((const __m128i *)&K[4 * g]));
  *cdgh = _mm_sha256rnds2_epu32(*cdgh, *abef, msg);
  *abef = _mm_sha256rnds2_epu32(*abef, *cdgh, _mm_shuffle_epi32(msg, 0x0E));
  if (g < 12) {
    __m128i t = _mm_sha256msg1_epu32(w[g & 3], w[(g + 1) & 3]);
    t = _mm_add_epi32(t, _mm_alignr_epi8(w[(g + 3) & 3], w[(g + 2) & 3], 4));
    w[g & 3] = _mm_sha256msg2_epu32(t, w[(g + 3) & 3]);
  }
}

SHA_TARGET void vouch_sha256_blocks(uint32_t *state, const uint8_t *data, size_t blocks) {
  __m128i abef, cdgh;
  load_state(state, &abef, &cdgh);
  for (; blocks > 0; blocks--, data += 64) {
    __m128i abef0 = abef, cdgh0 = cdgh, w[4];
    for (int i = 0; i < 4; i++) w[i] = load_words(data + 16 * i);
    for (int g = 0; g < 16; g++) rounds(&abef, &cdgh, w, g);
    abef = _mm_add_epi32(abef, abef0);
    cdgh = _mm_add_epi32(cdgh, cdgh0);
  }
  store_state(state, abef, cdgh);
}

SHA_TARGET void vouch_sha256_blocks_x2(
    uint32_t *state_a, const uint8_t *data_a, uint32_t *state_b, const uint8_t *data_b,
    size_t blocks) {
  __m128i abef_a, cdgh_a, abef_b, cdgh_b;
  load_state(state_a, &abef_a, &cdgh_a);
  load_state(state_b, &abef_b, &cdgh_b);
  for (; blocks > 0; blocks--, data_a += 64, data_b += 64) {
    __m128i abef_a0 = abef_a, cdgh_a0 = cdgh_a, abef_b0 = abef_b, cdgh_b0 = cdgh_b;
    __m128i wa[4], wb[4];
    for (int i = 0; i < 4; i++) {
      wa[i] = load_words(data_a + 16 * i);
      wb[i] = load_words(data_b + 16 * i);
    }
    for (int g = 0; g < 16; g++) {
      rounds(&abef_a, &cdgh_a, wa, g);
      rounds(&abef_b, &cdgh_b, wb, g);
    }
    abef_a = _mm_add_epi32(abef_a, abef_a0);
    cdgh_a = _mm_add_epi32(cdgh_a, cdgh_a0);
    abef_b = _mm_add_epi32(abef_b, abef_b0);
    cdgh_b = _mm_add_epi32(cdgh_b, cdgh_b0);
  }
  store_state(state_a, abef_a, cdgh_a);
  store_state(state_b, abef_b, cdgh_b);
}

#else

int vouch_sha256_hw_available(void) { return 0; }
void vouch_sha256_blocks(uint32_t *state, const uint8_t *data, size_t blocks) {
  (void)state; (void)data; (void)blocks;
}
void vouch_sha256_blocks_x2(
    uint32_t *state_a, const uint8_t *data_a, uint32_t *state_b, const uint8_t *data_b,
    size_t blocks) {
  (void)state_a; (void)data_a; (void)state_b; (void)data_b; (void)blocks;
}

#endif
