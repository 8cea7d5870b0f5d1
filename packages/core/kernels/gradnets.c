// WebAssembly SIMD128 kernels of the GradNets layers and optimisers, run by the tfjs wasm
// backend as custom kernels (see wasm.ts, layer_kernels.ts and update_kernels.ts).
//
// The module imports its linear memory (env.memory): it is given the tfjs wasm backend's own
// WebAssembly.Memory, so that it reads and writes tensors where tfjs keeps them, addressed by
// the byte offsets tfjs records for every tensor. It must therefore own no static data and no
// shadow stack (they would overwrite tfjs's heap): every buffer is passed in by the caller.
// scripts/build_kernels.sh builds it and checks this.
//
// Reproducibility: only standard SIMD128 arithmetic (no relaxed-simd, no FMA), so a kernel
// computes the same bits on every machine. Every sum runs in a fixed order: a GEMM accumulates
// over k from k = 0 upwards into a zero accumulator, one product at a time.
//
// No subnormals: x86 CPUs compute with subnormal floats (below FLT_MIN = 2^-126) through a
// microcode assist, up to 100x slower, and WebAssembly has no flush-to-zero mode. In a deep
// net whose signals vanish, every activation and gradient of the late layers becomes subnormal
// and a step takes ~10x longer on Intel Xeons (AMD's Zen cores handle them at full speed).
// So every value a kernel writes (activations,
// gradients, optimiser state, parameters) is flushed: |v| < FLUSH = 2^-60 becomes +0, the same
// way on every machine. Why 2^-60: the GEMMs multiply two such values (an activation and a
// weight, a gradient and a weight or an activation), and a product of two flushed floats is
// 0 or at least 2^-120, 64 times above FLT_MIN, so no product is subnormal; 2^-60 ~ 8.7e-19 is
// far below any value that matters to training (a weight of 1e-18 changes nothing). Adam's
// second moment holds squares of gradients, down to 2^-120, times 1 - beta2: it and g*g are
// flushed at FLUSH2 = 2^-100 instead (the square root of 2^-100 is 2^-50, far below epsilon),
// so that (g*g) * (1 - beta2) stays normal for any 1 - beta2 >= 2^-26. Sums of normal values
// can still cancel to a subnormal, but only by accident, not systematically; the flush of the
// written value removes it. NaN and infinities pass unchanged (divergence stays visible).
// Values computed by tfjs ops (batch norm, dropout) are flushed where a kernel first writes
// something from them (the backward pass's du), before any GEMM multiplies them.

#include <wasm_simd128.h>

typedef float f32;
typedef int i32;

#define EXPORT __attribute__((visibility("default")))
#define INLINE static inline __attribute__((always_inline))

#define FLUSH 8.67361737988403547206e-19f   // 2^-60
#define FLUSH2 7.88860905221011805412e-31f  // 2^-100

// v, with the lanes of |v| < t set to +0 (NaN compares false and is kept).
INLINE v128_t flush_at(v128_t v, v128_t t) {
  return wasm_v128_andnot(v, wasm_f32x4_lt(wasm_f32x4_abs(v), t));
}
// The same for v >= 0 or +-0 (or NaN), without the abs.
INLINE v128_t flush_nonneg(v128_t v, v128_t t) { return wasm_v128_andnot(v, wasm_f32x4_lt(v, t)); }
#define FLUSH4(v) flush_at(v, wasm_f32x4_splat(FLUSH))
INLINE f32 flush1(f32 v) { return v < FLUSH && v > -FLUSH ? 0.0f : v; }

// ---------------------------------------------------------------------------------------------
// Partial vectors: the last 1..3 columns of a row are loaded and stored lane by lane, so that
// nothing outside a tensor is read or written.
// ---------------------------------------------------------------------------------------------

INLINE v128_t load_part(const f32* p, i32 r) {
  if (r >= 4) return wasm_v128_load(p);
  if (r == 1) return wasm_v128_load32_zero(p);
  v128_t v = wasm_v128_load64_zero(p);
  if (r == 3) v = wasm_v128_load32_lane(p + 2, v, 2);
  return v;
}

INLINE void store_part(f32* p, v128_t v, i32 r) {
  if (r >= 4) {
    wasm_v128_store(p, v);
    return;
  }
  if (r == 1) {
    wasm_v128_store32_lane(p, v, 0);
    return;
  }
  wasm_v128_store64_lane(p, v, 0);
  if (r == 3) wasm_v128_store32_lane(p + 2, v, 2);
}

// ---------------------------------------------------------------------------------------------
// GEMM:  C[m,n] = epilogue( sum_k A(m,k) * B(k,n) )
//   A(m,k) = A[m*sam + k*sak] and B(k,n) = B[k*sbk + n*sbn]: any strides, so A^T or B^T cost
//   nothing. B is packed first into panels of NR columns; A is read in place, a broadcast of
//   A(m,k) per row and k, except a last panel of fewer than MR rows, which is packed with each
//   k's MR values side by side and zeros below M. (Packing all of A cost more than it saved:
//   reading A in place makes evaluation's 1000 x 50 by 50 x 50 products 3-10% faster, see
//   scripts/bench_kernels.ts, with the same bits: each output still sums over k upwards, one
//   product at a time.)
//   `pack` holds gemm_floats(M, N, K) floats.
//   epilogue: v = alpha*acc + beta*S[m,n] (if S) + bias[n] (if bias), then the activation
//   (act: 0 none, 1 ReLU max(v, 0), 2 leaky v < 0 ? v*leak : v); C = v, and if C2, also
//   C2 = v*gamma + T[m,n]*delta (the mix of the GReLU, residual and ReZero layers).
//   C, C2, S and T are row-major with leading dimension ldc; S may be C itself, C2 may be C;
//   A, read while C is written, must not overlap C or C2.
// ---------------------------------------------------------------------------------------------

// Why a 4 x 8 micro-tile (measured 2026-12-04 on AMD EPYC Zen 5, Deno 2.9.6 / V8 15.0, with
// scripts/bench_kernels.ts and timed matmuls of 1000 x 50 by 50 x 50 and 50 x 50 by 50 x 50):
// V8 issues all the loads of a k step before its arithmetic (see the code Node's V8 prints with
// --print-wasm-code), so they are all live at once, and it allocates 15 SIMD registers (xmm15 is
// its scratch): 8 accumulators + 2 B vectors + 4 broadcasts + 1 product fill them. A 5 x 8 tile spills (60-70% slower), and is no faster than
// 4 x 8 even when clang is made to emit each row's broadcast right before its products (an empty
// asm per row); unrolling k by 2 spills too (20-25% slower). Within +-5% of this kernel: packing
// each 4-row block of A and splitting its lanes with shuffles, reading A^T's 4 rows as one vector,
// fusing the epilogue into the micro-kernel (no tile), row blocks outermost, and kernels for 1-3
// remainder rows instead of a zero-padded packed panel. The k loop alone runs at about 6.3 G
// vector multiply-adds/s, 84% of the 7.5 G the same loop reaches with every operand in a
// register: without FMA the floating-point units are the limit, not the loads or their bounds
// checks. What is left is in the remainders of width 50 (= 12 * 4 + 2 rows at batch 50, and
// 6 * 8 + 2 columns): 2000 products of M x 50 by 50 x N take 11.1 ms of CPU time at 48 x 48,
// 12.4 at 50 x 48 (the last 2 rows go through a zero-padded packed panel), 12.1 at 48 x 50 (the
// narrow panel: 62% of a full panel's time for 25% of its columns) and 13.6 at 50 x 50. Kernels
// of their own for the last 1-3 rows, and the narrow panel with the rows in the lanes (a vector
// of A's 4 rows per k, transposed on the way from row-major A, times broadcasts of B), took
// 50 x 50 to 13.1 ms and evaluation's 1000 x 50 by 50 x 50 2% faster: not worth their code. The
// narrow panel stays dear because it reads A again for 2 columns.
#define NV 2  // vectors per micro-tile row
#define NR (4 * NV)
#define MR 4  // micro-tile rows: the 4 lanes of a packed A vector

