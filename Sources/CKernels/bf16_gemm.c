// bf16 matrix products with fp32 sums (AVX512-BF16, VDPBF16PS), BLIS-style: the right-hand
// matrix is packed once into 48-column panels of bf16 row pairs (a weight matrix is packed once
// per training step and used for every time step); the left-hand rows are packed per call in
// blocks of rows over the whole depth; an 8 x 48 micro-kernel (fewer rows at a tail) keeps its 24 sums in registers, each
// VDPBF16PS adding two products per lane. Zen 4 issues one 512-bit VDPBF16PS per cycle, twice
// the products of an fp32 FMA, which is where the speed over OpenBLAS's sgemm comes from.
#include "CKernels.h"

#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>
#define LK_TARGET __attribute__((target("avx512f,avx512bw,avx512vl,avx512bf16")))
#endif

enum { MR = 8, NR = LK_BF16_PANEL };

static inline uint16_t to_bf16(float f) {
    uint32_t u;
    memcpy(&u, &f, 4);
    if ((u & 0x7fffffffu) > 0x7f800000u) return (uint16_t)((u >> 16) | 0x40);  // quiet NaN
    u += 0x7fffu + ((u >> 16) & 1u);
    return (uint16_t)(u >> 16);
}

float lk_bf16_round(float x) {
    uint32_t u = (uint32_t)to_bf16(x) << 16;
    float f;
    memcpy(&f, &u, 4);
    return f;
}

size_t lk_bf16_packed_size(int k, int n) {
    size_t kp = (size_t)((k + 1) / 2) * 2;
    return kp * (size_t)lk_bf16_panels(n) * NR;
}

int lk_bf16_panels(int n) { return (n + NR - 1) / NR; }

int lk_bf16_available(void) {
#if defined(__x86_64__)
    unsigned a, b, c, d;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
    int f = (b >> 16) & 1, bw = (b >> 30) & 1, vl = (b >> 31) & 1;
    if (!__get_cpuid_count(7, 1, &a, &b, &c, &d)) return 0;
    int bf16 = (a >> 5) & 1;
    if (!__get_cpuid(1, &a, &b, &c, &d) || !((c >> 27) & 1)) return 0;  // OSXSAVE
    unsigned lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    int zmm = (lo & 0xe6) == 0xe6;  // SSE, AVX, opmask, ZMM_Hi256, Hi16_ZMM state enabled
    return f && bw && vl && bf16 && zmm;
#else
    return 0;
#endif
}

/// op(B)[r][c] for packing tails (zero outside the matrix).
static inline float b_at(int trans, const float *b, int ldb, int k, int n, int r, int c) {
    if (r >= k || c >= n) return 0;
    return trans ? b[(size_t)c * ldb + r] : b[(size_t)r * ldb + c];
}

#if defined(__x86_64__)

/// Row pair (r, r+1) of a non-transposed B, 16 columns from c, as 16 interleaved bf16 pairs.
LK_TARGET static inline __m512i pair16(const float *row0, const float *row1, __mmask16 m) {
    const __m512i interleave = _mm512_set_epi16(31, 15, 30, 14, 29, 13, 28, 12, 27, 11, 26, 10, 25, 9, 24, 8,
                                                23, 7, 22, 6, 21, 5, 20, 4, 19, 3, 18, 2, 17, 1, 16, 0);
    __m512 x0 = _mm512_maskz_loadu_ps(m, row0), x1 = row1 ? _mm512_maskz_loadu_ps(m, row1) : _mm512_setzero_ps();
    __m512i both = (__m512i)_mm512_cvtne2ps_pbh(x1, x0);  // low 16: row0, high 16: row1
    return _mm512_permutexvar_epi16(interleave, both);
}

