/**
 * Probability distributions needed by the experiment engine, with no dependencies.
 *
 * Everything is built on two special functions, the regularized incomplete gamma
 * P(a, x) and the regularized incomplete beta I_x(a, b), evaluated by the series /
 * continued-fraction pair of Numerical Recipes (Press et al., 3rd ed., §6.2 and §6.4,
 * modified Lentz algorithm). Those give ~1e-15 relative accuracy in both tails, which
 * matters because p-values of large experiments live far out in the tails and scipy
 * (what gbstats uses) is accurate there too.
 */

const EPS = 1e-16
const FPMIN = 1e-300
const MAX_ITER = 100_000
const LN_SQRT_2PI = 0.9189385332046728 // ln(sqrt(2π))
const LN_PI = 1.1447298858494002

// Lanczos coefficients (g = 7, n = 9): ~1e-15 relative accuracy for x > 0.
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
]

/**
 * Natural log of the gamma function, ln Γ(x), for x > 0 (Lanczos approximation,
 * reflection formula below 0.5).
 * @example lnGamma(5) // ≈ Math.log(24)
 */
export function lnGamma(x: number): number {
  if (x < 0.5) {
    // Γ(x)Γ(1−x) = π / sin(πx)
    return LN_PI - Math.log(Math.abs(Math.sin(Math.PI * x))) - lnGamma(1 - x)
  }
  const z = x - 1
  let s = LANCZOS[0]
  for (let i = 1; i < 9; i++) s += LANCZOS[i] / (z + i)
  const t = z + 7.5
  return LN_SQRT_2PI + (z + 0.5) * Math.log(t) - t + Math.log(s)
}

/** Stirling-series remainder S(z) = ln Γ(z) − [(z − ½) ln z − z + ½ ln 2π], for z ≥ 20 (error < 1e−17). */
function stirlingRemainder(z: number): number {
  const z2 = z * z
  return (1 / 12 - (1 / 360 - (1 / 1260 - (1 / 1680 - 1 / (1188 * z2)) / z2) / z2) / z2) / z
}

const STIRLING_MIN = 20

/**
 * ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b).
 * For large arguments the three ln Γ are huge and nearly cancel (a t test on 90,000
 * users has a = 45,000, ln Γ(a) ≈ 4.4e5), so the difference is formed analytically from
 * Stirling's series instead, keeping ~1e−15 absolute accuracy in the t and F tails.
 */
export function lnBeta(a: number, b: number): number {
  const lo = Math.min(a, b)
  const hi = Math.max(a, b)
  if (hi < STIRLING_MIN) return lnGamma(a) + lnGamma(b) - lnGamma(a + b)
  const s = a + b
  if (lo >= STIRLING_MIN) {
    return LN_SQRT_2PI + (a - 0.5) * Math.log(a / s) + (b - 0.5) * Math.log(b / s) - 0.5 * Math.log(s) +
      stirlingRemainder(a) + stirlingRemainder(b) - stirlingRemainder(s)
  }
  // ln Γ(hi + lo) − ln Γ(hi) = (hi − ½)·log1p(lo/hi) + lo·ln(hi + lo) − lo + S(hi + lo) − S(hi)
  const lnRatio = (hi - 0.5) * Math.log1p(lo / hi) + lo * Math.log(s) - lo + stirlingRemainder(s) - stirlingRemainder(hi)
  return lnGamma(lo) - lnRatio
}

function checkGammaArgs(a: number, x: number): void {
  if (!(a > 0) || !(x >= 0) || Number.isNaN(x)) throw new RangeError(`incomplete gamma needs a > 0, x ≥ 0 (got a=${a}, x=${x})`)
}

/** Series for P(a, x), convergent and accurate for x < a + 1 (NR gser). */
function gammaSeries(a: number, x: number): number {
  let ap = a
  let del = 1 / a
  let sum = del
  for (let i = 0; i < MAX_ITER; i++) {
    ap += 1
    del *= x / ap
    sum += del
    if (Math.abs(del) < Math.abs(sum) * EPS) break
  }
  return sum * Math.exp(-x + a * Math.log(x) - lnGamma(a))
}

/** Continued fraction for Q(a, x), accurate for x ≥ a + 1 (NR gcf, modified Lentz). */
function gammaContinuedFraction(a: number, x: number): number {
  let b = x + 1 - a
  let c = 1 / FPMIN
  let d = 1 / b
  let h = d
  for (let i = 1; i < MAX_ITER; i++) {
    const an = -i * (i - a)
    b += 2
    d = an * d + b
    if (Math.abs(d) < FPMIN) d = FPMIN
    c = b + an / c
    if (Math.abs(c) < FPMIN) c = FPMIN
    d = 1 / d
    const del = d * c
    h *= del
    if (Math.abs(del - 1) < EPS) break
  }
  return Math.exp(-x + a * Math.log(x) - lnGamma(a)) * h
}

/**
 * Regularized lower incomplete gamma P(a, x) = γ(a, x) / Γ(a).
 * @example regularizedGammaP(1, 2) // = 1 − e^−2
 */