static i32 pack_floats(i32 K, i32 N) { return K * ((N + NR - 1) / NR * NR); }

// Scratch floats of gemm: B's panels, A's, the epilogue's scalars and a tile.
EXPORT i32 gemm_floats(i32 M, i32 N, i32 K) {
  return pack_floats(K, N) + (M + MR - 1) / MR * MR * K + 8 + MR * NR;
}

// 4 x 4 transpose: rows r0..r3 in, columns out.
#define TRANSPOSE4(r0, r1, r2, r3, c0, c1, c2, c3)                       \
  do {                                                                   \
    v128_t t0_ = wasm_i32x4_shuffle(r0, r1, 0, 4, 1, 5);                 \
    v128_t t1_ = wasm_i32x4_shuffle(r2, r3, 0, 4, 1, 5);                 \
    v128_t t2_ = wasm_i32x4_shuffle(r0, r1, 2, 6, 3, 7);                 \
    v128_t t3_ = wasm_i32x4_shuffle(r2, r3, 2, 6, 3, 7);                 \
    c0 = wasm_i64x2_shuffle(t0_, t1_, 0, 2);                             \
    c1 = wasm_i64x2_shuffle(t0_, t1_, 1, 3);                             \
    c2 = wasm_i64x2_shuffle(t2_, t3_, 0, 2);                             \
    c3 = wasm_i64x2_shuffle(t2_, t3_, 1, 3);                             \
  } while (0)

static void pack_b(i32 K, i32 N, const f32* B, i32 sbk, i32 sbn, f32* P) {
  for (i32 n0 = 0; n0 < N; n0 += NR) {
    i32 nn = N - n0 < NR ? N - n0 : NR;
    i32 k = 0;
    if (nn == NR && sbn == 1) {
      for (; k < K; k++) {
        const f32* src = B + k * sbk + n0;
        for (i32 v = 0; v < NV; v++) wasm_v128_store(P + NR * k + 4 * v, wasm_v128_load(src + 4 * v));
      }
    } else if (nn == NR && sbk == 1) {
      // B^T of a row-major matrix: transpose 4 x 4 blocks.
      for (; k + 4 <= K; k += 4) {
        for (i32 j0 = 0; j0 < NR; j0 += 4) {
          const f32* src = B + (n0 + j0) * sbn + k;
          v128_t c0, c1, c2, c3;
          TRANSPOSE4(wasm_v128_load(src), wasm_v128_load(src + sbn), wasm_v128_load(src + 2 * sbn),
                     wasm_v128_load(src + 3 * sbn), c0, c1, c2, c3);
          wasm_v128_store(P + NR * k + j0, c0);
          wasm_v128_store(P + NR * (k + 1) + j0, c1);
          wasm_v128_store(P + NR * (k + 2) + j0, c2);
          wasm_v128_store(P + NR * (k + 3) + j0, c3);
        }
      }
    }
    for (; k < K; k++) {
      const f32* src = B + k * sbk + n0 * sbn;
      i32 j = 0;
      for (; j < nn; j++) P[NR * k + j] = src[j * sbn];
      for (; j < NR; j++) P[NR * k + j] = 0.0f;
    }
    P += NR * K;
  }
}

static void pack_a(i32 M, i32 K, const f32* A, i32 sam, i32 sak, f32* PA) {
  for (i32 m0 = 0; m0 < M; m0 += MR) {
    i32 rows = M - m0 < MR ? M - m0 : MR;
    i32 k = 0;
    if (rows == MR && sam == 1) {
      // A^T: the MR values of a k are already side by side.
      for (; k < K; k++) wasm_v128_store(PA + MR * k, wasm_v128_load(A + m0 + k * sak));
    } else if (rows == MR && sak == 1) {
      // A row-major: transpose 4 x 4 blocks.
      const f32* a = A + m0 * sam;
      for (; k + 4 <= K; k += 4) {
        v128_t c0, c1, c2, c3;
        TRANSPOSE4(wasm_v128_load(a + k), wasm_v128_load(a + sam + k),
                   wasm_v128_load(a + 2 * sam + k), wasm_v128_load(a + 3 * sam + k), c0, c1, c2, c3);
        wasm_v128_store(PA + MR * k, c0);
        wasm_v128_store(PA + MR * (k + 1), c1);
        wasm_v128_store(PA + MR * (k + 2), c2);
        wasm_v128_store(PA + MR * (k + 3), c3);
      }
    }
    for (; k < K; k++) {
      for (i32 r = 0; r < MR; r++) PA[MR * k + r] = r < rows ? A[(m0 + r) * sam + k * sak] : 0.0f;
    }
    PA += MR * K;
  }
}

#define EPI_PARAMS                                                                        \
  f32 alpha, f32 beta, const f32 *S, const f32 *bias, i32 act, f32 leak, f32 *C2, const f32 *T, \
      f32 gamma, f32 delta
// The plain epilogues: C = alpha*acc + beta*S + bias, activation `act`, no mix.
#define EPI(alpha, beta, S, bias, act) alpha, beta, S, bias, act, 0.0f, 0, 0, 0.0f, 0.0f
// epi_store (partial tiles, and the sparse kernels) reads the epilogue's float scalars from
// memory (ep: alpha, beta, leak, gamma, delta) rather than from parameters, which V8 would keep
// in SIMD registers across the sparse kernels' loops.
#define EPI_INNER const f32 *ep, const f32 *S, const f32 *bias, i32 act, f32 *C2, const f32 *T
#define EPI_INNER_ARGS ep, S, bias, act, C2, T

