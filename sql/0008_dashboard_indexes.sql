-- Structures that let the dashboards answer a year at 100k stores without reading a year of
-- per-store daily rows (DESIGN §8: overview p95 ≤ 500 ms). None is fed from scan_events (a view
-- there costs ~18% of ingest time, DESIGN §10): the views below read the rollups' inserted
-- blocks, already aggregated per store and day, and the consumer bitmaps are kept by the
-- dashboards' consumer index (server/dashboards/consumer-index.ts), which needs one sequence of
-- dense ids that no view can draw from.
--
-- Each table is filled from the data already there, and every fill can run again safely: a
-- migration interrupted half-way completes on the next start (min, max and bitmap OR do not
-- change when a row comes twice; the summing tables are filled with what they lack, not added to).

-- Per store and SKU ('' = every SKU; a scan's SKU is never empty, ingest requires it): the first
-- day with an open, and with a stock-in, ever. New stores of a period are the stores whose first
-- open falls in it, without reading history. GROUPING SETS write each SKU's row and the '' row.
-- cluster: shard_key = cityHash64(store_id)
CREATE TABLE IF NOT EXISTS store_firsts (
  sku_id LowCardinality(String),
  store_id String,
  first_open SimpleAggregateFunction(min, Nullable(Date)),
  first_stock_in SimpleAggregateFunction(min, Nullable(Date))
) ENGINE = AggregatingMergeTree
ORDER BY (sku_id, store_id);

CREATE MATERIALIZED VIEW IF NOT EXISTS store_firsts_mv TO store_firsts AS
SELECT sku_id, store_id, min(if(type = 'open', day, NULL)) AS first_open, min(if(type = 'stock_in', day, NULL)) AS first_stock_in
FROM store_daily
WHERE type IN ('open', 'stock_in') AND store_id != ''
GROUP BY GROUPING SETS ((sku_id, store_id), (store_id));

INSERT INTO store_firsts (sku_id, store_id, first_open, first_stock_in)
SELECT sku_id, store_id, min(if(type = 'open', day, NULL)) AS first_open, min(if(type = 'stock_in', day, NULL)) AS first_stock_in
FROM store_daily
WHERE type IN ('open', 'stock_in') AND store_id != ''
GROUP BY GROUPING SETS ((sku_id, store_id), (store_id));

-- Bottles stocked in and opened per store, calendar month and SKU ('' = every SKU): a year is
-- ~1.2M rows at 100k stores instead of ~15M in store_daily. A period reads its whole months
-- here and the days around them in store_daily (server/dashboards/store-periods.ts).
-- cluster: shard_key = cityHash64(store_id)
CREATE TABLE IF NOT EXISTS store_monthly (
  month Date,
  sku_id LowCardinality(String),
  store_id String,
  stocked UInt64,
  opened UInt64
) ENGINE = SummingMergeTree((stocked, opened))
PARTITION BY toYear(month)
ORDER BY (sku_id, month, store_id);

CREATE MATERIALIZED VIEW IF NOT EXISTS store_monthly_mv TO store_monthly AS
SELECT toStartOfMonth(day) AS month, sku_id, store_id, sumIf(bottles, type = 'stock_in') AS stocked, sumIf(bottles, type = 'open') AS opened
FROM store_daily
WHERE type IN ('open', 'stock_in') AND store_id != ''
GROUP BY GROUPING SETS ((month, sku_id, store_id), (month, store_id));

-- What the table lacks against store_daily (all of it on the first run, nothing on a re-run).
INSERT INTO store_monthly (month, sku_id, store_id, stocked, opened)
SELECT s.month, s.sku_id, s.store_id, s.st - t.t_st, s.op - t.t_op
FROM (
  SELECT toStartOfMonth(day) AS month, sku_id, store_id, sumIf(bottles, type = 'stock_in') AS st, sumIf(bottles, type = 'open') AS op
  FROM store_daily
  WHERE type IN ('open', 'stock_in') AND store_id != ''
  GROUP BY GROUPING SETS ((month, sku_id, store_id), (month, store_id))
) AS s
LEFT JOIN (
  SELECT month AS t_month, sku_id AS t_sku, store_id AS t_store, sum(stocked) AS t_st, sum(opened) AS t_op
  FROM store_monthly GROUP BY month, sku_id, store_id
) AS t ON t.t_month = s.month AND t.t_sku = s.sku_id AND t.t_store = s.store_id
WHERE (s.st != t.t_st OR s.op != t.t_op) AND s.st >= t.t_st AND s.op >= t.t_op;

-- Reward spend per day, beneficiary type, kind and policy (about a thousand rows a year): the
-- whole-channel spend without reading the per-beneficiary reward_daily (24M rows a year).
-- cluster: shard_key = rand()
CREATE TABLE IF NOT EXISTS reward_spend_daily (
  day Date,
  beneficiary_type LowCardinality(String),
  kind LowCardinality(String),
  policy_id String,
  rewards UInt64,
  amount_fen UInt64
) ENGINE = SummingMergeTree((rewards, amount_fen))
PARTITION BY toYear(day)
ORDER BY (day, beneficiary_type, kind, policy_id);

CREATE MATERIALIZED VIEW IF NOT EXISTS reward_spend_daily_mv TO reward_spend_daily AS
SELECT day, beneficiary_type, kind, policy_id, sum(rewards) AS rewards, sum(amount_fen) AS amount_fen
FROM reward_daily
GROUP BY day, beneficiary_type, kind, policy_id;

INSERT INTO reward_spend_daily (day, beneficiary_type, kind, policy_id, rewards, amount_fen)
SELECT s.day, s.beneficiary_type, s.kind, s.policy_id, s.n - t.t_n, s.fen - t.t_fen
FROM (
  SELECT day, beneficiary_type, kind, policy_id, sum(rewards) AS n, sum(amount_fen) AS fen
  FROM reward_daily GROUP BY day, beneficiary_type, kind, policy_id
) AS s
LEFT JOIN (
  SELECT day AS t_day, beneficiary_type AS t_type, kind AS t_kind, policy_id AS t_policy, sum(rewards) AS t_n, sum(amount_fen) AS t_fen
  FROM reward_spend_daily GROUP BY day, beneficiary_type, kind, policy_id
) AS t ON t.t_day = s.day AND t.t_type = s.beneficiary_type AND t.t_kind = s.kind AND t.t_policy = s.policy_id
WHERE (s.n != t.t_n OR s.fen != t.t_fen) AND s.n >= t.t_n AND s.fen >= t.t_fen;

-- Rewards paid to each store per calendar month: a year of the stores' own rewards is ~1.2M rows
-- at 100k stores instead of ~10M in reward_daily (the incentive page's cost per opened bottle).
-- cluster: shard_key = cityHash64(store_id)
CREATE TABLE IF NOT EXISTS store_reward_monthly (
  month Date,
  store_id String,
  rewards UInt64,
  amount_fen UInt64
) ENGINE = SummingMergeTree((rewards, amount_fen))
PARTITION BY toYear(month)
ORDER BY (month, store_id);

CREATE MATERIALIZED VIEW IF NOT EXISTS store_reward_monthly_mv TO store_reward_monthly AS
SELECT toStartOfMonth(day) AS month, beneficiary_id AS store_id, sum(rewards) AS rewards, sum(amount_fen) AS amount_fen
FROM reward_daily WHERE beneficiary_type = 'store'
GROUP BY month, store_id;

INSERT INTO store_reward_monthly (month, store_id, rewards, amount_fen)
SELECT s.month, s.store_id, s.n - t.t_n, s.fen - t.t_fen
FROM (
  SELECT toStartOfMonth(day) AS month, beneficiary_id AS store_id, sum(rewards) AS n, sum(amount_fen) AS fen
  FROM reward_daily WHERE beneficiary_type = 'store' GROUP BY month, store_id
) AS s
LEFT JOIN (
  SELECT month AS t_month, store_id AS t_store, sum(rewards) AS t_n, sum(amount_fen) AS t_fen FROM store_reward_monthly GROUP BY month, store_id
) AS t ON t.t_month = s.month AND t.t_store = s.store_id
WHERE (s.n != t.t_n OR s.fen != t.t_fen) AND s.n >= t.t_n AND s.fen >= t.t_fen;

-- Dense consumer ids (DESIGN §11: bitmaps want dense UInt32 ids, 64-bit ones are much slower),
-- numbered in order of first open. Assigned only by the consumer index, one id per consumer.
-- cluster: shard_key = cityHash64(consumer_id)
CREATE TABLE IF NOT EXISTS consumer_ids (
  consumer_id String,
  cid UInt32
) ENGINE = MergeTree
ORDER BY consumer_id;

-- The consumers who opened a bottle (at a known store) per day and SKU ('' = every SKU), as a
-- bitmap of dense ids, and `opens`: the open events of that day and SKU the bitmap was built
-- from (0 when a consumer had no id yet). A day whose '' row's `opens` equals its open events in
-- scan_daily is complete; any other day is read live (server/dashboards/consumer-index.ts).
-- Ordered by SKU first, so the all-SKU rows a year without a product filter reads are together
-- (a granule read deserialises every bitmap in it).
-- cluster: shard_key = rand()
CREATE TABLE IF NOT EXISTS consumer_open_bitmaps (
  day Date,
  sku_id LowCardinality(String),
  ids AggregateFunction(groupBitmap, UInt32),
  opens SimpleAggregateFunction(max, UInt64)
) ENGINE = AggregatingMergeTree
PARTITION BY toYear(day)
ORDER BY (sku_id, day);

-- The first fill, in the same form as the index's own statements (consumer-index.ts) over every day.
INSERT INTO consumer_ids (consumer_id, cid)
SELECT consumer_id, toUInt32((SELECT max(cid) FROM consumer_ids) + row_number() OVER (ORDER BY first_day, consumer_id))
FROM (
  SELECT consumer_id, min(day) AS first_day FROM scan_detail_daily
  WHERE type = 'open' AND consumer_id != '' AND store_id != ''
  GROUP BY consumer_id
)
WHERE consumer_id NOT IN (SELECT consumer_id FROM consumer_ids);

INSERT INTO consumer_open_bitmaps (day, sku_id, ids, opens)
SELECT day, sku_id, groupBitmapStateIf(cid, counted) AS ids, if(countIf(counted AND cid = 0) > 0, 0, sum(events)) AS opens
FROM (
  SELECT o.day AS day, o.sku_id AS sku_id, o.events AS events, o.consumer_id != '' AND o.store_id != '' AS counted, i.cid AS cid
  FROM (SELECT day, sku_id, consumer_id, store_id, events FROM scan_detail_daily WHERE type = 'open') AS o
  LEFT ANY JOIN consumer_ids AS i ON i.consumer_id = o.consumer_id
)
GROUP BY GROUPING SETS ((day, sku_id), (day));
