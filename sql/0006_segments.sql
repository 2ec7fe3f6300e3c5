-- Segments (DESIGN §5): saved rule trees with every version kept, a membership changelog fed
-- by scheduled refreshes, and uploaded id lists usable in rules.

-- The current state of each saved segment, one row per change (ReplacingMergeTree on
-- `revision` = version * 2 + deleted: read with FINAL). Deletion is soft: the row stays.
-- cluster: shard_key = cityHash64(segment_id)
CREATE TABLE IF NOT EXISTS segments (
  segment_id String,
  name String,
  entity LowCardinality(String),
  version UInt32,
  deleted UInt8,
  revision UInt64,
  created_at DateTime64(3, 'UTC'),
  updated_at DateTime64(3, 'UTC')
) ENGINE = ReplacingMergeTree(revision)
ORDER BY segment_id;

-- Every version of every segment as saved: the rule as JSON (re-validated when read back).
-- cluster: shard_key = cityHash64(segment_id)
CREATE TABLE IF NOT EXISTS segment_versions (
  segment_id String,
  version UInt32,
  name String,
  entity LowCardinality(String),
  rule String,
  note String,
  created_at DateTime64(3, 'UTC')
) ENGINE = MergeTree
ORDER BY (segment_id, version);

-- The membership changelog: one row per entity entering (+1) or leaving (-1) a segment at a
-- refresh, with the segment version and as_of it was computed with. Membership at any refresh
-- is sum(sign) > 0 over the rows up to it.
-- cluster: shard_key = cityHash64(segment_id)
CREATE TABLE IF NOT EXISTS segment_members (
  segment_id String,
  member_id String,
  sign Int8,
  version UInt32,
  as_of Date,
  refresh_id String,
  refreshed_at DateTime64(3, 'UTC')
) ENGINE = MergeTree
PARTITION BY toYYYYMM(refreshed_at)
ORDER BY (segment_id, member_id, refreshed_at);

-- Current membership, compacted: summing the signs, a member who left sums to 0 and its row
-- disappears at the next merge. Read with sum(n) … HAVING sum(n) > 0.
-- cluster: shard_key = cityHash64(segment_id)
CREATE TABLE IF NOT EXISTS segment_current (
  segment_id String,
  member_id String,
  n Int64
) ENGINE = SummingMergeTree(n)
ORDER BY (segment_id, member_id);

CREATE MATERIALIZED VIEW IF NOT EXISTS segment_current_mv TO segment_current AS
SELECT segment_id, member_id, toInt64(sign) AS n FROM segment_members;

-- One row per refresh of a segment: size after it, how many entered and left.
-- cluster: shard_key = cityHash64(segment_id)
CREATE TABLE IF NOT EXISTS segment_refreshes (
  segment_id String,
  refresh_id String,
  version UInt32,
  as_of Date,
  refreshed_at DateTime64(3, 'UTC'),
  size UInt64,
  entered UInt64,
  exited UInt64,
  duration_ms UInt32
) ENGINE = MergeTree
ORDER BY (segment_id, refreshed_at);

-- Member ids staged for a CSV export, so a large export is read in short pages from one
-- snapshot instead of one long statement. Rows expire after a day.
-- cluster: shard_key = cityHash64(export_id)
CREATE TABLE IF NOT EXISTS segment_exports (
  export_id String,
  member_id String,
  created_at DateTime
) ENGINE = MergeTree
ORDER BY (export_id, member_id)
TTL created_at + INTERVAL 1 DAY;

-- Uploaded id lists. The lists row is written after its members, so a visible list is whole.
-- cluster: shard_key = cityHash64(list_id)
CREATE TABLE IF NOT EXISTS lists (
  list_id String,
  name String,
  entity LowCardinality(String),
  size UInt64,
  rejected UInt32,
  created_at DateTime64(3, 'UTC')
) ENGINE = ReplacingMergeTree(created_at)
ORDER BY list_id;

-- cluster: shard_key = cityHash64(list_id)
CREATE TABLE IF NOT EXISTS list_members (
  list_id String,
  member_id String
) ENGINE = ReplacingMergeTree
ORDER BY (list_id, member_id);