INLINE void epi_store(f32* C, v128_t acc, i32 m, i32 n, i32 ldc, i32 r, EPI_INNER) {
  v128_t v = wasm_f32x4_mul(acc, wasm_v128_load32_splat(ep));
  if (S) v = wasm_f32x4_add(v, wasm_f32x4_mul(wasm_v128_load32_splat(ep + 1), load_part(S + m * ldc + n, r)));
  if (bias) v = wasm_f32x4_add(v, load_part(bias + n, r));
  if (act == 1) v = wasm_f32x4_max(v, wasm_f32x4_splat(0.0f));
  if (act == 2) {
    v128_t neg = wasm_f32x4_lt(v, wasm_f32x4_splat(0.0f));
    v = wasm_v128_bitselect(wasm_f32x4_mul(v, wasm_v128_load32_splat(ep + 2)), v, neg);
  }
  v = FLUSH4(v);
  store_part(C + m * ldc + n, v, r);
  if (C2) {
    v128_t t = load_part(T + m * ldc + n, r);
    v = wasm_f32x4_add(wasm_f32x4_mul(v, wasm_v128_load32_splat(ep + 3)),
                       wasm_f32x4_mul(t, wasm_v128_load32_splat(ep + 4)));
    store_part(C2 + m * ldc + n, FLUSH4(v), r);
  }
}

// acc = acc + a * b: a multiply and an add, never fused (the same bits on every machine)
#define MADD(c, a, b) wasm_f32x4_add(c, wasm_f32x4_mul(a, b))

// The micro-kernel: an MR x (4*VECS) tile of A's panel times B's panel over all k, into `tile`
// (row stride NR). The epilogue is the caller's, so that the loop has few live values: V8 keeps
// its 8 accumulators, 2 B vectors, the A vector and its 4 broadcasts in the 16 SIMD registers
// of x86-64. VECS = 1 serves a last panel of at most 4 columns (width 50 = 6 * 8 + 2) at half
// the cost.
#define DEF_MICRO(NAME, VECS)                                                                 \
  static void NAME(i32 K, const f32* PA, const f32* P, f32* tile) {                          \
    v128_t acc[MR][VECS];                                                                    \
    _Pragma("clang loop unroll(full)") for (i32 r = 0; r < MR; r++) {                        \
      _Pragma("clang loop unroll(full)") for (i32 v = 0; v < VECS; v++) acc[r][v] =          \
          wasm_f32x4_splat(0.0f);                                                            \
    }                                                                                        \
    for (i32 k = 0; k < K; k++) {                                                            \
      v128_t av = wasm_v128_load(PA);                                                        \
      PA += MR;                                                                              \
      v128_t bv[VECS];                                                                       \
      _Pragma("clang loop unroll(full)") for (i32 v = 0; v < VECS; v++) bv[v] =              \
          wasm_v128_load(P + 4 * v);                                                         \
      P += NR;                                                                               \
      v128_t a[MR];                                                                          \
      a[0] = wasm_i32x4_shuffle(av, av, 0, 0, 0, 0);                                         \
      a[1] = wasm_i32x4_shuffle(av, av, 1, 1, 1, 1);                                         \
      a[2] = wasm_i32x4_shuffle(av, av, 2, 2, 2, 2);                                         \
      a[3] = wasm_i32x4_shuffle(av, av, 3, 3, 3, 3);                                         \
      _Pragma("clang loop unroll(full)") for (i32 v = 0; v < VECS; v++) {                    \
        _Pragma("clang loop unroll(full)") for (i32 r = 0; r < MR; r++) acc[r][v] =          \
            MADD(acc[r][v], a[r], bv[v]);                                                    \
      }                                                                                      \
    }                                                                                        \
    _Pragma("clang loop unroll(full)") for (i32 r = 0; r < MR; r++) {                        \
      _Pragma("clang loop unroll(full)") for (i32 v = 0; v < VECS; v++)                      \
          wasm_v128_store(tile + r * NR + 4 * v, acc[r][v]);                                 \
    }                                                                                        \
  }

DEF_MICRO(micro, NV)
DEF_MICRO(micro_narrow, 1)

// The same micro-kernel reading A in place (A(m, k) = A[m*sam + k*sak]), for full panels of MR
// rows: no packing of A. Each accumulator still sums over k upwards, one product at a time.
#define DEF_MICRO_DIRECT(NAME, VECS)                                                          \
  static void NAME(i32 K, const f32* A, i32 sam, i32 sak, const f32* P, f32* tile) {         \
    v128_t acc[MR][VECS];                                                                    \
    _Pragma("clang loop unroll(full)") for (i32 r = 0; r < MR; r++) {                        \
      _Pragma("clang loop unroll(full)") for (i32 v = 0; v < VECS; v++) acc[r][v] =          \
          wasm_f32x4_splat(0.0f);                                                            \
    }                                                                                        \
    for (i32 k = 0; k < K; k++) {                                                            \
      v128_t bv[VECS];                                                                       \
      _Pragma("clang loop unroll(full)") for (i32 v = 0; v < VECS; v++) bv[v] =              \
          wasm_v128_load(P + 4 * v);                                                         \
      P += NR;                                                                               \
      _Pragma("clang loop unroll(full)") for (i32 r = 0; r < MR; r++) {                      \
        v128_t a = wasm_v128_load32_splat(A + r * sam);                                      \
        _Pragma("clang loop unroll(full)") for (i32 v = 0; v < VECS; v++) acc[r][v] =        \
            MADD(acc[r][v], a, bv[v]);                                                       \
      }                                                                                      \
      A += sak;                                                                              \
    }                                                                                        \
    _Pragma("clang loop unroll(full)") for (i32 r = 0; r < MR; r++) {                        \
      _Pragma("clang loop unroll(full)") for (i32 v = 0; v < VECS; v++)                      \
          wasm_v128_store(tile + r * NR + 4 * v, acc[r][v]);                                 \
    }                                                                                        \
  }

DEF_MICRO_DIRECT(micro_direct, NV)
DEF_MICRO_DIRECT(micro_direct_narrow, 1)

// The epilogue of a full MR x NR tile: the common case, with its scalars splatted once and no
// partial vectors.
static void epilogue_full(f32* C, i32 ldc, i32 m0, i32 n0, const f32* tile, EPI_PARAMS) {
  v128_t va = wasm_f32x4_splat(alpha), vb = wasm_f32x4_splat(beta), vl = wasm_f32x4_splat(leak);
  v128_t vg = wasm_f32x4_splat(gamma), vd = wasm_f32x4_splat(delta), z = wasm_f32x4_splat(0.0f);
  v128_t vf = wasm_f32x4_splat(FLUSH);
  for (i32 r = 0; r < MR; r++) {
    i32 row = (m0 + r) * ldc + n0;
    _Pragma("clang loop unroll(full)") for (i32 v = 0; v < NV; v++) {
      i32 at = row + 4 * v;
      v128_t x = wasm_f32x4_mul(wasm_v128_load(tile + r * NR + 4 * v), va);
      if (S) x = wasm_f32x4_add(x, wasm_f32x4_mul(vb, wasm_v128_load(S + at)));
      if (bias) x = wasm_f32x4_add(x, wasm_v128_load(bias + n0 + 4 * v));
      if (act == 1) x = wasm_f32x4_max(x, z);
      if (act == 2) x = wasm_v128_bitselect(wasm_f32x4_mul(x, vl), x, wasm_f32x4_lt(x, z));
      x = flush_at(x, vf);
      wasm_v128_store(C + at, x);
      if (C2) {
        x = wasm_f32x4_add(wasm_f32x4_mul(x, vg), wasm_f32x4_mul(wasm_v128_load(T + at), vd));
        wasm_v128_store(C2 + at, flush_at(x, vf));
      }
    }
  }
}

