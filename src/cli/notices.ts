import type { Config } from '../config/index.js';
import { createMailer, runExpiryNotices } from '../notices/index.js';
import { commandRuntime } from './environment.js';

export const NOTICES_HELP = `Usage: tollbooth notices run

Finds tokens expiring within 7 days or within 1 day and sends each owner's notice once
(SMTP when SMTP_URL is set, otherwise kept in the outbox table). Safe to run while servers
run the same job: each notice is claimed through the database.`;

export async function noticesRunCommand(config: Config): Promise<void> {
  const runtime = await commandRuntime(config, { migrate: false });
  const mailer = createMailer({ dataSource: runtime.dataSource, logger: runtime.logger, smtpUrl: config.smtpUrl, from: config.mailFrom });
  try {
    const result = await runExpiryNotices(runtime.dataSource, mailer, runtime.logger, new Date(), config.publicUrl);
    console.log(`Sent ${result.sent} expiry notice(s)${result.failed ? `, ${result.failed} failed (will retry)` : ''}.`);
    if (result.failed > 0) process.exitCode = 1;
  } finally {
    mailer.close();
    await runtime.close();
  }
}
