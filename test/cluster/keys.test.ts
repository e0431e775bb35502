import { decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import { openDataSource, SigningKeyEntity } from '../../src/db/index.js';
import { rotateSigningKeys } from '../../src/keys/index.js';
import { createTokenThroughApi, loggedInClient } from '../support/api.js';
import { eventually } from '../support/eventually.js';
import { buildUser } from '../support/factories.js';
import { useGaleraDatabase } from '../support/fixture.js';
import { createGaleraDatabase, GALERA_NODE_URLS } from '../support/galera.js';
import { TestClient } from '../support/http.js';
import { rotateTestKeys, testKeyEncryptionKey } from '../support/keys.js';
import { exchangeToken } from '../support/oauth.js';
import { startTestInstance } from '../support/server.js';

const SHARED = { PUBLIC_URL: 'http://tollbooth.test', KEYS_REFRESH_SECONDS: '1' };

async function keyStates(dataSource: Parameters<typeof rotateSigningKeys>[0]): Promise<string[]> {
  const keys = await dataSource.getRepository(SigningKeyEntity).find();
  return keys.map((key) => key.state).sort();
}

describe.skipIf(GALERA_NODE_URLS.length < 3)('signing keys on a Galera cluster', () => {
  const cluster = useGaleraDatabase();

  it.each([1, 2])(
    'provisions one active and one next key when two instances start at once on two nodes of an empty database (round %i)',
    async () => {
      // A database of its own per round: the race happens only on an empty key table.
      const database = await createGaleraDatabase();
      try {
        const migrated = await openDataSource(
          { kind: 'mysql', url: database.urls[0]!, poolSize: 2, queryTimeoutMs: 5_000 },
          { migrate: true },
        );
        const instances = await Promise.all([
          startTestInstance({ databaseUrl: database.urls[0], env: SHARED }),
          startTestInstance({ databaseUrl: database.urls[1], env: SHARED }),
        ]);
        try {
          expect(await keyStates(migrated)).toEqual(['active', 'next']);
        } finally {
          await Promise.all(instances.map((instance) => instance.close()));
          await migrated.destroy();
        }
      } finally {
        await database.drop();
      }
    },
  );

  it('rotates through the third node, and instances on the other two sign with the new key within KEYS_REFRESH_SECONDS', async () => {
    const [first, second] = await Promise.all([cluster.startInstance(0, { env: SHARED }), cluster.startInstance(1, { env: SHARED })]);
    const owner = await buildUser(cluster.dataSource(0), { organization: 'rotation-org' });
    const token = await createTokenThroughApi(await loggedInClient(first, owner), 'rotation-org', { name: 'ci' });

    const rotated = await rotateTestKeys(cluster.dataSource(2));
    for (const server of [first, second]) {
      await eventually(
        async () => {
          const response = await exchangeToken(new TestClient(server.url), token.secret);
          return decodeProtectedHeader(response.body.access_token).kid === rotated.active.id ? true : undefined;
        },
        { what: `${server.url} to sign with the key promoted through the third node` },
      );
    }
  });

  it('leaves one active and one next key when rotations run at once through two nodes', async () => {
    const options = { algorithm: 'ES256' as const, keyEncryptionKey: testKeyEncryptionKey() };
    const results = await Promise.all([
      rotateSigningKeys(cluster.dataSource(0), options),
      rotateSigningKeys(cluster.dataSource(1), options),
    ]);
    expect(results.every((result) => result !== null)).toBe(true);
    const states = await keyStates(cluster.dataSource(2));
    expect(states.filter((state) => state !== 'retired')).toEqual(['active', 'next']);
  });

  it('rotates once when two instances find the active key due at the same moment on two nodes', async () => {
    const before = (await keyStates(cluster.dataSource(0))).length;
    // As maintainKeys asks: rotate if the active key was activated before this moment.
    const now = new Date();
    const options = { algorithm: 'ES256' as const, keyEncryptionKey: testKeyEncryptionKey(), now, onlyIfActiveBefore: now };
    const results = await Promise.all([
      rotateSigningKeys(cluster.dataSource(0), options),
      rotateSigningKeys(cluster.dataSource(1), options),
    ]);
    expect(results.filter((result) => result !== null)).toHaveLength(1);
    const states = await keyStates(cluster.dataSource(2));
    expect(states).toHaveLength(before + 1);
    expect(states.filter((state) => state !== 'retired')).toEqual(['active', 'next']);
  });
});