static void gemm(i32 M, i32 N, i32 K, const f32* A, i32 sam, i32 sak, const f32* B, i32 sbk,
                 i32 sbn, f32* C, i32 ldc, EPI_PARAMS, f32* pack) {
  f32* packa = pack + pack_floats(K, N);
  f32* ep = packa + (M + MR - 1) / MR * MR * K;
  f32* tile = ep + 8;
  ep[0] = alpha;
  ep[1] = beta;
  ep[2] = leak;
  ep[3] = gamma;
  ep[4] = delta;
  pack_b(K, N, B, sbk, sbn, pack);
  // Only the last, partial panel of A is packed (padded with zeros); full panels are read in
  // place.
  i32 full = M / MR * MR;
  if (full < M) pack_a(M - full, K, A + full * sam, sam, sak, packa + full * K);
  for (i32 n0 = 0; n0 < N; n0 += NR) {
    const f32* P = pack + (n0 / NR) * K * NR;
    i32 cnt = N - n0 < NR ? N - n0 : NR;
    for (i32 m0 = 0; m0 < M; m0 += MR) {
      if (m0 < full) {
        if (cnt <= 4) {
          micro_direct_narrow(K, A + m0 * sam, sam, sak, P, tile);
        } else {
          micro_direct(K, A + m0 * sam, sam, sak, P, tile);
        }
      } else if (cnt <= 4) {
        micro_narrow(K, packa + m0 * K, P, tile);
      } else {
        micro(K, packa + m0 * K, P, tile);
      }
      i32 rows = M - m0 < MR ? M - m0 : MR;
      if (rows == MR && cnt == NR) {
        epilogue_full(C, ldc, m0, n0, tile, alpha, beta, S, bias, act, leak, C2, T, gamma, delta);
        continue;
      }
      for (i32 r = 0; r < rows; r++) {
        for (i32 v = 0; v < NV && 4 * v < cnt; v++) {
          i32 left = cnt - 4 * v;
          epi_store(C, wasm_v128_load(tile + r * NR + 4 * v), m0 + r, n0 + 4 * v, ldc,
                    left > 4 ? 4 : left, ep, S, bias, act, C2, T);
        }
      }
    }
  }
}

// C[M,N] = op(A) @ op(B) of row-major matrices (op = transpose when trans_*), for the tests.
EXPORT void matmul(i32 M, i32 N, i32 K, const f32* A, i32 trans_a, const f32* B, i32 trans_b,
                   f32* C, f32* pack) {
  gemm(M, N, K, A, trans_a ? 1 : K, trans_a ? M : 1, B, trans_b ? 1 : N, trans_b ? K : 1, C, N,
       EPI(1.0f, 0.0f, 0, 0, 0), pack);
}

// ---------------------------------------------------------------------------------------------
// Sparse inputs. MNIST images are about 80% zeros, and a zero term adds exactly nothing to a
// sum that starts at +0 (x + (+-0) = x, and such a sum is never -0), so skipping the zeros of A
// while keeping the order of the others gives the same bits as the dense GEMM. Except for
// non-finite values (0 * inf = NaN): the callers use these paths only when the other operand is
// finite.
// ---------------------------------------------------------------------------------------------

// Indices of the nonzero entries of row a[0..K) into idx; returns their number.
static i32 nonzero_indices(const f32* a, i32 K, i32* idx) {
  i32 n = 0, k = 0;
  v128_t z = wasm_f32x4_splat(0.0f);
  for (; k + 4 <= K; k += 4) {
    i32 bits = wasm_i32x4_bitmask(wasm_f32x4_ne(wasm_v128_load(a + k), z));
    while (bits) {
      i32 lane = __builtin_ctz(bits);
      idx[n++] = k + lane;
      bits &= bits - 1;
    }
  }
  for (; k < K; k++)
    if (a[k] != 0.0f) idx[n++] = k;
  return n;
}

// 1 when every a[i] is finite: inf and NaN are the floats whose exponent bits are all ones.
static i32 all_finite(const f32* a, i32 n) {
  v128_t e = wasm_i32x4_splat(0x7f800000), z = wasm_i32x4_splat(0);
  v128_t bad0 = z, bad1 = z, bad2 = z, bad3 = z;
  i32 i = 0;
  for (; i + 16 <= n; i += 16) {
    bad0 = wasm_v128_or(bad0, wasm_i32x4_eq(wasm_v128_and(wasm_v128_load(a + i), e), e));
    bad1 = wasm_v128_or(bad1, wasm_i32x4_eq(wasm_v128_and(wasm_v128_load(a + i + 4), e), e));
    bad2 = wasm_v128_or(bad2, wasm_i32x4_eq(wasm_v128_and(wasm_v128_load(a + i + 8), e), e));
    bad3 = wasm_v128_or(bad3, wasm_i32x4_eq(wasm_v128_and(wasm_v128_load(a + i + 12), e), e));
  }
  for (; i + 4 <= n; i += 4)
    bad0 = wasm_v128_or(bad0, wasm_i32x4_eq(wasm_v128_and(wasm_v128_load(a + i), e), e));
  if (i < n) bad0 = wasm_v128_or(bad0, wasm_i32x4_eq(wasm_v128_and(load_part(a + i, n - i), e), e));
  return !wasm_v128_any_true(wasm_v128_or(wasm_v128_or(bad0, bad1), wasm_v128_or(bad2, bad3)));
}

// The nonzeros of A [M,K]: their columns row after row into cols (at most M*K), row m's ending
// at row_end[m]. Returns 1 when the sparse kernels pay: fewer nonzeros than a third of A (the
// dense GEMM is about 3x faster per term); stops scanning as soon as they do not.
static i32 sparse_scan(i32 M, i32 K, const f32* A, i32* cols, i32* row_end) {
  i32 total = 0, limit = M * K / 3;
  for (i32 m = 0; m < M; m++) {
    total += nonzero_indices(A + m * K, K, cols + total);
    row_end[m] = total;
    if (total >= limit) return 0;
  }
  return 1;
}

// Only wide inputs (the images) are tried as sparse: hidden activations are too dense to pay
// for the scan.
#define SPARSE_MIN_K 128

// The sparse kernels keep up to SV vectors (32 columns) of a row in registers (8 measured best
// of 4 to 13 on x86-64, which has 16 SIMD registers).
#define SV 8

