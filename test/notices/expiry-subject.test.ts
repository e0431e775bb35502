import { describe, expect, it } from 'vitest';
import { describeExpiry, expiryNoticeSubject } from '../../src/notices/index.js';

const now = new Date('2026-12-01T09:30:00Z');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describe('the time left in an expiry notice', () => {
  it.each([
    [6 * DAY, 'in 6 days, on 7 Dec 2026'],
    [3 * DAY, 'in 3 days, on 4 Dec 2026'],
    [20 * HOUR, 'in 20 hours, on 2 Dec 2026 at 05:30 UTC'],
    [30 * MINUTE, 'in 30 minutes, on 1 Dec 2026 at 10:00 UTC'],
    [6 * DAY + 23 * HOUR, 'in 7 days, on 8 Dec 2026'],
    [2 * DAY, 'in 2 days, on 3 Dec 2026'],
    [47 * HOUR, 'in 47 hours, on 3 Dec 2026 at 08:30 UTC'],
    [2 * HOUR, 'in 2 hours, on 1 Dec 2026 at 11:30 UTC'],
    [90 * MINUTE, 'in 90 minutes, on 1 Dec 2026 at 11:00 UTC'],
    [1 * MINUTE, 'in 1 minute, on 1 Dec 2026 at 09:31 UTC'],
    [10 * 1000, 'in 1 minute, on 1 Dec 2026 at 09:30 UTC'],
  ])('says %i ms as "%s"', (left, said) => {
    expect(describeExpiry(new Date(now.getTime() + left), now)).toBe(said);
  });

  it('puts it in the subject with the token’s name', () => {
    expect(expiryNoticeSubject('week', new Date(now.getTime() + 3 * DAY), now)).toBe(
      'Your Tollbooth token "week" expires in 3 days, on 4 Dec 2026',
    );
  });
});
