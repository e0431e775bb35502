import { runPeriodically, type Runtime } from '../runtime.js';
import { runExpiryNotices } from './expiry-notices.js';
import { createMailer } from './mailer.js';

/** How often each instance looks for due notices; claims make overlapping runs harmless. */
const INTERVAL_MS = 10 * 60 * 1000;

/** Starts the in-process expiry-notice job; stopped by the runtime's shutdown hooks. */
export function scheduleExpiryNotices(runtime: Runtime, intervalMs = INTERVAL_MS): void {
  const { dataSource, logger, config } = runtime;
  const mailer = createMailer({ dataSource, logger, smtpUrl: config.smtpUrl, from: config.mailFrom });
  // Closed after the job's timer (hooks run newest first), so a run in progress can still mail.
  runtime.onClose(() => mailer.close());
  runPeriodically(runtime, {
    firstAfterMs: 5_000,
    intervalMs,
    run: () =>
      runExpiryNotices(dataSource, mailer, logger, new Date(), config.publicUrl).then(
        (result) => {
          if (result.sent > 0 || result.failed > 0) logger.info(result, 'expiry notices run');
        },
        (error: unknown) => logger.warn({ err: error }, 'expiry notices run failed'),
      ),
  });
}