// c[0..cnt) = epilogue(sum over j of a[idx[j]*as] * B[idx[j]*ldb + 0..cnt)), j upwards, with
// NVEC = ceil(cnt/4) vectors, the last holding rlast (1..4) columns.
#define DEF_SPARSE_ROW(NVEC)                                                                   \
  static void sparse_row_##NVEC(const f32* a, i32 as, const i32* idx, i32 nnz, const f32* B,    \
                                i32 ldb, i32 rlast, f32* c, const f32* ep, const f32* bias,    \
                                i32 relu) {                                                    \
    v128_t acc[NVEC];                                                                          \
    _Pragma("clang loop unroll(full)") for (i32 v = 0; v < NVEC; v++) acc[v] =                 \
        wasm_f32x4_splat(0.0f);                                                                \
    for (i32 j = 0; j < nnz; j++) {                                                            \
      i32 k = idx[j];                                                                          \
      v128_t av = wasm_v128_load32_splat(a + k * as);                                          \
      const f32* b = B + k * ldb;                                                              \
      _Pragma("clang loop unroll(full)") for (i32 v = 0; v < NVEC - 1; v++) acc[v] =           \
          MADD(acc[v], av, wasm_v128_load(b + 4 * v));                                         \
      acc[NVEC - 1] = MADD(acc[NVEC - 1], av, load_part(b + 4 * (NVEC - 1), rlast));           \
    }                                                                                          \
    _Pragma("clang loop unroll(full)") for (i32 v = 0; v < NVEC; v++)                          \
        epi_store(c, acc[v], 0, 4 * v, 0, v == NVEC - 1 ? rlast : 4, ep, 0, bias, relu, 0, 0);   \
  }

DEF_SPARSE_ROW(1)
DEF_SPARSE_ROW(2)
DEF_SPARSE_ROW(3)
DEF_SPARSE_ROW(4)
DEF_SPARSE_ROW(5)
DEF_SPARSE_ROW(6)
DEF_SPARSE_ROW(7)
DEF_SPARSE_ROW(8)

// c[0..N) = epilogue(sparse row times B), in chunks of up to SV vectors.
static void sparse_row(const f32* a, i32 as, const i32* idx, i32 nnz, const f32* B, i32 N,
                       f32* c, const f32* ep, const f32* bias, i32 relu) {
  for (i32 n0 = 0; n0 < N; n0 += 4 * SV) {
    i32 cnt = N - n0 < 4 * SV ? N - n0 : 4 * SV;
    i32 nvec = (cnt + 3) / 4, rlast = cnt - 4 * (nvec - 1);
    const f32* b = B + n0;
    const f32* bi = bias ? bias + n0 : 0;
    f32* cc = c + n0;
#define ROW(V) sparse_row_##V(a, as, idx, nnz, b, N, rlast, cc, ep, bi, relu); break;
    switch (nvec) {
      case 1: ROW(1)
      case 2: ROW(2)
      case 3: ROW(3)
      case 4: ROW(4)
      case 5: ROW(5)
      case 6: ROW(6)
      case 7: ROW(7)
      default: ROW(8)
    }
#undef ROW
  }
}

// Ints of scratch the sparse kernels need for A [M,K]: see sparse_scan and gemm_sparse_at.
static i32 sparse_ints(i32 M, i32 K) { return 2 * M * K + 2 * K + M + 2; }

// C[M,N] = epilogue(A[M,K] @ B[K,N]) with B contiguous, skipping the zeros of each row of A
// (scanned by sparse_scan into cols and row_end).
static void gemm_sparse_a(i32 M, i32 N, i32 K, const f32* A, const f32* B, f32* C,
                          const f32* bias, i32 relu, const i32* cols, const i32* row_end,
                          const f32* ep) {
  for (i32 m = 0, begin = 0; m < M; begin = row_end[m], m++)
    sparse_row(A + m * K, 1, cols + begin, row_end[m] - begin, B, N, C + m * N, ep, bias, relu);
}

// D[K,N] = A[M,K]^T @ U[M,N], skipping the zeros of A (scanned by sparse_scan into cols and
// row_end; `idx` has room for 2K + 1 + total more ints). The nonzeros are sorted by column (a
// counting sort that keeps the rows in order), so that each row of D sums over m upwards in
// registers, the order of the dense GEMM.
static void gemm_sparse_at(i32 M, i32 N, i32 K, const f32* A, const f32* U, f32* D,
                           const i32* cols, const i32* row_end, i32 total, i32* idx,
                           const f32* ep) {
  i32* start = idx;              // K + 1 entries: column k's rows are rows[start[k]..start[k+1])
  i32* fill = start + K + 1;     // K entries
  i32* rows = fill + K;          // total entries
  for (i32 k = 0; k <= K; k++) start[k] = 0;
  for (i32 j = 0; j < total; j++) start[cols[j] + 1]++;
  for (i32 k = 0; k < K; k++) {
    start[k + 1] += start[k];
    fill[k] = start[k];
  }
  for (i32 m = 0, j = 0; m < M; m++)
    for (; j < row_end[m]; j++) rows[fill[cols[j]]++] = m;
  // Row k of D: column k of A (values A[m*K + k]) as a sparse row, times U; zeros for the
  // columns of A without nonzeros (an image's margins), without a call.
  v128_t z = wasm_f32x4_splat(0.0f);
  for (i32 k = 0; k < K; k++) {
    i32 nnz = start[k + 1] - start[k];
    f32* d = D + k * N;
    if (nnz == 0) {
      i32 n = 0;
      for (; n + 4 <= N; n += 4) wasm_v128_store(d + n, z);
      for (; n < N; n++) d[n] = 0.0f;
      continue;
    }
    sparse_row(A + k, K, rows + start[k], nnz, U, N, d, ep, 0, 0);
  }
}

// ---------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------

// out[n] = sum over m (upwards) of X[m,n]
static void colsum(i32 M, i32 N, const f32* X, f32* out) {
  i32 n = 0;
  for (; n + 4 <= N; n += 4) {
    v128_t s = wasm_f32x4_splat(0.0f);
    for (i32 m = 0; m < M; m++) s = wasm_f32x4_add(s, wasm_v128_load(X + m * N + n));
    wasm_v128_store(out + n, FLUSH4(s));
  }
  for (; n < N; n++) {
    f32 s = 0.0f;
    for (i32 m = 0; m < M; m++) s += X[m * N + n];
    out[n] = flush1(s);
  }
}

static f32 hsum(v128_t s) {
  return (wasm_f32x4_extract_lane(s, 0) + wasm_f32x4_extract_lane(s, 1)) +
         (wasm_f32x4_extract_lane(s, 2) + wasm_f32x4_extract_lane(s, 3));
}

// Affine map of the dense layers: out = x W + b (relu optional), sparse rows when x is sparse.
static void affine(i32 B, i32 K, i32 N, const f32* x, const f32* W, const f32* b, i32 relu,
                   f32* out, f32* pack, i32* idx, i32 try_sparse) {
  i32* cols = idx;
  i32* row_end = cols + B * K;
  if (try_sparse && K >= SPARSE_MIN_K && sparse_scan(B, K, x, cols, row_end) &&
      all_finite(W, K * N)) {
    pack[0] = 1.0f;  // the epilogue's alpha (see gemm)
    gemm_sparse_a(B, N, K, x, W, out, b, relu, cols, row_end, pack);
  } else {
    gemm(B, N, K, x, K, 1, W, N, 1, out, N, EPI(1.0f, 0.0f, 0, b, relu), pack);
  }
}

