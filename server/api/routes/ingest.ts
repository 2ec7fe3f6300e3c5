import express, { Router } from 'express'
import { z } from 'zod'
import { Ingestor } from '../../ingest/service.js'
import { BodyParseError, formatOf, indexNdjson, parseBodyYielding } from '../../ingest/parse.js'
import { FACT_KINDS, IngestReply, MASTER_KINDS, isFactKind, isMasterKind, type Kind } from '../../ingest/schemas.js'
import { endpoint, mount } from '../contract.js'
import { ApiError } from '../errors.js'

export const MAX_ROWS = 50_000
export const MAX_BYTES = 10 * 1024 * 1024

const bodies = (schema: z.ZodType) => ({
  'application/x-ndjson': schema,
  'application/json': z.array(schema),
  'text/csv': z.string().describe('CSV with a header row naming the fields'),
})

export const ingestEndpoints = [
  ...Object.entries(FACT_KINDS).map(([kind, spec]) =>
    endpoint({
      method: 'post',
      path: `/ingest/${kind}`,
      summary: `Ingest ${kind} (deduplicated by ${spec.idField}; re-sent rows count as duplicates)`,
      tag: 'ingest',
      query: z.object({
        wait: z
          .enum(['durable', 'visible'])
          .default('durable')
          .describe(
            'durable: reply once the accepted rows are durable (in the write-ahead log, embedded; inserted, with a ClickHouse server); they can be read within seconds. visible: reply once they, and every row of the kind accepted before them, can be read.',
          ),
      }) as z.ZodType<{ wait?: 'durable' | 'visible'; on_conflict?: 'hold' | 'overwrite' }>,
      body: bodies(spec.schema),
      response: IngestReply,
      errors: [400, 413, 415],
    }),
  ),
  ...Object.entries(MASTER_KINDS).map(([kind, spec]) =>
    endpoint({
      method: 'post',
      path: `/master/${kind}`,
      summary: `Upsert ${kind} (versioned; a name or city change from another source is held as a conflict unless on_conflict=overwrite)`,
      tag: 'master data',
      query: z.object({ on_conflict: z.enum(['hold', 'overwrite']).default('hold') }) as z.ZodType<{ wait?: 'durable' | 'visible'; on_conflict?: 'hold' | 'overwrite' }>,
      body: bodies(spec.schema),
      response: IngestReply,
      errors: [400, 413, 415],
    }),
  ),
]

/** The charset a Content-Type names ('utf-8' when none; 'utf8' is read as 'utf-8'). */
function charsetOf(contentType: string | undefined): string {
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType ?? '')?.[1]?.toLowerCase() ?? 'utf-8'
  return charset === 'utf8' ? 'utf-8' : charset
}

/** A body's text in the charset its Content-Type names (UTF-8 when none). */
function decode(body: unknown, contentType: string | undefined): string {
  if (!Buffer.isBuffer(body)) return ''
  const charset = charsetOf(contentType)
  if (charset === 'utf-8') return body.toString('utf8')
  try {
    return new TextDecoder(charset).decode(body)
  } catch {
    throw new ApiError('unsupported_media_type', `charset ${JSON.stringify(charset)} is not supported; send UTF-8`)
  }
}

/** POST /ingest/{kind} and /master/{kind}: the ingestion contract. */
export function ingestRouter(ingestor: Ingestor): Router {
  const router = Router()
  // The body is read raw (up to the byte limit, 413 beyond) and parsed by our own parsers so
  // that each record keeps its line number and raw text. Read as bytes and decoded once: the
  // text parser's chunk-by-chunk decoding into a rope costs several times more on 10 MB bodies.
  router.use(['/ingest', '/master'], express.raw({ type: () => true, limit: MAX_BYTES }))
  for (const e of ingestEndpoints) {
    const kind = e.path.split('/')[2] as Kind
    mount(router, e, async ({ req, query }) => {
      const format = formatOf(req.headers['content-type'])
      if (!format)
        throw new ApiError('unsupported_media_type', `content type ${JSON.stringify(req.headers['content-type'] ?? '')} is not accepted; send application/x-ndjson, application/json or text/csv`)
      const { on_conflict: onConflict, wait } = query
      if (!isFactKind(kind) && !isMasterKind(kind)) throw new ApiError('not_found', `unknown kind ${kind}`)
      // Facts in NDJSON and UTF-8 (the feed's form) are taken as bytes: the scanner checks most
      // records without decoding or parsing them, and their bytes go to the engine as received.
      if (format === 'ndjson' && isFactKind(kind) && Buffer.isBuffer(req.body) && charsetOf(req.headers['content-type']) === 'utf-8') {
        const index = indexNdjson(req.body)
        if (index.count > MAX_ROWS) throw new ApiError('payload_too_large', `the body has ${index.count} records; at most ${MAX_ROWS} are accepted per request`)
        return ingestor.ingestNdjson(kind, req.body, index, { origin: 'api', wait })
      }
      const text = decode(req.body, req.headers['content-type'])
      let records
      try {
        records = await parseBodyYielding(text, format)
      } catch (err) {
        if (!(err instanceof BodyParseError)) throw err
        await ingestor.quarantineBody(kind, text, err.message)
        throw new ApiError('invalid_body', err.message)
      }
      if (records.length > MAX_ROWS) throw new ApiError('payload_too_large', `the body has ${records.length} records; at most ${MAX_ROWS} are accepted per request`)
      return ingestor.ingest(kind, records, { origin: 'api', onConflict, wait })
    })
  }
  return router
}