LK_TARGET static void pack_panels(int trans, int k, int n, const float *b, int ldb, uint16_t *packed, int j0, int j1) {
    int kp = (k + 1) / 2;
    for (int j = j0; j < j1; j++) {
        uint16_t *panel = packed + (size_t)j * kp * 2 * NR;
        int c0 = j * NR, cols = n - c0 < NR ? n - c0 : NR;
        if (!trans) {
            for (int p = 0; p < kp; p++) {
                const float *r0 = b + (size_t)(2 * p) * ldb + c0;
                const float *r1 = 2 * p + 1 < k ? r0 + ldb : NULL;
                for (int g = 0; g < NR / 16; g++) {
                    int left = cols - 16 * g;
                    __mmask16 m = left >= 16 ? 0xffff : left <= 0 ? 0 : (__mmask16)((1u << left) - 1);
                    _mm512_storeu_si512(panel + (size_t)p * 2 * NR + 32 * g, pair16(r0 + 16 * g, r1 ? r1 + 16 * g : NULL, m));
                }
            }
        } else {
            // B stored n x k: the pair (B[c][2p], B[c][2p+1]) is contiguous; 16 pairs of a row
            // are converted at once and scattered down the panel (stride NR pairs).
            const __m512i stride = _mm512_mullo_epi32(_mm512_set_epi32(15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0),
                                                      _mm512_set1_epi32(NR));
            for (int cc = 0; cc < NR; cc++) {
                int c = c0 + cc;
                uint32_t *dst = (uint32_t *)panel + cc;
                if (c >= n) {
                    for (int p = 0; p < kp; p++) dst[(size_t)p * NR] = 0;
                    continue;
                }
                const float *row = b + (size_t)c * ldb;
                int p = 0;
                for (; 2 * p + 32 <= k; p += 16) {
                    __m512 lo = _mm512_loadu_ps(row + 2 * p), hi = _mm512_loadu_ps(row + 2 * p + 16);
                    __m512i v = (__m512i)_mm512_cvtne2ps_pbh(hi, lo);
                    _mm512_i32scatter_epi32(dst + (size_t)p * NR, stride, v, 4);
                }
                for (; p < kp; p++) {
                    uint32_t lo = to_bf16(b_at(1, b, ldb, k, n, 2 * p, c)), hi = to_bf16(b_at(1, b, ldb, k, n, 2 * p + 1, c));
                    dst[(size_t)p * NR] = lo | (hi << 16);
                }
            }
        }
    }
}

/// Packs rows [m0, m0+mc) x depth [k0, k0+kc) of op(A) into MR-row panels of bf16 pairs:
/// panel i, pair p holds MR uint32 (A[row][2p], A[row][2p+1]); missing rows/depth are zeros.
LK_TARGET static void pack_a(int trans, const float *a, int lda, int m, int k, int m0, int mc, int k0, int kc, uint32_t *out) {
    int kcp = (kc + 1) / 2;
    for (int i = 0; i < mc; i += MR) {
        uint32_t *panel = out + (size_t)(i / MR) * kcp * MR;
        int rows = mc - i < MR ? mc - i : MR;
        if (trans) {
            // A stored k x m: 8 consecutive rows of op(A) are contiguous in each stored row.
            const __m256i interleave = _mm256_set_epi16(15, 7, 14, 6, 13, 5, 12, 4, 11, 3, 10, 2, 9, 1, 8, 0);
            __mmask8 mask = (__mmask8)((1u << rows) - 1);
            for (int p = 0; p < kcp; p++) {
                int r = k0 + 2 * p;
                const float *s0 = a + (size_t)r * lda + m0 + i;
                __m256 x0 = _mm256_maskz_loadu_ps(mask, s0);
                __m256 x1 = 2 * p + 1 < kc && r + 1 < k ? _mm256_maskz_loadu_ps(mask, s0 + lda) : _mm256_setzero_ps();
                __m256i both = (__m256i)_mm256_cvtne2ps_pbh(x1, x0);
                _mm256_storeu_si256((__m256i *)(panel + (size_t)p * MR), _mm256_permutexvar_epi16(interleave, both));
            }
        } else {
            const __m512i stride = _mm512_mullo_epi32(_mm512_set_epi32(15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0),
                                                      _mm512_set1_epi32(MR));
            for (int rr = 0; rr < MR; rr++) {
                uint32_t *dst = panel + rr;
                if (rr >= rows) {
                    for (int p = 0; p < kcp; p++) dst[(size_t)p * MR] = 0;
                    continue;
                }
                const float *row = a + (size_t)(m0 + i + rr) * lda + k0;
                int p = 0;
                for (; 2 * p + 32 <= kc; p += 16) {
                    __m512 lo = _mm512_loadu_ps(row + 2 * p), hi = _mm512_loadu_ps(row + 2 * p + 16);
                    _mm512_i32scatter_epi32(dst + (size_t)p * MR, stride, (__m512i)_mm512_cvtne2ps_pbh(hi, lo), 4);
                }
                for (; p < kcp; p++) {
                    float x0 = row[2 * p], x1 = 2 * p + 1 < kc ? row[2 * p + 1] : 0;
                    dst[(size_t)p * MR] = (uint32_t)to_bf16(x0) | ((uint32_t)to_bf16(x1) << 16);
                }
            }
        }
    }
}