// dW = x^T du (sparse when x is), db = column sums of du.
static void affine_weight_grads(i32 B, i32 K, i32 N, const f32* x, const f32* du, f32* dW,
                                f32* db, f32* pack, i32* idx, i32 try_sparse) {
  i32* cols = idx;
  i32* row_end = cols + B * K;
  if (try_sparse && K >= SPARSE_MIN_K && sparse_scan(B, K, x, cols, row_end) &&
      all_finite(du, B * N)) {
    pack[0] = 1.0f;  // the epilogue's alpha (see gemm)
    gemm_sparse_at(B, N, K, x, du, dW, cols, row_end, row_end[B - 1], row_end + B, pack);
  } else {
    gemm(K, N, B, x, 1, K, du, N, 1, dW, N, EPI(1.0f, 0.0f, 0, 0, 0), pack);
  }
  colsum(B, N, du, db);
}

// dx = du W^T + beta * S (S optional), W [K,N]
static void affine_input_grad(i32 B, i32 K, i32 N, const f32* du, const f32* W, f32 beta,
                              const f32* S, f32* dx, f32* pack) {
  gemm(B, K, N, du, N, 1, W, 1, N, dx, K, EPI(1.0f, beta, S, 0, 0), pack);
}

// exp(x) for x in [-80, 0] (sigmoid only needs these): Cody-Waite reduction x = n ln2 + r,
// |r| <= ln2/2, a degree-6 polynomial, and 2^n from the exponent bits; about 1 ulp. Below -80
// it returns exp(-80) ~ 1.8e-35, which is normal (no subnormal on the way) and flushed by the
// callers like every value below FLUSH.
INLINE v128_t exp_neg(v128_t x) {
  x = wasm_f32x4_max(x, wasm_f32x4_splat(-80.0f));
  v128_t n = wasm_f32x4_nearest(wasm_f32x4_mul(x, wasm_f32x4_splat(1.44269504088896341f)));
  v128_t r = wasm_f32x4_sub(x, wasm_f32x4_mul(n, wasm_f32x4_splat(0.693145751953125f)));
  r = wasm_f32x4_sub(r, wasm_f32x4_mul(n, wasm_f32x4_splat(1.428606765330187045e-06f)));
  v128_t p = wasm_f32x4_splat(1.3888889e-3f);
  p = MADD(wasm_f32x4_splat(8.3333333e-3f), p, r);
  p = MADD(wasm_f32x4_splat(4.1666667e-2f), p, r);
  p = MADD(wasm_f32x4_splat(1.6666667e-1f), p, r);
  p = MADD(wasm_f32x4_splat(0.5f), p, r);
  p = MADD(wasm_f32x4_splat(1.0f), p, r);
  p = MADD(wasm_f32x4_splat(1.0f), p, r);
  v128_t scale = wasm_i32x4_shl(wasm_i32x4_add(wasm_i32x4_trunc_sat_f32x4(n), wasm_i32x4_splat(127)), 23);
  return wasm_f32x4_mul(p, scale);
}

// sigmoid(u) = 1 / (1 + e^-u) for u >= 0 and e^u / (1 + e^u) below, e = exp(-|u|): never
// overflows.
INLINE v128_t sigmoid4(v128_t u) {
  v128_t e = exp_neg(wasm_f32x4_neg(wasm_f32x4_abs(u)));
  v128_t inv = wasm_f32x4_div(wasm_f32x4_splat(1.0f), wasm_f32x4_add(wasm_f32x4_splat(1.0f), e));
  v128_t neg = wasm_f32x4_lt(u, wasm_f32x4_splat(0.0f));
  return wasm_v128_bitselect(wasm_f32x4_mul(e, inv), inv, neg);
}

static void sigmoid_inplace(f32* a, i32 n) {
  i32 i = 0;
  for (; i + 4 <= n; i += 4) wasm_v128_store(a + i, FLUSH4(sigmoid4(wasm_v128_load(a + i))));
  if (i < n) store_part(a + i, FLUSH4(sigmoid4(load_part(a + i, n - i))), n - i);
}

// Exported for the tests of the sigmoid against tf.sigmoid.
EXPORT void sigmoid(const f32* x, f32* y, i32 n) {
  for (i32 i = 0; i < n; i++) y[i] = x[i];
  sigmoid_inplace(y, n);
}

// ---------------------------------------------------------------------------------------------
// Layers. x [B,K], W [K,N], b [N]; the hidden kinds are square (K = N).
//   RELU     y = relu(xW + b)                    (input layer, plain hidden layer)
//   LINEAR   y = xW + b                          (output layer)
//   GRELU    h = relu(xW + b), y = h*g + x*(1-g)
//   LEAKY    u = xW + b, y = u < 0 ? u*(1-g) : u (= g*relu(u) + (1-g)*u)
//   RESIDUAL h = relu(xW + b), y = x + h
//   REZERO   h = relu(xW + b), y = x + a*h       (a: scalar parameter)
//   HIGHWAY  h = relu(xW + b), t = sigmoid(xW2 + b2), y = x + t*(h - x)
// g and omg = 1 - g come from the caller as float32, as tf.scalar(g) and tf.scalar(1 - g).
// ---------------------------------------------------------------------------------------------

enum { RELU = 0, LINEAR = 1, GRELU = 2, LEAKY = 3, RESIDUAL = 4, REZERO = 5, HIGHWAY = 6 };

// Scratch floats of layer_forward: a packed W (and t in evaluation), and row indices.
EXPORT i32 forward_scratch_floats(i32 kind, i32 B, i32 K, i32 N) {
  return gemm_floats(B, N, K) + (kind == HIGHWAY ? B * N : 0) + sparse_ints(B, K) + 64;
}

