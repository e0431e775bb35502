import { z } from 'zod';
import { maskSecrets } from '../log/index.js';

/** A token lives 730 days: expires_at = created_at + 730 days, fixed at creation. */
export const TOKEN_LIFETIME_DAYS = 730;
/** At most 20 live (not deleted, not expired) tokens per user, across organizations. */
export const TOKEN_CAP = 20;
export const NAME_MAX_LENGTH = 100;
export const DESCRIPTION_MAX_LENGTH = 500;

/** How long a rolled token's previous secret keeps working, unless the roll says otherwise. */
export const ROLL_GRACE_DEFAULT_SECONDS = 3600;
/** The longest grace period a roll may give the previous secret: one day. */
export const ROLL_GRACE_MAX_SECONDS = 86_400;

const DAY_MS = 24 * 60 * 60 * 1000;

export function expiryFor(createdAt: Date): Date {
  return new Date(createdAt.getTime() + TOKEN_LIFETIME_DAYS * DAY_MS);
}

/**
 * Not printable: control characters (C0, DEL, C1), lone surrogates, line and paragraph
 * separators, and invisible format characters such as zero-width spaces and the
 * bidirectional overrides that make a name display differently from what it is ("Trojan
 * Source", CVE-2021-42574). The joiners some scripts and emoji need (ZWNJ, ZWJ, emoji tags)
 * stay allowed.
 */
const INVISIBLE = /(?![\u200C\u200D\u{E0020}-\u{E007F}])\p{Cf}|[\p{Cs}\p{Zl}\p{Zp}]/u;
const NON_PRINTABLE = new RegExp(`${INVISIBLE.source}|\\p{Cc}`, 'u');
/** Descriptions may span lines and use tabs; nothing else unprintable. */
const NON_PRINTABLE_EXCEPT_LINES = new RegExp(`${INVISIBLE.source}|(?![\\n\\t])\\p{Cc}`, 'u');
/** Something a person can see: not only spaces and joiners. */
const VISIBLE = /[^\p{White_Space}\u200C\u200D]/u;

/** Length in characters (code points), which is how MySQL's varchar counts. */
function characters(text: string): number {
  return [...text].length;
}

/**
 * A token name: trimmed, 1–100 printable characters. A platform token or JWT pasted into it
 * by mistake is stored masked, as in every free text Tollbooth keeps.
 */
export const tokenNameSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .refine((name) => characters(name) <= NAME_MAX_LENGTH, `must be at most ${NAME_MAX_LENGTH} characters`)
  .refine((name) => !NON_PRINTABLE.test(name), 'must contain only printable characters')
  .refine((name) => VISIBLE.test(name), 'must contain a visible character')
  .transform(maskSecrets);

/** A token description: trimmed, up to 500 characters, may span lines; credentials in it are masked like a name's. */
export const tokenDescriptionSchema = z
  .string()
  .trim()
  .refine((text) => characters(text) <= DESCRIPTION_MAX_LENGTH, `must be at most ${DESCRIPTION_MAX_LENGTH} characters`)
  .refine((text) => !NON_PRINTABLE_EXCEPT_LINES.test(text.replace(/\r\n/g, '\n')), 'must contain only printable characters')
  .transform((text) => maskSecrets(text.replace(/\r\n/g, '\n')));
