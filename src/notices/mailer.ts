import type { DataSource } from 'typeorm';
import { createTransport, type Transporter } from 'nodemailer';
import { OutboxMessageEntity, writeRetrying } from '../db/index.js';
import type { Logger } from '../log/index.js';

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

/** Sends a mail, or keeps it: every message is recorded in the outbox table either way. */
export interface Mailer {
  send(mail: Mail): Promise<void>;
  close(): void;
}

/**
 * SMTP via nodemailer when SMTP_URL is set; otherwise the message is only logged (without
 * its body) and kept in the outbox table, where an operator or a test can read it.
 */
export function createMailer(options: { dataSource: DataSource; logger: Logger; smtpUrl?: string; from: string }): Mailer {
  const transport: Transporter | undefined = options.smtpUrl ? createTransport(options.smtpUrl) : undefined;
  const outbox = options.dataSource.getRepository(OutboxMessageEntity);

  return {
    async send(mail) {
      let sentAt: Date | null = null;
      if (transport) {
        await transport.sendMail({ from: options.from, to: mail.to, subject: mail.subject, text: mail.text });
        sentAt = new Date();
      }
      await writeRetrying(options.dataSource, () =>
        outbox.insert({ createdAt: new Date(), recipient: mail.to, subject: mail.subject, body: mail.text, sentAt }),
      );
      options.logger.info(
        { to: mail.to, subject: mail.subject, delivered: Boolean(transport) },
        transport ? 'mail sent' : 'mail kept in outbox',
      );
    },
    close() {
      transport?.close();
    },
  };
}
