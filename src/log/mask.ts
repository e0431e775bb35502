/**
 * Credentials that may reach free text by mistake: a platform token (`tbp_` + 38 base62
 * characters) and a JWT (three base64url parts, the first two JSON objects, so `eyJ…`). A
 * longer run of base62 after a token is masked with it: a token is still a token with a tail.
 */
const CREDENTIAL_PATTERN = /tbp_[0-9A-Za-z]{38}[0-9A-Za-z]*|eyJ[\w-]{4,}\.eyJ[\w-]{4,}\.[\w-]*/g;
/** Characters kept in front of the marker: a token's display prefix (`tbp_` + 6), or a JWT's header start. */
const KEPT_LENGTH = 10;
const MARKER = '…[redacted]';
/** Percent-decoding stops after this many rounds: enough for any double or triple encoding. */
const DECODE_ROUNDS = 3;

/**
 * The one masking rule for free text that is logged or stored: every platform token and JWT
 * inside `text` is cut to its first 10 characters and a marker. Tokens are shown by that
 * prefix everywhere else, so a masked one can still be recognised.
 *
 * @example maskSecrets('curl/8 tbp_AbCdEf…') // 'curl/8 tbp_AbCdEf…[redacted]'
 */
export function maskSecrets(text: string): string {
  return text.replace(CREDENTIAL_PATTERN, (credential) => `${credential.slice(0, KEPT_LENGTH)}${MARKER}`);
}

function decodeOnce(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    // A stray `%` somewhere: decode what can be, leave the rest.
    return text.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
      try {
        return decodeURIComponent(run);
      } catch {
        return run;
      }
    });
  }
}

/**
 * A request path (or URL) as it may be logged: itself when no credential hides in it, even
 * percent-encoded (`/api/orgs/%74bp_…`); otherwise the decoded path with the credential masked.
 */
export function maskPath(path: string): string {
  let decoded = path;
  for (let round = 0; round < DECODE_ROUNDS && decoded.includes('%'); round += 1) {
    const next = decodeOnce(decoded);
    if (next === decoded) break;
    decoded = next;
  }
  const masked = maskSecrets(decoded);
  return masked === decoded ? maskSecrets(path) : masked;
}
