-- Daily rollups kept current by materialized views (Summing/AggregatingMergeTree): read them
-- with sum(...) GROUP BY, never assuming merges have happened. Profiles, segments and dashboards
-- read these, not the raw facts.

-- All scans per day, type, SKU and scan city: the channel-wide series (Data page, overview).
-- cluster: shard_key = rand()
CREATE TABLE IF NOT EXISTS scan_daily (
  day Date,
  type Enum8('ship' = 1, 'stock_in' = 2, 'open' = 3, 'verify' = 4),
  sku_id LowCardinality(String),
  city LowCardinality(String),
  events UInt64,
  bottles UInt64
) ENGINE = SummingMergeTree((events, bottles))
PARTITION BY toYear(day)
ORDER BY (day, type, sku_id, city);

CREATE MATERIALIZED VIEW IF NOT EXISTS scan_daily_mv TO scan_daily AS
SELECT day, type, sku_id, city, count() AS events, sum(bottles) AS bottles
FROM scan_events
GROUP BY day, type, sku_id, city;

-- Per store, day, event type, SKU, scan city and distributor: events and bottles. Scans with
-- neither store nor distributor are only in scan_daily.
-- cluster: shard_key = cityHash64(store_id)
CREATE TABLE IF NOT EXISTS store_daily (
  store_id String,
  day Date,
  type Enum8('ship' = 1, 'stock_in' = 2, 'open' = 3, 'verify' = 4),
  sku_id LowCardinality(String),
  city LowCardinality(String),
  distributor_id String,
  events UInt64,
  bottles UInt64
) ENGINE = SummingMergeTree((events, bottles))
PARTITION BY toYYYYMM(day)
ORDER BY (store_id, day, type, sku_id, city, distributor_id);

CREATE MATERIALIZED VIEW IF NOT EXISTS store_daily_mv TO store_daily AS
SELECT store_id, day, type, sku_id, city, distributor_id, count() AS events, sum(bottles) AS bottles
FROM scan_events WHERE store_id != '' OR distributor_id != ''
GROUP BY store_id, day, type, sku_id, city, distributor_id;

-- Consumer-facing scans (open, verify) with who scanned and where, per store and day: distinct
-- consumers, local and outside-city shares, and every consumer attribute come from here.
-- One physical table on purpose: each materialized view costs ingest time (DESIGN §10), and
-- the per-consumer and per-distributor views below read it and store_daily.
-- cluster: shard_key = cityHash64(store_id)
CREATE TABLE IF NOT EXISTS scan_detail_daily (
  store_id String,
  day Date,
  type Enum8('ship' = 1, 'stock_in' = 2, 'open' = 3, 'verify' = 4),
  consumer_id String,
  sku_id LowCardinality(String),
  city LowCardinality(String),
  has_geo UInt8,
  lat Float64,
  lon Float64,
  events SimpleAggregateFunction(sum, UInt64),
  bottles SimpleAggregateFunction(sum, UInt64),
  first_ts SimpleAggregateFunction(min, DateTime64(3, 'UTC')),
  last_ts SimpleAggregateFunction(max, DateTime64(3, 'UTC')),
  INDEX consumer_bf consumer_id TYPE bloom_filter GRANULARITY 2
) ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(day)
ORDER BY (store_id, day, type, consumer_id, sku_id, city, has_geo, lat, lon);

CREATE MATERIALIZED VIEW IF NOT EXISTS scan_detail_daily_mv TO scan_detail_daily AS
SELECT store_id, day, type, consumer_id, sku_id, city, has_geo, lat, lon,
       count() AS events, sum(bottles) AS bottles, min(ts) AS first_ts, max(ts) AS last_ts
FROM scan_events WHERE type IN ('open', 'verify')
GROUP BY store_id, day, type, consumer_id, sku_id, city, has_geo, lat, lon;

-- Opens per store with who opened and where (a view over scan_detail_daily).
CREATE VIEW IF NOT EXISTS store_opens_daily AS
SELECT store_id, day, consumer_id, sku_id, city, has_geo, lat, lon, events AS opens, bottles
FROM scan_detail_daily WHERE type = 'open' AND store_id != '';

-- Per consumer: what they scanned, where, at which store (a view over scan_detail_daily; the
-- bloom-filter index keeps one consumer's lookup from reading every granule).
CREATE VIEW IF NOT EXISTS consumer_daily AS
SELECT consumer_id, day, type, store_id, sku_id, city, has_geo, lat, lon, events, bottles, first_ts, last_ts
FROM scan_detail_daily WHERE consumer_id != '';

-- Per distributor (the distributor on the scan): a view over store_daily.
CREATE VIEW IF NOT EXISTS distributor_daily AS
SELECT distributor_id, day, type, store_id, sku_id, city, events, bottles
FROM store_daily WHERE distributor_id != '';

-- Rewards per beneficiary, day, kind, policy and experiment arm.
-- cluster: shard_key = cityHash64(beneficiary_id)
CREATE TABLE IF NOT EXISTS reward_daily (
  beneficiary_type LowCardinality(String),
  beneficiary_id String,
  day Date,
  kind LowCardinality(String),
  policy_id String,
  experiment_id String,
  arm String,
  rewards UInt64,
  amount_fen UInt64
) ENGINE = SummingMergeTree((rewards, amount_fen))
PARTITION BY toYYYYMM(day)
ORDER BY (beneficiary_type, beneficiary_id, day, kind, policy_id, experiment_id, arm);

CREATE MATERIALIZED VIEW IF NOT EXISTS reward_daily_mv TO reward_daily AS
SELECT beneficiary_type, beneficiary_id, day, kind, policy_id, experiment_id, arm,
       count() AS rewards, sum(amount_fen) AS amount_fen
FROM rewards
GROUP BY beneficiary_type, beneficiary_id, day, kind, policy_id, experiment_id, arm;

-- Orders per seller, day, buyer type and SKU (retail sales are seller_type = 'store').
-- cluster: shard_key = cityHash64(seller_id)
CREATE TABLE IF NOT EXISTS order_daily (
  seller_type LowCardinality(String),
  seller_id String,
  day Date,
  buyer_type LowCardinality(String),
  sku_id LowCardinality(String),
  orders UInt64,
  bottles UInt64,
  amount_fen UInt64
) ENGINE = SummingMergeTree((orders, bottles, amount_fen))
PARTITION BY toYYYYMM(day)
ORDER BY (seller_type, seller_id, day, buyer_type, sku_id);

CREATE MATERIALIZED VIEW IF NOT EXISTS order_daily_mv TO order_daily AS
SELECT seller_type, seller_id, day, buyer_type, sku_id, count() AS orders, sum(bottles) AS bottles, sum(amount_fen) AS amount_fen
FROM orders
GROUP BY seller_type, seller_id, day, buyer_type, sku_id;
