import type { DataSource } from 'typeorm';
import type { Logger } from '../log/index.js';
import { describeNetworkOfUse, forgetNetworkUse, networkOfUse, recordNetworkUse } from '../tokens/index.js';
import type { Mailer } from './mailer.js';
import { wantsNewNetworkAlerts } from './preferences.js';

/** What a successful exchange tells the alerts: the token, as its one read found it. */
export interface TokenUse {
  tokenId: string;
  /** The token's seen-network keys as read with it (oldest first). */
  seenNetworks: readonly string[];
  address: string | undefined;
  at: Date;
}

export interface NewNetworkAlerts {
  /** Never waits and never fails: a known network costs a lookup in memory, nothing more. */
  observe(use: TokenUse): void;
  /** Resolves when the alerts under way have finished (shutdown, tests). */
  settled(): Promise<void>;
}

interface AlertRow {
  user_id: string;
  name: string;
  prefix: string;
  email: string;
  slug: string;
}

/**
 * New-network alerts. Each successful exchange is checked in memory against the networks its
 * token was read with; only a network new to the token is recorded (one compare-and-set write,
 * exactly one instance wins) and, unless it is the token's very first network, mailed to the
 * owner (unless they turned new-network alerts off) with the token's name, the address, the
 * time and a link to the page. A mail that cannot
 * be sent takes the network back out, so the next use from it tries again.
 */
export function newNetworkAlerts(options: { dataSource: DataSource; mailer: Mailer; logger: Logger; publicUrl: string }): NewNetworkAlerts {
  const { dataSource, mailer, logger, publicUrl } = options;
  const underWay = new Map<string, Promise<void>>();

  /** The owner to mail about a token, or null when there is none or they turned these alerts off. */
  async function recipientOf(tokenId: string): Promise<AlertRow | null> {
    const [row]: AlertRow[] = await dataSource.query(
      `SELECT t.user_id, t.name, t.prefix, u.email, o.slug
         FROM platform_tokens t
         JOIN users u ON u.id = t.user_id
         JOIN organizations o ON o.id = t.organization_id
        WHERE t.id = ?`,
      [tokenId],
    );
    return row && (await wantsNewNetworkAlerts(dataSource, row.user_id)) ? row : null;
  }

  async function alert(use: TokenUse, network: string): Promise<void> {
    // The owner's choice as it was when the token was used, read before the network is
    // recorded: turning alerts back on a moment later must not send the alert they skipped.
    const recipient = recipientOf(use.tokenId);
    recipient.catch(() => undefined);
    const found = await recordNetworkUse(dataSource, use.tokenId, network, use.seenNetworks.join(' '));
    if (found !== 'new') return;
    // The network stays recorded either way, so an alert skipped while alerts are off never arrives later.
    const row = await recipient;
    if (!row) return;
    try {
      await mailer.send({
        to: row.email,
        subject: `Your Tollbooth token "${row.name}" was used from a new network`,
        text: [
          `Your platform token "${row.name}" (${row.prefix}…) in organization ${row.slug} was exchanged from a network it had not been used from before.`,
          '',
          `Address: ${use.address}`,
          `Network: ${describeNetworkOfUse(network)}`,
          `Time:    ${use.at.toISOString()}`,
          '',
          'If this was you or your CI, there is nothing to do. If not, delete the token, or limit the networks it may be used from:',
          `${publicUrl}/settings/profile/access-tokens`,
        ].join('\n'),
      });
    } catch (error) {
      await forgetNetworkUse(dataSource, use.tokenId, network);
      throw error;
    }
  }

  return {
    observe(use) {
      const network = networkOfUse(use.address);
      if (network === null || use.seenNetworks.includes(network)) return;
      const key = `${use.tokenId}|${network}`;
      if (underWay.has(key)) return;
      const running = alert(use, network)
        .catch((error: unknown) => logger.warn({ err: error, tokenId: use.tokenId }, 'new-network alert failed; the next use retries'))
        .finally(() => underWay.delete(key));
      underWay.set(key, running);
    },
    async settled() {
      while (underWay.size > 0) await Promise.all([...underWay.values()]);
    },
  };
}
