-- Facts: scan events, orders, the reward ledger. Timestamps are stored in UTC; `day` is the
-- local date in Asia/Shanghai, the unit of every window and rollup. Empty string = unknown.

-- cluster: shard_key = cityHash64(store_id)
CREATE TABLE IF NOT EXISTS scan_events (
  event_id UUID,
  ts DateTime64(3, 'UTC'),
  day Date MATERIALIZED toDate(ts, 'Asia/Shanghai'),
  type Enum8('ship' = 1, 'stock_in' = 2, 'open' = 3, 'verify' = 4),
  code String,
  case_code String,
  sku_id LowCardinality(String),
  bottles UInt32,
  store_id String,
  distributor_id String,
  consumer_id String,
  has_geo UInt8,
  lat Float64,
  lon Float64,
  city LowCardinality(String),
  district LowCardinality(String),
  device_id String,
  received_at DateTime64(3, 'UTC')
) ENGINE = MergeTree
PARTITION BY toYYYYMM(ts)
ORDER BY (type, store_id, ts);

-- cluster: shard_key = cityHash64(seller_id)
CREATE TABLE IF NOT EXISTS orders (
  order_id String,
  ts DateTime64(3, 'UTC'),
  day Date MATERIALIZED toDate(ts, 'Asia/Shanghai'),
  seller_type LowCardinality(String),
  seller_id String,
  buyer_type LowCardinality(String),
  buyer_id String,
  sku_id LowCardinality(String),
  bottles UInt32,
  amount_fen UInt64,
  received_at DateTime64(3, 'UTC')
) ENGINE = MergeTree
PARTITION BY toYYYYMM(ts)
ORDER BY (seller_type, seller_id, ts);

-- cluster: shard_key = cityHash64(beneficiary_id)
CREATE TABLE IF NOT EXISTS rewards (
  reward_id String,
  ts DateTime64(3, 'UTC'),
  day Date MATERIALIZED toDate(ts, 'Asia/Shanghai'),
  beneficiary_type LowCardinality(String),
  beneficiary_id String,
  kind LowCardinality(String),
  amount_fen UInt64,
  source_event_id String,
  policy_id String,
  experiment_id String,
  arm String,
  flow_id String,
  received_at DateTime64(3, 'UTC')
) ENGINE = MergeTree
PARTITION BY toYYYYMM(ts)
ORDER BY (beneficiary_type, beneficiary_id, ts);

-- The dedupe index: one row per accepted fact id, fed by the views below in the same insert
-- as the fact itself, so an acknowledged row and its id are never separated. Keyed by the
-- fact's local day: a re-sent row has the same time, so a lookup reads only the days of the
-- batch instead of every id ever accepted (the cost stays flat as history grows).
-- cluster: shard_key = cityHash64(id)
CREATE TABLE IF NOT EXISTS ingest_ids (
  kind LowCardinality(String),
  day Date,
  id String
) ENGINE = MergeTree
PARTITION BY toYYYYMM(day)
ORDER BY (kind, day, id);

CREATE MATERIALIZED VIEW IF NOT EXISTS ingest_ids_scans_mv TO ingest_ids AS
SELECT 'scans' AS kind, day, toString(event_id) AS id FROM scan_events;

CREATE MATERIALIZED VIEW IF NOT EXISTS ingest_ids_orders_mv TO ingest_ids AS
SELECT 'orders' AS kind, day, order_id AS id FROM orders;

CREATE MATERIALIZED VIEW IF NOT EXISTS ingest_ids_rewards_mv TO ingest_ids AS
SELECT 'rewards' AS kind, day, reward_id AS id FROM rewards;
