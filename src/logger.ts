import pino from 'pino';

export type Logger = pino.Logger;

/**
 * JSON lines on stdout (one object per event, easy to ship to any log store). Keys and passwords are
 * redacted wherever they appear under these paths, so a careless `log.info({ req })` cannot leak one.
 */
export function createLogger(level: string, name = 'media-graph'): Logger {
  return pino({
    name,
    level,
    base: { name },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: ['password', '*.password', 'headers.authorization', '*.headers.authorization', 'databaseUrl', '*.databaseUrl'],
      censor: '[redacted]',
    },
  });
}
