import { describe, expect, it } from 'vitest';
import { removeMember } from '../../src/members/index.js';
import { loggedInClient } from '../support/api.js';
import { buildToken, buildUser, changeRoleAsOperator } from '../support/factories.js';
import { browserSuite, logIn, tokenRow } from './browser.js';

describe('the Access tokens tab after a membership change', () => {
  const suite = browserSuite();

  it('says in the Deleted view who removed a token’s owner — an admin, or an operator at the command line — and why', async () => {
    const { dataSource } = suite.server;
    const organization = 'left-members';
    const admin = await buildUser(dataSource, { organization, role: 'admin' });
    const byAdmin = await buildUser(dataSource, { organization });
    const byOperator = await buildUser(dataSource, { organization });
    await buildToken(dataSource, byAdmin, { name: 'Removed by an admin' });
    await buildToken(dataSource, byOperator, { name: 'Removed by an operator' });
    const asAdmin = await loggedInClient(suite.server, admin);
    expect((await asAdmin.delete(`/api/orgs/${organization}/members/${byAdmin.id}`)).status).toBe(200);
    // What `tollbooth member remove` does: no person of the organization acts.
    await removeMember(dataSource, {
      organizationId: byOperator.organizationId,
      userId: byOperator.id,
      changer: null,
      audit: { actorUserId: null, ip: null, userAgent: null, via: 'cli' },
    });

    const current = await suite.session();
    const { page } = current;
    await logIn(current, admin, `?org=${organization}&status=deleted&owner=all`);
    await expect
      .poll(() => page.locator('#tokens-body .token-name').allTextContents())
      .toEqual(expect.arrayContaining(['Removed by an admin', 'Removed by an operator']));

    const adminRow = tokenRow(page, 'Removed by an admin').locator('td.col-deletion');
    expect(await adminRow.locator('.row-deleted-by').textContent()).toBe(`by ${admin.email}`);
    expect(await adminRow.locator('.row-deletion-reason').textContent()).toBe('Why: Owner removed from the organization');
    const operatorRow = tokenRow(page, 'Removed by an operator').locator('td.col-deletion');
    expect(await operatorRow.locator('.row-deleted-by').textContent()).toBe('by an operator at the command line');
    expect(await operatorRow.locator('.row-deletion-reason').textContent()).toBe('Why: Owner removed from the organization');
  });

  it('marks a token above its owner’s lowered role Suspended, with the reason, and the others not', async () => {
    const { dataSource } = suite.server;
    const organization = 'lowered-members';
    const member = await buildUser(dataSource, { organization, role: 'manager' });
    await buildToken(dataSource, member, { name: 'Manager CI', role: 'manager' });
    await buildToken(dataSource, member, { name: 'Viewer CI', role: 'viewer' });
    await changeRoleAsOperator(dataSource, member, 'viewer');

    const current = await suite.session();
    const { page } = current;
    await logIn(current, member, `?org=${organization}`);
    const status = (name: string) => tokenRow(page, name).locator('td.col-status');
    await expect.poll(() => status('Manager CI').locator('.badge').allTextContents()).toEqual(['Active', 'Suspended']);
    expect(await status('Manager CI').locator('.row-suspended').textContent()).toBe(
      'Its role (manager) is above your role (now viewer): refused until the role is given back',
    );
    expect(await status('Viewer CI').locator('.badge').allTextContents()).toEqual(['Active']);
    expect(await status('Viewer CI').locator('.row-suspended').count()).toBe(0);
  });
});
