// @ts-check
// How dates, counts and token prefixes read on the page. Locale comes from the browser.
import { settings } from './settings.js';

const DAY_MS = 24 * 60 * 60 * 1000;

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const relativeFormat = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

/** @param {string} iso */
export function formatDate(iso) {
  return dateFormat.format(new Date(iso));
}

/** @param {string} iso */
export function formatDateTime(iso) {
  return dateTimeFormat.format(new Date(iso));
}

/** @type {Array<[Intl.RelativeTimeFormatUnit, number]>} */
const UNITS = [
  ['year', 365 * DAY_MS],
  ['month', 30 * DAY_MS],
  ['week', 7 * DAY_MS],
  ['day', DAY_MS],
  ['hour', 60 * 60 * 1000],
  ['minute', 60 * 1000],
];

/**
 * "3 days ago", "in 2 hours", "just now".
 * @param {string} iso
 * @param {number} [now]
 */
export function relativeTime(iso, now = Date.now()) {
  const difference = new Date(iso).getTime() - now;
  for (const [unit, size] of UNITS) {
    if (Math.abs(difference) >= size) return relativeFormat.format(Math.round(difference / size), unit);
  }
  return 'just now';
}

/**
 * 'expired', 'soon' (from the first expiry notice on) or 'later'.
 * @param {string} expiresAt
 * @param {number} [now]
 * @returns {'expired' | 'soon' | 'later'}
 */
export function expiryState(expiresAt, now = Date.now()) {
  const left = new Date(expiresAt).getTime() - now;
  if (left <= 0) return 'expired';
  if (left <= settings.expiresSoonDays * DAY_MS) return 'soon';
  return 'later';
}

/**
 * The stored first 10 characters, marked as cut short: `tbp_AbC123…`.
 * @param {string} prefix
 */
export function maskedPrefix(prefix) {
  return `${prefix}…`;
}

/**
 * @param {number} count
 * @param {string} one
 * @param {string} many
 */
export function plural(count, one, many) {
  return `${count} ${count === 1 ? one : many}`;
}

/**
 * An API's field message as a sentence: "must not be empty" → "Must not be empty."
 * @param {unknown} message
 */
export function asSentence(message) {
  const text = String(message);
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}${/[.!?]$/.test(text) ? '' : '.'}`;
}

/**
 * The length the server limits, in characters (code points), not UTF-16 units.
 * @param {string} text
 */
export function characters(text) {
  return [...text].length;
}
