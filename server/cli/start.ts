/**
 * `npm start`: builds the web app if it is missing or stale, opens the database, applies
 * migrations, seeds the demo on first start (unless DEMO=0) and serves on HOST:PORT.
 */
import { ConfigError, parseConfig } from '../config.js'
import { setLogLevel } from '../log.js'
import { startServer } from '../main.js'

try {
  const config = parseConfig(process.env)
  setLogLevel(config.LOG_LEVEL)
  await startServer(config)
} catch (e) {
  if (e instanceof ConfigError) {
    process.stderr.write(`negentropy: ${e.message}\n`)
    process.exit(2)
  }
  throw e
}
