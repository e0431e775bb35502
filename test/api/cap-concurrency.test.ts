import { describe, expect, it } from 'vitest';
import { loggedInClient, tokensPath } from '../support/api.js';
import { buildUser } from '../support/factories.js';
import { useServer } from '../support/fixture.js';

describe('the 20-token cap under concurrency (MySQL)', () => {
  const fixture = useServer();

  it('ends 30 parallel creates with exactly 20 tokens; the other 10 get token_limit_reached', async () => {
    const user = await buildUser(fixture.dataSource, { organization: 'race-org' });
    const client = await loggedInClient(fixture, user);
    const responses = await Promise.all(
      Array.from({ length: 30 }, (_, index) => client.post(tokensPath('race-org'), { name: `parallel ${index}`, service: 'strings' })),
    );
    const statuses = responses.map((response) => response.status).sort();
    expect(statuses.filter((status) => status === 201)).toHaveLength(20);
    expect(statuses.filter((status) => status === 409)).toHaveLength(10);
    for (const refused of responses.filter((response) => response.status === 409)) {
      expect(refused.body).toMatchObject({ code: 'token_limit_reached', limit: 20 });
    }
    const [{ live }] = await fixture.dataSource.query(
      'SELECT COUNT(*) AS live FROM platform_tokens WHERE user_id = ? AND deleted_at IS NULL',
      [user.id],
    );
    expect(Number(live)).toBe(20);
    expect((await client.get(tokensPath('race-org'))).body.count).toBe(20);
  });
});
