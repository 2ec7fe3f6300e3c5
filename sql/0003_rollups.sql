-- Daily rollups kept current by materialized views. All are SummingMergeTree: read them with
-- sum(...) GROUP BY, never assuming merges have happened. Profiles, segments and dashboards
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

-- Per store, day, event type, SKU and scan city: events and bottles.
-- cluster: shard_key = cityHash64(store_id)
CREATE TABLE IF NOT EXISTS store_daily (
  store_id String,
  day Date,
  type Enum8('ship' = 1, 'stock_in' = 2, 'open' = 3, 'verify' = 4),
  sku_id LowCardinality(String),
  city LowCardinality(String),
  events UInt64,
  bottles UInt64
) ENGINE = SummingMergeTree((events, bottles))
PARTITION BY toYYYYMM(day)
ORDER BY (store_id, day, type, sku_id, city);

CREATE MATERIALIZED VIEW IF NOT EXISTS store_daily_mv TO store_daily AS
SELECT store_id, day, type, sku_id, city, count() AS events, sum(bottles) AS bottles
FROM scan_events WHERE store_id != ''
GROUP BY store_id, day, type, sku_id, city;

-- Opens per store with who opened and where: distinct consumers, local and outside-city
-- shares are computed from here against the store's master-data location at read time.
-- cluster: shard_key = cityHash64(store_id)
CREATE TABLE IF NOT EXISTS store_opens_daily (
  store_id String,
  day Date,
  consumer_id String,
  sku_id LowCardinality(String),
  city LowCardinality(String),
  has_geo UInt8,
  lat Float64,
  lon Float64,
  opens UInt64,
  bottles UInt64
) ENGINE = SummingMergeTree((opens, bottles))
PARTITION BY toYYYYMM(day)
ORDER BY (store_id, day, consumer_id, sku_id, city, has_geo, lat, lon);

CREATE MATERIALIZED VIEW IF NOT EXISTS store_opens_daily_mv TO store_opens_daily AS
SELECT store_id, day, consumer_id, sku_id, city, has_geo, lat, lon, count() AS opens, sum(bottles) AS bottles
FROM scan_events WHERE type = 'open' AND store_id != ''
GROUP BY store_id, day, consumer_id, sku_id, city, has_geo, lat, lon;

-- Per consumer: what they scanned, where, at which store.
-- cluster: shard_key = cityHash64(consumer_id)
CREATE TABLE IF NOT EXISTS consumer_daily (
  consumer_id String,
  day Date,
  type Enum8('ship' = 1, 'stock_in' = 2, 'open' = 3, 'verify' = 4),
  store_id String,
  sku_id LowCardinality(String),
  city LowCardinality(String),
  has_geo UInt8,
  lat Float64,
  lon Float64,
  events SimpleAggregateFunction(sum, UInt64),
  bottles SimpleAggregateFunction(sum, UInt64),
  first_ts SimpleAggregateFunction(min, DateTime64(3, 'UTC')),
  last_ts SimpleAggregateFunction(max, DateTime64(3, 'UTC'))
) ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(day)
ORDER BY (consumer_id, day, type, store_id, sku_id, city, has_geo, lat, lon);

CREATE MATERIALIZED VIEW IF NOT EXISTS consumer_daily_mv TO consumer_daily AS
SELECT consumer_id, day, type, store_id, sku_id, city, has_geo, lat, lon,
       count() AS events, sum(bottles) AS bottles, min(ts) AS first_ts, max(ts) AS last_ts
FROM scan_events WHERE consumer_id != ''
GROUP BY consumer_id, day, type, store_id, sku_id, city, has_geo, lat, lon;

-- Per distributor (the distributor on the scan): events and bottles by store, SKU and city.
-- cluster: shard_key = cityHash64(distributor_id)
CREATE TABLE IF NOT EXISTS distributor_daily (
  distributor_id String,
  day Date,
  type Enum8('ship' = 1, 'stock_in' = 2, 'open' = 3, 'verify' = 4),
  store_id String,
  sku_id LowCardinality(String),
  city LowCardinality(String),
  events UInt64,
  bottles UInt64
) ENGINE = SummingMergeTree((events, bottles))
PARTITION BY toYYYYMM(day)
ORDER BY (distributor_id, day, type, store_id, sku_id, city);

CREATE MATERIALIZED VIEW IF NOT EXISTS distributor_daily_mv TO distributor_daily AS
SELECT distributor_id, day, type, store_id, sku_id, city, count() AS events, sum(bottles) AS bottles
FROM scan_events WHERE distributor_id != ''
GROUP BY distributor_id, day, type, store_id, sku_id, city;

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
