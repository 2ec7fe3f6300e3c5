import { describe, it, expect } from 'vitest'
import {
  chi2Cdf,
  chi2Sf,
  lnGamma,
  normalCdf,
  normalQuantile,
  regularizedBeta,
  regularizedGammaP,
  regularizedGammaQ,
  tCdf,
  tQuantile,
  tSf,
} from './distributions'

// Reference values: mpmath at 40 digits or scipy 1.17 (noted per case), or closed forms.
/** Relative error of `actual` against `expected`. */
const relErr = (actual: number, expected: number) => Math.abs(actual - expected) / Math.abs(expected)

describe('special functions', () => {
  it('lnGamma matches factorials and Γ(½) = √π', () => {
    expect(relErr(lnGamma(5), Math.log(24))).toBeLessThanOrEqual(1e-14)
    expect(relErr(lnGamma(11), Math.log(3628800))).toBeLessThanOrEqual(1e-14)
    expect(relErr(lnGamma(0.5), 0.5 * Math.log(Math.PI))).toBeLessThanOrEqual(1e-14)
    expect(relErr(lnGamma(0.1), 2.252712651734206)).toBeLessThanOrEqual(1e-14) // scipy gammaln
    expect(relErr(lnGamma(1e5), 1051287.7089736569)).toBeLessThanOrEqual(1e-14) // scipy gammaln
  })

  it('regularized incomplete gamma has the exponential and erf special cases', () => {
    // P(1, x) = 1 − e^−x; Q(½, x²) = erfc(x)
    expect(relErr(regularizedGammaP(1, 2), 1 - Math.exp(-2))).toBeLessThanOrEqual(1e-14)
    expect(relErr(regularizedGammaQ(1, 30), Math.exp(-30))).toBeLessThanOrEqual(1e-13)
    expect(relErr(regularizedGammaQ(0.5, 4), 0.004677734981047266)).toBeLessThanOrEqual(1e-13) // erfc(2)
  })

  it('regularized incomplete beta against closed forms and scipy', () => {
    expect(relErr(regularizedBeta(0.5, 2, 2), 0.5)).toBeLessThanOrEqual(1e-14)
    expect(relErr(regularizedBeta(0.3, 1, 3), 1 - 0.7 ** 3)).toBeLessThanOrEqual(1e-14) // I_x(1, b) = 1 − (1 − x)^b
    expect(relErr(regularizedBeta(0.3, 2.5, 7.1), 0.6490225790210132)).toBeLessThanOrEqual(1e-13) // scipy betainc
    expect(relErr(regularizedBeta(0.51, 4000, 4000), 0.9631907724747184)).toBeLessThanOrEqual(1e-11) // scipy betainc
  })
})

describe('normal distribution', () => {
  it('CDF and quantile at textbook points', () => {
    expect(relErr(normalQuantile(0.975), 1.959963984540054)).toBeLessThanOrEqual(1e-14)
    expect(relErr(normalQuantile(0.8), 0.8416212335729143)).toBeLessThanOrEqual(1e-14)
    expect(relErr(normalQuantile(0.3), -0.5244005127080409)).toBeLessThanOrEqual(1e-14)
    expect(relErr(normalCdf(1.959963984540054), 0.975)).toBeLessThanOrEqual(1e-15)
    expect(relErr(normalCdf(0.3), 0.6179114221889526)).toBeLessThanOrEqual(1e-14) // scipy norm.cdf
    expect(normalCdf(0)).toBe(0.5)
  })

  it('keeps relative precision deep in the tails', () => {
    expect(relErr(normalCdf(-30), 4.906713927147908e-198)).toBeLessThanOrEqual(1e-12) // scipy norm.cdf
    expect(relErr(normalQuantile(1e-20), -9.262340089798409)).toBeLessThanOrEqual(1e-14) // scipy norm.ppf
    for (const p of [1e-300, 1e-10, 0.001, 0.3, 0.5, 0.9, 0.999999]) expect(relErr(normalCdf(normalQuantile(p)), p)).toBeLessThanOrEqual(1e-13)
  })
})

describe('Student t distribution', () => {
  it('quantile 0.975 with df = 10', () => {
    // mpmath (40 digits): 2.2281388519862747484 (the double 2.228138851986275). The often-quoted 2.2281388519649385 is off
    // by 2e−11 (its CDF is 0.975 − 9e−13), so it is only within 1e−10.
    expect(relErr(tQuantile(0.975, 10), 2.228138851986275)).toBeLessThanOrEqual(1e-15)
    expect(Math.abs(tQuantile(0.975, 10) - 2.2281388519649385)).toBeLessThan(1e-10)
  })

  it('quantiles for fractional df and far tails (mpmath)', () => {
    expect(relErr(tQuantile(0.975, 3.7), 2.867520707191189)).toBeLessThanOrEqual(1e-14)
    expect(relErr(tQuantile(1e-12, 2.5), -55306.17407651581)).toBeLessThanOrEqual(1e-13)
    expect(relErr(tQuantile(0.999999, 5), 24.771029720372493)).toBeLessThanOrEqual(1e-13) // scipy t.ppf
    expect(relErr(tQuantile(0.975, 1), Math.tan(Math.PI * 0.475))).toBeLessThanOrEqual(1e-14) // Cauchy
    expect(relErr(tQuantile(0.9, 2), 0.8 / Math.sqrt(2 * 0.1 * 0.9))).toBeLessThanOrEqual(1e-14) // closed form for df = 2
  })

  it('CDF values, including large df where naive ln Γ differences lose digits (mpmath)', () => {
    expect(relErr(tCdf(2, 10), 0.9633059826146299)).toBeLessThanOrEqual(1e-14)
    expect(relErr(tSf(40, 3), 1.7190340394579253e-5)).toBeLessThanOrEqual(1e-13)
    expect(relErr(tSf(5, 90000), 2.8718884802846065e-7)).toBeLessThanOrEqual(1e-12)
    expect(relErr(tCdf(0.1, 1e6), 0.5398278272539784)).toBeLessThanOrEqual(1e-13)
    expect(relErr(tCdf(1.96, Infinity), normalCdf(1.96))).toBeLessThanOrEqual(1e-15)
  })

  it('quantile inverts the CDF', () => {
    for (const df of [1.5, 3, 7.3, 30, 1000, 90000]) {
      for (const p of [1e-8, 0.01, 0.2, 0.5, 0.95, 0.999]) expect(relErr(tCdf(tQuantile(p, df), df), p)).toBeLessThanOrEqual(1e-12)
    }
  })
})

describe('chi-square distribution', () => {
  it('known critical values and closed forms', () => {
    expect(relErr(chi2Sf(3.841458820694124, 1), 0.05)).toBeLessThanOrEqual(1e-13) // 95% critical value, 1 df
    expect(relErr(chi2Sf(9, 1), 0.0026997960632601883)).toBeLessThanOrEqual(1e-13) // = 2(1 − Φ(3))
    expect(relErr(chi2Cdf(10, 4), 0.9595723180054873)).toBeLessThanOrEqual(1e-13) // scipy chi2.cdf
    expect(relErr(chi2Cdf(3, 2), 1 - Math.exp(-1.5))).toBeLessThanOrEqual(1e-14) // 2 df is exponential
    expect(relErr(chi2Sf(200, 150), 0.003973185970821635)).toBeLessThanOrEqual(1e-11) // scipy chi2.sf
    expect(chi2Cdf(0, 3)).toBe(0)
  })
})