// Forward pass. h (and t) are kept for the backward pass; pass 0 for them in evaluation.
EXPORT void layer_forward(i32 kind, i32 B, i32 K, i32 N, const f32* x, const f32* W,
                          const f32* b, const f32* W2, const f32* b2, const f32* alpha, f32 g,
                          f32 omg, f32* y, f32* h, f32* t, f32* scratch) {
  f32* pack = scratch;
  f32* tt = pack + gemm_floats(B, N, K);
  i32* idx = (i32*)(tt + (kind == HIGHWAY ? B * N : 0));
  i32 n = B * N, i = 0;
  if (kind == RELU || kind == LINEAR) {
    affine(B, K, N, x, W, b, kind == RELU, y, pack, idx, 1);
    return;
  }
  f32* hh = h ? h : y;
  if (kind == GRELU || kind == RESIDUAL || kind == REZERO) {
    // h = relu(xW + b) and, in the same pass, y = h*gamma + x*delta.
    f32 gamma = kind == GRELU ? g : kind == REZERO ? *alpha : 1.0f;
    f32 delta = kind == GRELU ? omg : 1.0f;
    gemm(B, N, K, x, K, 1, W, N, 1, hh, N, 1.0f, 0.0f, 0, b, 1, 0.0f, y, x, gamma, delta, pack);
    return;
  }
  if (kind == LEAKY) {
    gemm(B, N, K, x, K, 1, W, N, 1, y, N, 1.0f, 0.0f, 0, b, 2, omg, 0, 0, 0.0f, 0.0f, pack);
    return;
  }
  // HIGHWAY: h = relu(xW + b), t = sigmoid(xW2 + b2), y = x + t*(h - x).
  affine(B, K, N, x, W, b, 1, hh, pack, idx, 0);
  f32* T = t ? t : tt;
  affine(B, K, N, x, W2, b2, 0, T, pack, idx, 0);
  sigmoid_inplace(T, n);
  for (; i + 4 <= n; i += 4) {
    v128_t xv = wasm_v128_load(x + i);
    v128_t d = wasm_f32x4_sub(wasm_v128_load(hh + i), xv);
    wasm_v128_store(y + i, FLUSH4(wasm_f32x4_add(xv, wasm_f32x4_mul(wasm_v128_load(T + i), d))));
  }
  for (; i < n; i++) y[i] = flush1(x[i] + T[i] * (hh[i] - x[i]));
}

// Scratch floats of layer_backward: two B x N gradients, one B x N product, packed operands,
// and row indices.
EXPORT i32 backward_scratch_floats(i32 kind, i32 B, i32 K, i32 N) {
  (void)kind;
  i32 p1 = gemm_floats(K, N, B), p2 = gemm_floats(B, K, N);
  return 3 * B * N + (p1 > p2 ? p1 : p2) + sparse_ints(B, K) + 64;
}

// Backward pass from dy = d loss / d y, with the tensors the forward pass kept (h, t, y).
// Writes dW, db (and dW2, db2 for highway, *dalpha for rezero), and dx unless dx is 0.
EXPORT void layer_backward(i32 kind, i32 B, i32 K, i32 N, const f32* x, const f32* W,
                           const f32* W2, const f32* alpha, f32 g, f32 omg, const f32* dy,
                           const f32* h, const f32* t, const f32* y, f32* dx, f32* dW, f32* db,
                           f32* dW2, f32* db2, f32* dalpha, f32* scratch) {
  i32 n = B * N, i = 0;
  f32* u = scratch;
  f32* u2 = u + n;
  f32* tmp = u2 + n;
  f32* pack = tmp + n;
  i32 p1 = gemm_floats(K, N, B), p2 = gemm_floats(B, K, N);
  i32* idx = (i32*)(pack + (p1 > p2 ? p1 : p2));
  v128_t z = wasm_f32x4_splat(0.0f), vg = wasm_f32x4_splat(g), vo = wasm_f32x4_splat(omg);
  // The GEMMs below multiply du (and u2) by W and x: du, u2 and tmp are flushed as they are
  // written, so that every product is normal (see FLUSH). For LINEAR du is dy, the loss
  // gradient, which losses.ts flushes.
  v128_t vf = wasm_f32x4_splat(FLUSH);
#define STORE_U(p, v) wasm_v128_store(p, flush_at(v, vf))
  const f32* du = u;
  f32 beta = 1.0f;
  const f32* S = dy;
  switch (kind) {
    case LINEAR:
      du = dy;
      S = 0;
      break;
    case RELU:
      for (; i + 4 <= n; i += 4)
        STORE_U(u + i, wasm_v128_and(wasm_f32x4_gt(wasm_v128_load(y + i), z), wasm_v128_load(dy + i)));
      for (; i < n; i++) u[i] = y[i] > 0.0f ? flush1(dy[i]) : 0.0f;
      S = 0;
      break;
    case GRELU:
      for (; i + 4 <= n; i += 4)
        STORE_U(u + i, wasm_v128_and(wasm_f32x4_gt(wasm_v128_load(h + i), z),
                                     wasm_f32x4_mul(wasm_v128_load(dy + i), vg)));
      for (; i < n; i++) u[i] = h[i] > 0.0f ? flush1(dy[i] * g) : 0.0f;
      beta = omg;
      break;
    case LEAKY:
      for (; i + 4 <= n; i += 4) {
        v128_t d = wasm_v128_load(dy + i);
        STORE_U(u + i, wasm_v128_bitselect(d, wasm_f32x4_mul(d, vo), wasm_f32x4_gt(wasm_v128_load(y + i), z)));
      }
      for (; i < n; i++) u[i] = flush1(y[i] > 0.0f ? dy[i] : dy[i] * omg);
      S = 0;
      break;
    case RESIDUAL:
      for (; i + 4 <= n; i += 4)
        STORE_U(u + i, wasm_v128_and(wasm_f32x4_gt(wasm_v128_load(h + i), z), wasm_v128_load(dy + i)));
      for (; i < n; i++) u[i] = h[i] > 0.0f ? flush1(dy[i]) : 0.0f;
      break;
    case REZERO: {
      f32 a = *alpha;
      v128_t va = wasm_f32x4_splat(a), s = z;
      f32 st = 0.0f;
      for (; i + 4 <= n; i += 4) {
        v128_t d = wasm_v128_load(dy + i), hv = wasm_v128_load(h + i);
        s = MADD(s, d, hv);
        STORE_U(u + i, wasm_v128_and(wasm_f32x4_gt(hv, z), wasm_f32x4_mul(d, va)));
      }
      for (; i < n; i++) {
        st += dy[i] * h[i];
        u[i] = h[i] > 0.0f ? flush1(dy[i] * a) : 0.0f;
      }
      *dalpha = flush1(hsum(s) + st);
      break;
    }
    case HIGHWAY: {
      v128_t one = wasm_f32x4_splat(1.0f);
      for (; i + 4 <= n; i += 4) {
        v128_t d = wasm_v128_load(dy + i), tv = wasm_v128_load(t + i), hv = wasm_v128_load(h + i);
        v128_t xv = wasm_v128_load(x + i), c = wasm_f32x4_sub(one, tv);
        STORE_U(u + i, wasm_v128_and(wasm_f32x4_gt(hv, z), wasm_f32x4_mul(d, tv)));
        STORE_U(u2 + i, wasm_f32x4_mul(wasm_f32x4_mul(d, wasm_f32x4_sub(hv, xv)), wasm_f32x4_mul(tv, c)));
        STORE_U(tmp + i, wasm_f32x4_mul(d, c));
      }
      for (; i < n; i++) {
        f32 c = 1.0f - t[i];
        u[i] = h[i] > 0.0f ? flush1(dy[i] * t[i]) : 0.0f;
        u2[i] = flush1((dy[i] * (h[i] - x[i])) * (t[i] * c));
        tmp[i] = flush1(dy[i] * c);
      }
      S = tmp;
      break;
    }
    default:
      break;
  }
#undef STORE_U
  i32 sparse = kind == RELU || kind == LINEAR;
  if (dx) {
    affine_input_grad(B, K, N, du, W, beta, S, dx, pack);
    if (kind == HIGHWAY) affine_input_grad(B, K, N, u2, W2, 1.0f, dx, dx, pack);
  }
  affine_weight_grads(B, K, N, x, du, dW, db, pack, idx, sparse);
  if (kind == HIGHWAY) affine_weight_grads(B, K, N, x, u2, dW2, db2, pack, idx, 0);
}

