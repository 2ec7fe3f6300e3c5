import { describe, expect, it } from 'vitest'
import { ConfigError, parseConfig } from './config.js'

describe('parseConfig', () => {
  it('has safe defaults: embedded engine under ./data, loopback, port 8080, demo on', () => {
    const c = parseConfig({})
    expect(c).toMatchObject({ PORT: 8080, HOST: '127.0.0.1', DEMO: '1', CLICKHOUSE_DATABASE: 'negentropy' })
    expect(c.CLICKHOUSE_URL).toBeUndefined()
    expect(c.DATA_DIR.endsWith('/data')).toBe(true)
  })

  it.each([
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['CLICKHOUSE_URL', 'not a url'],
    ['DEMO', 'yes'],
    ['CLICKHOUSE_DATABASE', 'drop table;'],
  ])('stops on a bad %s naming the variable', (key, value) => {
    expect(() => parseConfig({ [key]: value })).toThrow(ConfigError)
    expect(() => parseConfig({ [key]: value })).toThrow(new RegExp(`${key}=`))
  })

  it('treats empty values as unset', () => {
    expect(parseConfig({ PORT: '' }).PORT).toBe(8080)
  })
})
