import { describe, expect, it } from 'vitest';
import { findUsableTokenById, findUsableTokenBySecret } from '../../src/tokens/index.js';
import { buildToken, buildUser, defaultServices, disableToken, rollOwnToken, withWrongChecksum } from '../support/factories.js';
import { useServer, type FixtureDatabase } from '../support/fixture.js';

/**
 * The token read shared by concurrent callers: every batch size (they are padded to a power of
 * two and, on MySQL, run as prepared statements) must answer each caller with its own token,
 * and nothing for a key that is not usable.
 */
describe.each<FixtureDatabase>(['mysql', 'sqlite'])('the batched token read, on %s', (database) => {
  const fixture = useServer({ database });
  const services = defaultServices();

  it('answers each of 1 to 9 concurrent callers by secret and by id with their own token', async () => {
    const owner = await buildUser(fixture.dataSource, { organization: `batch-${database}` });
    const tokens = [];
    for (let index = 0; index < 9; index += 1) tokens.push(await buildToken(fixture.dataSource, owner, { name: `batch ${index}` }));
    for (let size = 1; size <= tokens.length; size += 1) {
      const some = tokens.slice(0, size);
      const bySecret = await Promise.all(some.map((token) => findUsableTokenBySecret(fixture.dataSource, services, token.secret)));
      expect(bySecret.map((found) => found?.id)).toEqual(some.map((token) => token.id));
      const byId = await Promise.all(some.map((token) => findUsableTokenById(fixture.dataSource, services, token.id, token.secret)));
      expect(byId.map((found) => found?.id)).toEqual(some.map((token) => token.id));
    }
  });

  it('refuses, within the same batch, a disabled token, a wrong secret and a bad checksum, and finds a rolled token by both secrets', async () => {
    const owner = await buildUser(fixture.dataSource, { organization: `batch-mixed-${database}` });
    const [live, disabled, rolled, other] = [
      await buildToken(fixture.dataSource, owner),
      await buildToken(fixture.dataSource, owner),
      await buildToken(fixture.dataSource, owner),
      await buildToken(fixture.dataSource, owner),
    ];
    await disableToken(fixture.dataSource, owner, disabled.id);
    const newSecret = await rollOwnToken(fixture.dataSource, owner, rolled.id, { graceSeconds: 600 });
    const answers = await Promise.all([
      findUsableTokenBySecret(fixture.dataSource, services, live.secret),
      findUsableTokenBySecret(fixture.dataSource, services, disabled.secret),
      findUsableTokenBySecret(fixture.dataSource, services, rolled.secret),
      findUsableTokenBySecret(fixture.dataSource, services, newSecret),
      findUsableTokenBySecret(fixture.dataSource, services, withWrongChecksum(other.secret)),
      findUsableTokenById(fixture.dataSource, services, other.id, live.secret),
      findUsableTokenById(fixture.dataSource, services, other.id, other.secret),
    ]);
    expect(answers.map((found) => (found ? `${found.id} ${found.presented}` : null))).toEqual([
      `${live.id} current`,
      null,
      `${rolled.id} previous`,
      `${rolled.id} current`,
      null,
      null,
      `${other.id} current`,
    ]);
  });
});