export function regularizedGammaP(a: number, x: number): number {
  checkGammaArgs(a, x)
  if (x === 0) return 0
  if (x === Infinity) return 1
  return x < a + 1 ? gammaSeries(a, x) : 1 - gammaContinuedFraction(a, x)
}

/**
 * Regularized upper incomplete gamma Q(a, x) = 1 − P(a, x), computed directly in the
 * upper tail so that tiny tail probabilities keep their relative precision.
 */
export function regularizedGammaQ(a: number, x: number): number {
  checkGammaArgs(a, x)
  if (x === 0) return 1
  if (x === Infinity) return 0
  return x < a + 1 ? 1 - gammaSeries(a, x) : gammaContinuedFraction(a, x)
}

/** Continued fraction for I_x(a, b) (NR betacf, modified Lentz). */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const qab = a + b
  const qap = a + 1
  const qam = a - 1
  let c = 1
  let d = 1 - (qab * x) / qap
  if (Math.abs(d) < FPMIN) d = FPMIN
  d = 1 / d
  let h = d
  for (let m = 1; m < MAX_ITER; m++) {
    const m2 = 2 * m
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2))
    d = 1 + aa * d
    if (Math.abs(d) < FPMIN) d = FPMIN
    c = 1 + aa / c
    if (Math.abs(c) < FPMIN) c = FPMIN
    d = 1 / d
    h *= d * c
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2))
    d = 1 + aa * d
    if (Math.abs(d) < FPMIN) d = FPMIN
    c = 1 + aa / c
    if (Math.abs(c) < FPMIN) c = FPMIN
    d = 1 / d
    const del = d * c
    h *= del
    if (Math.abs(del - 1) < EPS) break
  }
  return h
}

/**
 * Regularized incomplete beta I_x(a, b). `y` may be passed as 1 − x when the caller
 * knows it more precisely than `1 - x` would give (e.g. the t tail, where x ≈ 1).
 * @example regularizedBeta(0.5, 2, 2) // = 0.5
 */
export function regularizedBeta(x: number, a: number, b: number, y: number = 1 - x): number {
  if (!(a > 0) || !(b > 0)) throw new RangeError(`incomplete beta needs a, b > 0 (got a=${a}, b=${b})`)
  if (!(x >= 0 && x <= 1)) throw new RangeError(`incomplete beta needs 0 ≤ x ≤ 1 (got ${x})`)
  if (x === 0) return 0
  if (y === 0) return 1
  // log1p keeps a·ln(x) exact when x is within rounding of 1 (large-df t tails).
  const lnX = x < 0.5 ? Math.log(x) : Math.log1p(-y)
  const lnY = y < 0.5 ? Math.log(y) : Math.log1p(-x)
  const front = Math.exp(a * lnX + b * lnY - lnBeta(a, b))
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(a, b, x)) / a
  return 1 - (front * betaContinuedFraction(b, a, y)) / b
}

/** Standard normal density φ(x). */
export function normalPdf(x: number): number {
  return Math.exp(-0.5 * x * x - LN_SQRT_2PI)
}

/**
 * Standard normal CDF Φ(x), via erfc(z) = Q(½, z²), which stays accurate deep in the
 * lower tail (Φ(−30) ≈ 4.9e−198 keeps all its digits).
 * @example normalCdf(1.959963984540054) // ≈ 0.975
 */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return NaN
  if (x === -Infinity) return 0
  if (x === Infinity) return 1
  const z2 = 0.5 * x * x
  return x < 0 ? 0.5 * regularizedGammaQ(0.5, z2) : 0.5 + 0.5 * regularizedGammaP(0.5, z2)
}

/** Standard normal survival function 1 − Φ(x), accurate in the upper tail. */
export function normalSf(x: number): number {
  return normalCdf(-x)
}

// Acklam's rational approximation (rel. error 1.15e−9), then polished by Halley steps.
const ACK_A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239]
const ACK_B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1]
const ACK_C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783]
const ACK_D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416]

function acklam(p: number): number {
  const pLow = 0.02425
  if (p < pLow) {
    const q = Math.sqrt(-2 * Math.log(p))
    return (((((ACK_C[0] * q + ACK_C[1]) * q + ACK_C[2]) * q + ACK_C[3]) * q + ACK_C[4]) * q + ACK_C[5]) /
      ((((ACK_D[0] * q + ACK_D[1]) * q + ACK_D[2]) * q + ACK_D[3]) * q + 1)
  }
  const q = p - 0.5
  const r = q * q
  return ((((((ACK_A[0] * r + ACK_A[1]) * r + ACK_A[2]) * r + ACK_A[3]) * r + ACK_A[4]) * r + ACK_A[5]) * q) /
    (((((ACK_B[0] * r + ACK_B[1]) * r + ACK_B[2]) * r + ACK_B[3]) * r + ACK_B[4]) * r + 1)
}

/**
 * Standard normal quantile Φ⁻¹(p), accurate to ~1e−15.
 * @example normalQuantile(0.975) // ≈ 1.959963984540054
 */