/// C[R x cols] (cols <= 48) = alpha * Apanel * Bpanel + beta * C over kcp pairs, for R rows of
/// the panel known at compile time: one-row products (generation with one stream) do one
/// VDPBF16PS per 16 columns instead of eight, and split the depth over two sets of sums so
/// the adds' latency does not serialise them.
#define LK_INLINE __attribute__((always_inline)) inline
LK_TARGET static LK_INLINE void kernel_rx48(const int R, int kcp, const uint32_t *a, const uint16_t *b, float *c, int ldc,
                                             int cols, float alpha, float beta) {
    __m512 acc[MR][3], odd[3];
    for (int r = 0; r < R; r++) acc[r][0] = acc[r][1] = acc[r][2] = _mm512_setzero_ps();
    odd[0] = odd[1] = odd[2] = _mm512_setzero_ps();
    int p = 0;
    if (R == 1) {
        for (; p + 1 < kcp; p += 2) {
            const uint16_t *bp = b + (size_t)p * 2 * NR;
            __m512bh a0 = (__m512bh)_mm512_set1_epi32((int)a[(size_t)p * MR]);
            __m512bh a1 = (__m512bh)_mm512_set1_epi32((int)a[(size_t)(p + 1) * MR]);
            for (int g = 0; g < 3; g++) {
                acc[0][g] = _mm512_dpbf16_ps(acc[0][g], a0, (__m512bh)_mm512_loadu_si512(bp + 32 * g));
                odd[g] = _mm512_dpbf16_ps(odd[g], a1, (__m512bh)_mm512_loadu_si512(bp + 2 * NR + 32 * g));
            }
        }
    }
    for (; p < kcp; p++) {
        const uint16_t *bp = b + (size_t)p * 2 * NR;
        __m512bh b0 = (__m512bh)_mm512_loadu_si512(bp), b1 = (__m512bh)_mm512_loadu_si512(bp + 32),
                 b2 = (__m512bh)_mm512_loadu_si512(bp + 64);
        const uint32_t *ap = a + (size_t)p * MR;
#pragma clang loop unroll(full)
        for (int r = 0; r < R; r++) {
            __m512bh av = (__m512bh)_mm512_set1_epi32((int)ap[r]);
            acc[r][0] = _mm512_dpbf16_ps(acc[r][0], av, b0);
            acc[r][1] = _mm512_dpbf16_ps(acc[r][1], av, b1);
            acc[r][2] = _mm512_dpbf16_ps(acc[r][2], av, b2);
        }
    }
    if (R == 1)
        for (int g = 0; g < 3; g++) acc[0][g] = _mm512_add_ps(acc[0][g], odd[g]);
    __mmask16 mask[3];
    for (int g = 0; g < 3; g++) {
        int left = cols - 16 * g;
        mask[g] = left >= 16 ? 0xffff : left <= 0 ? 0 : (__mmask16)((1u << left) - 1);
    }
    __m512 va = _mm512_set1_ps(alpha), vb = _mm512_set1_ps(beta);
    for (int r = 0; r < R; r++) {
        float *cr = c + (size_t)r * ldc;
        for (int g = 0; g < 3; g++) {
            if (!mask[g]) continue;
            __m512 v = _mm512_mul_ps(acc[r][g], va);
            if (beta != 0) v = _mm512_fmadd_ps(vb, _mm512_maskz_loadu_ps(mask[g], cr + 16 * g), v);
            _mm512_mask_storeu_ps(cr + 16 * g, mask[g], v);
        }
    }
}

