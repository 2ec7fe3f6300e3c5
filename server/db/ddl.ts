/**
 * Migration files and their cluster form. A migration is a numbered `.sql` file in `sql/`
 * written for a single node; {@link toClusterDdl} rewrites each statement for a cluster:
 * `ON CLUSTER`, `Replicated*MergeTree` local tables behind `Distributed` tables of the
 * original name, and materialized views that read and write the local tables. A backfill
 * (`INSERT INTO … SELECT`) is sent once, as written, through the Distributed tables.
 */
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'

export interface Migration {
  version: number
  name: string
  checksum: string
  statements: Statement[]
}

export interface Statement {
  sql: string
  /** Sharding expression for the Distributed table (from a `-- cluster: shard_key = …` line). */
  shardKey?: string
}

/** Reads `NNNN_name.sql` files from a folder, in version order. */
export function readMigrations(dir: string): Migration[] {
  const files = fs.readdirSync(dir).filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f)).sort()
  const seen = new Set<number>()
  return files.map((file) => {
    const version = Number(file.slice(0, 4))
    if (seen.has(version)) throw new Error(`two migrations numbered ${version} in ${dir}`)
    seen.add(version)
    const text = fs.readFileSync(path.join(dir, file), 'utf8')
    return {
      version,
      name: file.replace(/\.sql$/, ''),
      checksum: crypto.createHash('sha256').update(text).digest('hex'),
      statements: splitStatements(text),
    }
  })
}

/** Splits a SQL file into statements at `;` ending a line; `--` comments are dropped. */
export function splitStatements(text: string): Statement[] {
  const out: Statement[] = []
  let buf: string[] = []
  let shardKey: string | undefined
  for (const line of text.split('\n')) {
    const anno = /^\s*--\s*cluster:\s*shard_key\s*=\s*(.+?)\s*$/.exec(line)
    if (anno) {
      shardKey = anno[1]
      continue
    }
    const code = line.replace(/--.*$/, '')
    if (code.trim() === '') continue
    buf.push(code.trimEnd())
    if (/;\s*$/.test(code)) {
      out.push({ sql: buf.join('\n').replace(/;\s*$/, ''), shardKey })
      buf = []
      shardKey = undefined
    }
  }
  if (buf.length) out.push({ sql: buf.join('\n'), shardKey })
  return out
}

const CREATE_TABLE = /^CREATE TABLE IF NOT EXISTS (\w+) \(/
const ENGINE = /ENGINE = (\w*)MergeTree(\(([^()]*(?:\([^()]*\))*[^()]*)\))?/
const CREATE_MV = /^CREATE MATERIALIZED VIEW IF NOT EXISTS (\w+) TO (\w+) AS/

/**
 * Rewrites single-node statements for a cluster. `tables` are the names of all tables created by
 * the migrations (so a view's FROM can be pointed at the local table).
 * @example toClusterDdl([{ sql: 'CREATE TABLE IF NOT EXISTS t (a UInt8) ENGINE = MergeTree ORDER BY a' }], 'c', new Set(['t']))
 */
export function toClusterDdl(statements: Statement[], cluster: string, tables: Set<string>): string[] {
  const on = `ON CLUSTER \`${cluster}\``
  const out: string[] = []
  for (const st of statements) {
    const t = CREATE_TABLE.exec(st.sql)
    if (t) {
      const name = t[1]
      const local = `${name}_local`
      const engine = ENGINE.exec(st.sql)
      if (!engine) throw new Error(`cannot emit cluster DDL for ${name}: no MergeTree engine`)
      const family = engine[1]
      const args = engine[3]?.trim()
      const zk = `'/clickhouse/tables/{shard}/{database}/${local}', '{replica}'`
      const replicated = `ENGINE = Replicated${family}MergeTree(${zk}${args ? `, ${args}` : ''})`
      out.push(st.sql.replace(CREATE_TABLE, `CREATE TABLE IF NOT EXISTS ${local} ${on} (`).replace(ENGINE, replicated))
      out.push(
        `CREATE TABLE IF NOT EXISTS ${name} ${on} AS ${local}\nENGINE = Distributed(\`${cluster}\`, currentDatabase(), ${local}, ${st.shardKey ?? 'rand()'})`,
      )
      continue
    }
    const mv = CREATE_MV.exec(st.sql)
    if (mv) {
      const [, view, target] = mv
      let sql = st.sql.replace(CREATE_MV, `CREATE MATERIALIZED VIEW IF NOT EXISTS ${view} ${on} TO ${target}_local AS`)
      sql = sql.replace(/\bFROM (\w+)/g, (m, src: string) => (tables.has(src) ? `FROM ${src}_local` : m))
      out.push(sql)
      continue
    }
    if (/^INSERT INTO \w+/.test(st.sql)) {
      // A backfill runs once, from the node applying the migration, through the Distributed
      // tables: it reads every shard, and the rows it writes are routed by the sharding key.
      out.push(st.sql)
      continue
    }
    if (/^(ALTER TABLE|DROP TABLE|DROP VIEW|CREATE VIEW)/.test(st.sql)) {
      out.push(st.sql.replace(/^(ALTER TABLE|DROP TABLE IF EXISTS|DROP TABLE|DROP VIEW IF EXISTS|DROP VIEW|CREATE VIEW IF NOT EXISTS|CREATE VIEW) (\w+)/, `$1 $2 ${on}`))
      continue
    }
    throw new Error(`cannot emit cluster DDL for statement: ${st.sql.slice(0, 80)}`)
  }
  return out
}

/** Names of the tables the migrations create (views excluded). */
export function tableNames(migrations: Migration[]): Set<string> {
  const names = new Set<string>()
  for (const m of migrations) for (const st of m.statements) {
    const t = CREATE_TABLE.exec(st.sql)
    if (t) names.add(t[1])
  }
  return names
}
