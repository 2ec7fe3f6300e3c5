-- Materialised current profiles, one row per entity per refresh (ReplacingMergeTree on
-- refreshed_at: read with FINAL). Columns are the attributes of segments/catalog.ts, same names.
-- Dimension attributes are Nullable: unknown is null, and a comparison with null is false.

-- cluster: shard_key = cityHash64(store_id)
CREATE TABLE IF NOT EXISTS store_profiles (
  store_id String,
  as_of Date,
  refreshed_at DateTime64(3, 'UTC'),
  name Nullable(String),
  kind Nullable(String),
  city Nullable(String),
  district Nullable(String),
  distributor_id Nullable(String),
  rep_id Nullable(String),
  stocked_bottles_30d UInt64,
  opened_bottles_30d UInt64,
  stocked_bottles_90d UInt64,
  opened_bottles_90d UInt64,
  stocked_bottles_365d UInt64,
  opened_bottles_365d UInt64,
  open_rate_90d Nullable(Float64),
  weekly_opened_mean_12w Float64,
  weekly_opened_cv_12w Nullable(Float64),
  active_weeks_12w UInt8,
  sub_premium_share_90d Nullable(Float64),
  distinct_consumers_90d UInt64,
  local_open_share_90d Nullable(Float64),
  outside_city_share_90d Nullable(Float64),
  reward_fen_90d UInt64,
  reward_per_opened_bottle_90d Nullable(Float64),
  days_since_last_open Nullable(Int32),
  days_since_last_stock_in Nullable(Int32)
) ENGINE = ReplacingMergeTree(refreshed_at)
ORDER BY store_id;

-- cluster: shard_key = cityHash64(consumer_id)
CREATE TABLE IF NOT EXISTS consumer_profiles (
  consumer_id String,
  as_of Date,
  refreshed_at DateTime64(3, 'UTC'),
  opened_bottles_90d UInt64,
  opened_bottles_365d UInt64,
  distinct_stores_365d UInt64,
  distinct_skus_365d UInt64,
  preferred_tier_365d Nullable(String),
  home_city Nullable(String),
  first_open_at Nullable(DateTime64(3, 'UTC')),
  last_open_at Nullable(DateTime64(3, 'UTC')),
  red_envelope_fen_365d UInt64,
  max_opens_per_day_365d UInt64
) ENGINE = ReplacingMergeTree(refreshed_at)
ORDER BY consumer_id;

-- cluster: shard_key = cityHash64(distributor_id)
CREATE TABLE IF NOT EXISTS distributor_profiles (
  distributor_id String,
  as_of Date,
  refreshed_at DateTime64(3, 'UTC'),
  name Nullable(String),
  city Nullable(String),
  stores_served_90d UInt64,
  stocked_bottles_90d UInt64,
  opened_bottles_90d UInt64,
  open_rate_90d Nullable(Float64),
  outside_territory_open_share_90d Nullable(Float64),
  active_store_share_90d Nullable(Float64)
) ENGINE = ReplacingMergeTree(refreshed_at)
ORDER BY distributor_id;

-- One row per refresh: when, for which as_of, how many entities, how long, and the newest
-- event time it saw (so freshness = now - refreshed_at and lag = now - newest event).
-- cluster: shard_key = rand()
CREATE TABLE IF NOT EXISTS profile_refreshes (
  entity LowCardinality(String),
  as_of Date,
  refreshed_at DateTime64(3, 'UTC'),
  mode LowCardinality(String),
  entities UInt64,
  duration_ms UInt32,
  newest_event_at Nullable(DateTime64(3, 'UTC'))
) ENGINE = MergeTree
ORDER BY (entity, refreshed_at);
