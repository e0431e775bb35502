// How dates, counts and token prefixes read on the page. Locale comes from the browser.

const DAY_MS = 24 * 60 * 60 * 1000;
/** The owner is mailed 7 days before expiry; the page says "Expires soon" from then on. */
export const EXPIRES_SOON_DAYS = 7;

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const relativeFormat = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

export function formatDate(iso) {
  return dateFormat.format(new Date(iso));
}

export function formatDateTime(iso) {
  return dateTimeFormat.format(new Date(iso));
}

const UNITS = [
  ['year', 365 * DAY_MS],
  ['month', 30 * DAY_MS],
  ['week', 7 * DAY_MS],
  ['day', DAY_MS],
  ['hour', 60 * 60 * 1000],
  ['minute', 60 * 1000],
];

/** "3 days ago", "in 2 hours", "just now". */
export function relativeTime(iso, now = Date.now()) {
  const difference = new Date(iso).getTime() - now;
  for (const [unit, size] of UNITS) {
    if (Math.abs(difference) >= size) return relativeFormat.format(Math.round(difference / size), unit);
  }
  return 'just now';
}

/** 'expired', 'soon' (within 7 days) or 'later'. */
export function expiryState(expiresAt, now = Date.now()) {
  const left = new Date(expiresAt).getTime() - now;
  if (left <= 0) return 'expired';
  if (left <= EXPIRES_SOON_DAYS * DAY_MS) return 'soon';
  return 'later';
}

/** The stored first 10 characters, marked as cut short: `tbp_AbC123…`. */
export function maskedPrefix(prefix) {
  return `${prefix}…`;
}

export function plural(count, one, many) {
  return `${count} ${count === 1 ? one : many}`;
}

/** An API's field message as a sentence: "must not be empty" → "Must not be empty." */
export function asSentence(message) {
  const text = String(message);
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}${/[.!?]$/.test(text) ? '' : '.'}`;
}