/// The micro-kernel for `rows` (1...8) rows of a panel, each row count its own compiled copy.
LK_TARGET static void kernel(int rows, int kcp, const uint32_t *a, const uint16_t *b, float *c, int ldc, int cols,
                             float alpha, float beta) {
    switch (rows) {
    case 1: kernel_rx48(1, kcp, a, b, c, ldc, cols, alpha, beta); break;
    case 2: kernel_rx48(2, kcp, a, b, c, ldc, cols, alpha, beta); break;
    case 3: kernel_rx48(3, kcp, a, b, c, ldc, cols, alpha, beta); break;
    case 4: kernel_rx48(4, kcp, a, b, c, ldc, cols, alpha, beta); break;
    case 5: kernel_rx48(5, kcp, a, b, c, ldc, cols, alpha, beta); break;
    case 6: kernel_rx48(6, kcp, a, b, c, ldc, cols, alpha, beta); break;
    case 7: kernel_rx48(7, kcp, a, b, c, ldc, cols, alpha, beta); break;
    default: kernel_rx48(8, kcp, a, b, c, ldc, cols, alpha, beta); break;
    }
}

LK_TARGET static void gemm_avx512(int transA, int m, int n, int k, float alpha, const float *a, int lda,
                                  const uint16_t *packed, float beta, float *c, int ldc) {
    // The whole depth in one pass, so C is read and written once: rows are packed in blocks
    // whose packed form stays near APACK bytes (in L2, reused by every column panel) and each
    // column panel (k x 48, from L2) is reused by every 8-row panel of the block.
    enum { APACK = 192 * 1024 };
    static _Thread_local uint32_t *apack = NULL;
    static _Thread_local size_t apackSize = 0;
    int kp = (k + 1) / 2, panels = lk_bf16_panels(n);
    int mc = APACK / (kp * 4 * MR) * MR;
    if (mc < MR) mc = MR;
    if (mc > m) mc = (m + MR - 1) / MR * MR;
    size_t need = (size_t)mc * kp;
    if (need > apackSize) {
        free(apack);
        apack = aligned_alloc(64, (need * sizeof(uint32_t) + 63) / 64 * 64);
        apackSize = need;
    }
    for (int m0 = 0; m0 < m; m0 += mc) {
        int rows = m - m0 < mc ? m - m0 : mc;
        pack_a(transA, a, lda, m, k, m0, rows, 0, k, apack);
        for (int j = 0; j < panels; j++) {
            const uint16_t *bpanel = packed + (size_t)j * kp * 2 * NR;
            int cols = n - j * NR < NR ? n - j * NR : NR;
            for (int i = 0; i < rows; i += MR) {
                kernel(rows - i < MR ? rows - i : MR, kp, apack + (size_t)(i / MR) * kp * MR, bpanel,
                       c + (size_t)(m0 + i) * ldc + j * NR, ldc, cols, alpha, beta);
            }
        }
    }
}
#endif

void lk_bf16_pack(int transB, int k, int n, const float *b, int ldb, uint16_t *packed, int panel0, int panel1) {
#if defined(__x86_64__)
    pack_panels(transB, k, n, b, ldb, packed, panel0, panel1);
#else
    (void)transB; (void)k; (void)n; (void)b; (void)ldb; (void)packed; (void)panel0; (void)panel1;
    abort();
#endif
}

void lk_bf16_gemm(int transA, int m, int n, int k, float alpha, const float *a, int lda, const uint16_t *packed,
                  float beta, float *c, int ldc) {
    if (m <= 0 || n <= 0) return;
    if (k <= 0) {
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) c[(size_t)i * ldc + j] = beta == 0 ? 0 : beta * c[(size_t)i * ldc + j];
        return;
    }
#if defined(__x86_64__)
    gemm_avx512(transA, m, n, k, alpha, a, lda, packed, beta, c, ldc);
#else
    (void)transA; (void)alpha; (void)a; (void)lda; (void)packed;
    abort();
#endif
}
