-- Opened bottles per store, calendar month and scan city, every SKU together: where each
-- store's bottles were opened, a month at a time. The diversion dashboard reads a period's whole
-- months here and the days around them in store_daily (server/dashboards/store-periods.ts
-- `storeOpenCities`): a year at 100k stores is ~1.6M rows instead of ~12M open rows in
-- store_daily. Fed from store_daily's inserted blocks (already aggregated per store and day),
-- like store_monthly (sql/0008), not from scan_events, and without a per-SKU row: a view with
-- GROUPING SETS cost ~5–10% of the bulk insert rate, this one is within the noise. A product
-- filter reads store_daily. Only opens with a scan city are kept: an open without one cannot
-- tell where a bottle went.
-- cluster: shard_key = cityHash64(store_id)
CREATE TABLE IF NOT EXISTS store_open_city_monthly (
  month Date,
  store_id String,
  city LowCardinality(String),
  bottles UInt64
) ENGINE = SummingMergeTree(bottles)
PARTITION BY toYear(month)
ORDER BY (month, store_id, city);

CREATE MATERIALIZED VIEW IF NOT EXISTS store_open_city_monthly_mv TO store_open_city_monthly AS
SELECT toStartOfMonth(day) AS month, store_id, city, sum(bottles) AS bottles
FROM store_daily
WHERE type = 'open' AND store_id != '' AND city != ''
GROUP BY month, store_id, city;

-- What the table lacks against store_daily (all of it on the first run, nothing on a re-run).
INSERT INTO store_open_city_monthly (month, store_id, city, bottles)
SELECT s.month, s.store_id, s.city, s.b - t.t_b
FROM (
  SELECT toStartOfMonth(day) AS month, store_id, city, sum(bottles) AS b
  FROM store_daily
  WHERE type = 'open' AND store_id != '' AND city != ''
  GROUP BY month, store_id, city
) AS s
LEFT JOIN (
  SELECT month AS t_month, store_id AS t_store, city AS t_city, sum(bottles) AS t_b
  FROM store_open_city_monthly GROUP BY month, store_id, city
) AS t ON t.t_month = s.month AND t.t_store = s.store_id AND t.t_city = s.city
WHERE s.b > t.t_b;
