-- Master data: the current version of each record (ReplacingMergeTree on `version`, read with
-- FINAL or argMax), plus every version ever accepted in master_history. Empty string = unknown.

-- cluster: shard_key = cityHash64(sku_id)
CREATE TABLE IF NOT EXISTS products (
  sku_id String,
  name String,
  series String,
  tier LowCardinality(String),
  volume_ml UInt32,
  price_fen UInt64,
  bottles_per_case UInt16,
  source LowCardinality(String),
  version UInt64,
  updated_at DateTime64(3, 'UTC')
) ENGINE = ReplacingMergeTree(version)
ORDER BY sku_id;

-- cluster: shard_key = cityHash64(distributor_id)
CREATE TABLE IF NOT EXISTS distributors (
  distributor_id String,
  name String,
  province LowCardinality(String),
  city LowCardinality(String),
  territory_cities Array(String),
  source LowCardinality(String),
  version UInt64,
  updated_at DateTime64(3, 'UTC')
) ENGINE = ReplacingMergeTree(version)
ORDER BY distributor_id;

-- cluster: shard_key = cityHash64(store_id)
CREATE TABLE IF NOT EXISTS stores (
  store_id String,
  name String,
  kind LowCardinality(String),
  distributor_id String,
  province LowCardinality(String),
  city LowCardinality(String),
  district LowCardinality(String),
  lat Float64,
  lon Float64,
  rep_id String,
  joined_on Nullable(Date),
  source LowCardinality(String),
  version UInt64,
  updated_at DateTime64(3, 'UTC')
) ENGINE = ReplacingMergeTree(version)
ORDER BY store_id;

-- cluster: shard_key = cityHash64(rep_id)
CREATE TABLE IF NOT EXISTS reps (
  rep_id String,
  name String,
  city LowCardinality(String),
  source LowCardinality(String),
  version UInt64,
  updated_at DateTime64(3, 'UTC')
) ENGINE = ReplacingMergeTree(version)
ORDER BY rep_id;

-- Every accepted version of every master record, as received (normalised JSON), and the
-- records held back because they conflicted with another source.
-- cluster: shard_key = cityHash64(id)
CREATE TABLE IF NOT EXISTS master_history (
  kind LowCardinality(String),
  id String,
  version UInt64,
  source LowCardinality(String),
  status LowCardinality(String),
  record String,
  received_at DateTime64(3, 'UTC')
) ENGINE = MergeTree
ORDER BY (kind, id, version);
