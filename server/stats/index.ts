/**
 * Experiment analysis engine: GrowthBook-gbstats-compatible frequentist estimators for
 * policy A/B tests, with no runtime dependency other than zod for input validation.
 */
export * from './distributions'
export * from './statistics'
export * from './tests'
export * from './srm'
export * from './corrections'
export * from './capping'
export * from './power'
export * from './plan'
export * from './analyze'
