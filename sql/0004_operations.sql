-- Operations: what was rejected (kept whole, so nothing sent is lost) and every ingest batch.

-- cluster: shard_key = rand()
CREATE TABLE IF NOT EXISTS quarantine (
  received_at DateTime64(3, 'UTC'),
  batch_id String,
  kind LowCardinality(String),
  line UInt32,
  raw String,
  errors String
) ENGINE = MergeTree
PARTITION BY toYYYYMM(received_at)
ORDER BY (received_at, batch_id, line);

-- cluster: shard_key = rand()
CREATE TABLE IF NOT EXISTS ingest_batches (
  batch_id String,
  received_at DateTime64(3, 'UTC'),
  kind LowCardinality(String),
  origin LowCardinality(String),
  records UInt32,
  accepted UInt32,
  duplicates UInt32,
  rejected UInt32,
  conflicts UInt32,
  duration_ms UInt32
) ENGINE = MergeTree
ORDER BY (received_at, batch_id);

-- Small facts about this installation (e.g. whether the demo data was loaded completely).
-- cluster: shard_key = rand()
CREATE TABLE IF NOT EXISTS app_state (
  key String,
  value String,
  updated_at DateTime64(3, 'UTC')
) ENGINE = ReplacingMergeTree(updated_at)
ORDER BY key;
