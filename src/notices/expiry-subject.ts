const MINUTE_MS = 60 * 1000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** English month abbreviations, fixed here rather than taken from the ICU data the runtime happens to ship. */
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function plural(count: number, unit: string): string {
  return `${count} ${unit}${count === 1 ? '' : 's'}`;
}

/** `4 Dec 2026`, in UTC. */
function calendarDate(moment: Date): string {
  return `${moment.getUTCDate()} ${MONTHS[moment.getUTCMonth()]} ${moment.getUTCFullYear()}`;
}

/** `09:30 UTC`. */
function clockTime(moment: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${pad(moment.getUTCHours())}:${pad(moment.getUTCMinutes())} UTC`;
}

/**
 * When a token expires, as a person would say it, measured from `now`: whole days from two
 * days out (`in 3 days, on 4 Dec 2026`), hours below that and minutes below two hours, both
 * with the time of day (`in 20 hours, on 4 Dec 2026 at 09:30 UTC`). Rounded to the nearest
 * unit: the date that follows is exact.
 */
export function describeExpiry(expiresAt: Date, now: Date): string {
  const remaining = Math.max(0, expiresAt.getTime() - now.getTime());
  if (remaining >= 2 * DAY_MS) return `in ${plural(Math.round(remaining / DAY_MS), 'day')}, on ${calendarDate(expiresAt)}`;
  const when = `on ${calendarDate(expiresAt)} at ${clockTime(expiresAt)}`;
  if (remaining >= 2 * HOUR_MS) return `in ${plural(Math.round(remaining / HOUR_MS), 'hour')}, ${when}`;
  return `in ${plural(Math.max(1, Math.round(remaining / MINUTE_MS)), 'minute')}, ${when}`;
}

/**
 * The subject of an expiry notice about the token named `tokenName`: to its owner, or, with
 * `ownerEmail`, to an admin or owner of its organization.
 */
export function expiryNoticeSubject(tokenName: string, expiresAt: Date, now: Date, ownerEmail?: string): string {
  const whose = ownerEmail === undefined ? 'Your Tollbooth token' : `${ownerEmail}'s Tollbooth token`;
  return `${whose} "${tokenName}" expires ${describeExpiry(expiresAt, now)}`;
}