// ---------------------------------------------------------------------------------------------
// Optimisers, applied to many tensors in one call. `table` holds TABLE ints per tensor:
//   param, grad, param_out, size, decayed (0/1), state1, state1_out, state2, state2_out
// The gradient first gets weight decay (grad + param*decay, where decayed) and the clipping
// scale (grad*scale, when scaled), then:
//   SGD       param_out = param + grad*rate
//   MOMENTUM  s1 = s1*c1 + grad;                      param_out = param + s1*rate
//   ADAM      s1 = s1*c1 + grad*c2; s2 = s2*c3 + (grad*grad)*c4;
//             param_out = param + (s1 / (sqrt(s2) + eps))*rate
// rate is negative (-learning rate); each formula is that of optimizers.ts, op for op.
// ---------------------------------------------------------------------------------------------

enum { SGD = 0, MOMENTUM = 1, ADAM = 2 };
#define TABLE 9

// The gradient with weight decay and clipping, flushed when they changed it (see FLUSH; the
// layer kernels flush the gradients they write).
INLINE v128_t grad_of(v128_t gr, v128_t p, i32 decayed, v128_t vdecay, i32 scaled, v128_t vscale) {
  if (decayed) gr = wasm_f32x4_add(gr, wasm_f32x4_mul(p, vdecay));
  if (scaled) gr = wasm_f32x4_mul(gr, vscale);
  return decayed || scaled ? FLUSH4(gr) : gr;
}

INLINE void update4(i32 kind, const f32* p, const f32* gr, f32* po, const f32* s1, f32* s1o,
                    const f32* s2, f32* s2o, i32 r, i32 decayed, v128_t vdecay, i32 scaled,
                    v128_t vscale, v128_t vrate, v128_t c1, v128_t c2, v128_t c3, v128_t c4,
                    v128_t veps) {
  v128_t pv = load_part(p, r);
  v128_t gv = grad_of(load_part(gr, r), pv, decayed, vdecay, scaled, vscale);
  v128_t step;
  if (kind == SGD) {
    step = gv;
  } else if (kind == MOMENTUM) {
    step = FLUSH4(wasm_f32x4_add(wasm_f32x4_mul(load_part(s1, r), c1), gv));
    store_part(s1o, step, r);
  } else {
    // the second moment and g*g flushed at FLUSH2 (see FLUSH): (g*g) * (1 - beta2) is normal
    v128_t f2 = wasm_f32x4_splat(FLUSH2);
    v128_t m = FLUSH4(wasm_f32x4_add(wasm_f32x4_mul(load_part(s1, r), c1), wasm_f32x4_mul(gv, c2)));
    v128_t gg = flush_nonneg(wasm_f32x4_mul(gv, gv), f2);
    v128_t v = flush_nonneg(wasm_f32x4_add(wasm_f32x4_mul(load_part(s2, r), c3), wasm_f32x4_mul(gg, c4)), f2);
    store_part(s1o, m, r);
    store_part(s2o, v, r);
    step = wasm_f32x4_div(m, wasm_f32x4_add(wasm_f32x4_sqrt(v), veps));
  }
  store_part(po, FLUSH4(wasm_f32x4_add(pv, wasm_f32x4_mul(step, vrate))), r);
}

EXPORT void apply_updates(i32 kind, i32 count, const i32* table, f32 rate, f32 decay,
                          i32 scaled, f32 scale, f32 c1, f32 c2, f32 c3, f32 c4, f32 eps) {
  v128_t vrate = wasm_f32x4_splat(rate), vdecay = wasm_f32x4_splat(decay);
  v128_t vscale = wasm_f32x4_splat(scale), v1 = wasm_f32x4_splat(c1), v2 = wasm_f32x4_splat(c2);
  v128_t v3 = wasm_f32x4_splat(c3), v4 = wasm_f32x4_splat(c4), veps = wasm_f32x4_splat(eps);
  for (i32 j = 0; j < count; j++) {
    const i32* e = table + TABLE * j;
    const f32* p = (const f32*)e[0];
    const f32* gr = (const f32*)e[1];
    f32* po = (f32*)e[2];
    i32 n = e[3], decayed = e[4];
    const f32* s1 = (const f32*)e[5];
    f32* s1o = (f32*)e[6];
    const f32* s2 = (const f32*)e[7];
    f32* s2o = (f32*)e[8];
    i32 i = 0;
#define UPDATE(KIND)                                                                          \
  for (; i + 4 <= n; i += 4)                                                                  \
    update4(KIND, p + i, gr + i, po + i, s1 + i, s1o + i, s2 + i, s2o + i, 4, decayed, vdecay, \
            scaled, vscale, vrate, v1, v2, v3, v4, veps);                                     \
  if (i < n)                                                                                  \
    update4(KIND, p + i, gr + i, po + i, s1 + i, s1o + i, s2 + i, s2o + i, n - i, decayed,     \
            vdecay, scaled, vscale, vrate, v1, v2, v3, v4, veps);
    if (kind == SGD) {
      UPDATE(SGD)
    } else if (kind == MOMENTUM) {
      UPDATE(MOMENTUM)
    } else {
      UPDATE(ADAM)
    }
  }
}

// out[j] = sum of squares of tensor j's gradient (with weight decay where decayed), for the
// global norm of clipping and the logged per-layer norms. Same table as apply_updates.
EXPORT void sum_squares(i32 count, const i32* table, f32 decay, f32* out) {
  v128_t vdecay = wasm_f32x4_splat(decay), one = wasm_f32x4_splat(1.0f);
  for (i32 j = 0; j < count; j++) {
    const i32* e = table + TABLE * j;
    const f32* p = (const f32*)e[0];
    const f32* gr = (const f32*)e[1];
    i32 n = e[3], decayed = e[4];
    v128_t s = wasm_f32x4_splat(0.0f);
    i32 i = 0;
    for (; i + 4 <= n; i += 4) {
      v128_t gv = grad_of(wasm_v128_load(gr + i), wasm_v128_load(p + i), decayed, vdecay, 0, one);
      s = MADD(s, gv, gv);
    }
    if (i < n) {
      v128_t gv = grad_of(load_part(gr + i, n - i), load_part(p + i, n - i), decayed, vdecay, 0, one);
      s = MADD(s, gv, gv);
    }
    out[j] = hsum(s);
  }
}
