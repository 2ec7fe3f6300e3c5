/** The OpenAPI 3.1 document, generated from the endpoint contracts and their zod schemas. */
import { z } from 'zod'
import type { Endpoint } from './contract.js'

const Problem = z.object({ type: z.string(), title: z.string(), status: z.number().int(), detail: z.string() })

function schema(s: z.ZodType, io: 'input' | 'output') {
  const { $schema: _drop, ...json } = z.toJSONSchema(s, { io, unrepresentable: 'any' }) as Record<string, unknown>
  return json
}

export function openApiDocument(endpoints: Endpoint[], version: string) {
  const paths: Record<string, Record<string, unknown>> = {}
  for (const e of endpoints) {
    const path = '/api/v1' + e.path.replace(/:(\w+)/g, '{$1}')
    const parameters: unknown[] = []
    for (const [name, s] of Object.entries(e.params ?? {})) parameters.push({ name, in: 'path', required: true, schema: schema(s, 'input') })
    if (e.query instanceof z.ZodObject) {
      for (const [name, s] of Object.entries(e.query.shape as Record<string, z.ZodType>)) {
        parameters.push({ name, in: 'query', required: !s.safeParse(undefined).success, schema: schema(s, 'input') })
      }
    }
    const responses: Record<string, unknown> = {
      200: { description: 'OK', content: { 'application/json': { schema: schema(e.response, 'output') } } },
    }
    for (const status of [...(e.errors ?? []), 500])
      responses[status] = { description: 'Problem', content: { 'application/problem+json': { schema: schema(Problem, 'output') } } }
    paths[path] ??= {}
    paths[path][e.method] = {
      summary: e.summary,
      tags: [e.tag],
      ...(parameters.length ? { parameters } : {}),
      ...(e.body
        ? { requestBody: { required: true, content: Object.fromEntries(Object.entries(e.body).map(([ct, s]) => [ct, { schema: schema(s, 'input') }])) } }
        : {}),
      responses,
    }
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Negentropy API', version, description: 'Audience analytics and marketing automation for a baijiu sales channel.' },
    servers: [{ url: '/' }],
    paths,
  }
}
