// Wide kernels the Swift code cannot express well: matrix products with bf16 inputs and fp32
// sums on CPUs with AVX512-BF16 (Zen 4, Sapphire Rapids and later). Every function with wide
// instructions carries its own target attribute and is only called after
// `lk_bf16_available()` said yes, so the package builds and runs on any x86-64 (and the
// functions are stubs elsewhere). Row-major throughout.
#ifndef LYRICS_CKERNELS_H
#define LYRICS_CKERNELS_H

#include <stddef.h>
#include <stdint.h>

/// 1 when this CPU and OS run the AVX512-BF16 kernels, else 0.
int lk_bf16_available(void);

/// Columns of one packed panel of a right-hand matrix.
enum { LK_BF16_PANEL = 48 };

/// uint16 elements the packed form of a right-hand matrix op(B) [k x n] takes.
size_t lk_bf16_packed_size(int k, int n);

/// Number of column panels of an n-column matrix.
int lk_bf16_panels(int n);

/// Packs column panels [panel0, panel1) of op(B) [k x n] (transB: B is stored n x k) into
/// bf16 pairs: panel j holds columns 48j..<48j+48, for each pair of rows (2p, 2p+1) the 48
/// pairs (B[2p][c], B[2p+1][c]); missing rows and columns are zeros. Rounds to nearest even.
void lk_bf16_pack(int transB, int k, int n, const float *b, int ldb, uint16_t *packed, int panel0, int panel1);

/// C[m x n] = alpha * op(A)[m x k] * op(B) + beta * C, with op(B) packed by lk_bf16_pack
/// (transA: A is stored k x m). Products of bf16-rounded inputs, sums in fp32. beta == 0
/// never reads C.
void lk_bf16_gemm(int transA, int m, int n, int k, float alpha, const float *a, int lda,
                  const uint16_t *packed, float beta, float *c, int ldc);

/// The bf16 rounding the kernels apply (nearest even), for tests.
float lk_bf16_round(float x);

#endif
