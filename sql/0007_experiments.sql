-- Policy experiments (DESIGN §6): versioned incentive policies, experiments with their arms,
-- the assignment frozen at launch, exposures seen in the reward ledger, and decisions.
-- Current-state tables are ReplacingMergeTree on `revision`: read them with FINAL.

-- The current state of each policy (one row per change; soft delete).
-- cluster: shard_key = cityHash64(policy_id)
CREATE TABLE IF NOT EXISTS policies (
  policy_id String,
  name String,
  version UInt32,
  deleted UInt8,
  revision UInt64,
  created_at DateTime64(3, 'UTC'),
  updated_at DateTime64(3, 'UTC')
) ENGINE = ReplacingMergeTree(revision)
ORDER BY policy_id;

-- Every version of every policy as saved: the amounts as JSON (re-validated when read back).
-- cluster: shard_key = cityHash64(policy_id)
CREATE TABLE IF NOT EXISTS policy_versions (
  policy_id String,
  version UInt32,
  name String,
  config String,
  note String,
  created_at DateTime64(3, 'UTC')
) ENGINE = MergeTree
ORDER BY (policy_id, version);

-- One row per change of an experiment (revision increases with every save and transition).
-- `definition` is the JSON design (hypothesis, audience, metrics, dates, α, sequential…),
-- re-validated when read back; status and the lifecycle times are columns.
-- cluster: shard_key = cityHash64(experiment_id)
CREATE TABLE IF NOT EXISTS experiments (
  experiment_id String,
  revision UInt64,
  name String,
  status LowCardinality(String),
  source LowCardinality(String),
  definition String,
  audience_size UInt64,
  deleted UInt8,
  created_at DateTime64(3, 'UTC'),
  updated_at DateTime64(3, 'UTC'),
  launched_at Nullable(DateTime64(3, 'UTC')),
  stopped_at Nullable(DateTime64(3, 'UTC')),
  decided_at Nullable(DateTime64(3, 'UTC'))
) ENGINE = ReplacingMergeTree(revision)
ORDER BY experiment_id;

-- The arms of each revision of an experiment, in order (position 0 is the control). The policy
-- version is pinned at launch (0 while a draft: the latest).
-- cluster: shard_key = cityHash64(experiment_id)
CREATE TABLE IF NOT EXISTS experiment_arms (
  experiment_id String,
  revision UInt64,
  position UInt8,
  arm String,
  policy_id String,
  policy_version UInt32,
  weight Float64
) ENGINE = MergeTree
ORDER BY (experiment_id, revision, position);

-- The frozen assignment: written once at launch (or import), never changed. `stratum` is the
-- block (city × pre-period sell-through tercile) and `cluster_id` the randomisation unit when
-- clustered by distributor (else the unit itself).
-- cluster: shard_key = cityHash64(experiment_id)
CREATE TABLE IF NOT EXISTS experiment_assignments (
  experiment_id String,
  unit_id String,
  arm String,
  stratum String,
  cluster_id String,
  pre_value Float64,
  assigned_at DateTime64(3, 'UTC')
) ENGINE = MergeTree
ORDER BY (experiment_id, unit_id);

-- Per-unit metric values supplied with an imported (external) experiment: one row per unit,
-- metric, period and week (week 0 = the whole period).
-- cluster: shard_key = cityHash64(experiment_id)
CREATE TABLE IF NOT EXISTS experiment_values (
  experiment_id String,
  metric String,
  unit_id String,
  period Enum8('pre' = 1, 'post' = 2),
  week UInt16,
  value Float64
) ENGINE = MergeTree
ORDER BY (experiment_id, metric, unit_id, period, week);

-- Exposures: assigned units seen in the reward ledger with this experiment's id, with the arm
-- the ledger carries (a mismatch with the assignment is contamination). Refreshed from
-- reward_daily; ReplacingMergeTree on refreshed_at: read with FINAL.
-- cluster: shard_key = cityHash64(experiment_id)
CREATE TABLE IF NOT EXISTS experiment_exposures (
  experiment_id String,
  unit_id String,
  arm String,
  first_day Date,
  last_day Date,
  rewards UInt64,
  amount_fen UInt64,
  refreshed_at DateTime64(3, 'UTC')
) ENGINE = ReplacingMergeTree(refreshed_at)
ORDER BY (experiment_id, unit_id, arm);

-- Decisions: the winning arm and the policy (and version) it ran, with a note.
-- cluster: shard_key = cityHash64(experiment_id)
CREATE TABLE IF NOT EXISTS experiment_decisions (
  experiment_id String,
  arm String,
  policy_id String,
  policy_version UInt32,
  note String,
  decided_at DateTime64(3, 'UTC')
) ENGINE = MergeTree
ORDER BY (experiment_id, decided_at);