export function normalQuantile(p: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1) throw new RangeError(`normal quantile needs 0 ≤ p ≤ 1 (got ${p})`)
  if (p === 0) return -Infinity
  if (p === 1) return Infinity
  // Solve in the lower half, where p carries full relative precision; 1 − p is exact for p ≥ ½.
  if (p > 0.5) return -normalQuantile(1 - p)
  let x = acklam(p)
  for (let i = 0; i < 3; i++) {
    const e = normalCdf(x) - p
    const u = e / normalPdf(x)
    x -= u / (1 + (x * u) / 2) // Halley step
  }
  return x
}

/** Student t density with `df` degrees of freedom (df may be fractional or Infinity). */
export function tPdf(x: number, df: number): number {
  if (df === Infinity) return normalPdf(x)
  const lnC = lnGamma((df + 1) / 2) - lnGamma(df / 2) - 0.5 * Math.log(df * Math.PI)
  return Math.exp(lnC - ((df + 1) / 2) * Math.log1p((x * x) / df))
}

/** Upper tail P(T > t) for t ≥ 0: ½·I_{ν/(ν+t²)}(ν/2, ½). */
function tUpperTail(t: number, df: number): number {
  const t2 = t * t
  const x = df / (df + t2)
  const y = t2 / (df + t2)
  return 0.5 * regularizedBeta(x, df / 2, 0.5, y)
}

function checkDf(df: number): void {
  if (!(df > 0)) throw new RangeError(`degrees of freedom must be > 0 (got ${df})`)
}

/**
 * Student t CDF P(T ≤ t). Fractional df (Welch–Satterthwaite) is supported; df = Infinity
 * is the normal.
 * @example tCdf(2.2281388519649385, 10) // ≈ 0.975
 */
export function tCdf(t: number, df: number): number {
  checkDf(df)
  if (Number.isNaN(t)) return NaN
  if (df === Infinity) return normalCdf(t)
  if (t === Infinity) return 1
  if (t === -Infinity) return 0
  const tail = tUpperTail(Math.abs(t), df)
  return t < 0 ? tail : 1 - tail
}

/** Student t survival function P(T > t), accurate in the upper tail. */
export function tSf(t: number, df: number): number {
  return tCdf(-t, df)
}

/**
 * Student t quantile: the t with P(T ≤ t) = p.
 * Newton's method on ln P(T > t) from a Cornish–Fisher start, bracketed by bisection,
 * so it converges to full precision even for tiny tails and fractional df.
 * @example tQuantile(0.975, 10) // ≈ 2.2281388519649385
 */
export function tQuantile(p: number, df: number): number {
  checkDf(df)
  if (Number.isNaN(p) || p < 0 || p > 1) throw new RangeError(`t quantile needs 0 ≤ p ≤ 1 (got ${p})`)
  if (df === Infinity) return normalQuantile(p)
  if (p === 0) return -Infinity
  if (p === 1) return Infinity
  if (p === 0.5) return 0
  // Solve for the tail area q = min(p, 1 − p) directly: `1 - p` would round away the
  // digits of a tiny lower-tail p.
  if (p < 0.5) return -upperTQuantile(p, df)
  return upperTQuantile(1 - p, df)
}

/** The t > 0 with P(T > t) = q, for 0 < q < ½. */
function upperTQuantile(q: number, df: number): number {
  const p = 1 - q
  if (df === 1) return Math.tan(Math.PI * (0.5 - q))
  if (df === 2) return (1 - 2 * q) / Math.sqrt(2 * q * (1 - q))
  const z = normalQuantile(p)
  let x = z + (z ** 3 + z) / (4 * df) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * df * df)
  if (!(x > 0) || !Number.isFinite(x)) x = z > 0 ? z : 1
  // Bracket the root of ln sf(x) − ln q (sf decreasing).
  let lo = 0
  let hi = x
  while (tSf(hi, df) > q) {
    lo = hi
    hi *= 2
    if (hi > 1e300) return Infinity
  }
  const lnQ = Math.log(q)
  for (let i = 0; i < 200; i++) {
    const sf = tSf(x, df)
    if (sf > q) lo = x
    else hi = x
    const g = Math.log(sf) - lnQ
    let next = x + (g * sf) / tPdf(x, df)
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi)
    if (Math.abs(next - x) <= 1e-15 * Math.abs(next)) return next
    x = next
  }
  return x
}

/**
 * Chi-square CDF with k degrees of freedom: P(k/2, x/2).
 * @example chi2Cdf(3.841458820694124, 1) // ≈ 0.95
 */
export function chi2Cdf(x: number, k: number): number {
  if (!(k > 0)) throw new RangeError(`chi-square needs k > 0 (got ${k})`)
  if (x <= 0) return 0
  return regularizedGammaP(k / 2, x / 2)
}

/** Chi-square survival function Q(k/2, x/2): the p-value of a χ² statistic. */
export function chi2Sf(x: number, k: number): number {
  if (!(k > 0)) throw new RangeError(`chi-square needs k > 0 (got ${k})`)
  if (x <= 0) return 1
  return regularizedGammaQ(k / 2, x / 2)
}
