/** A wrong command line: printed with a hint, exit code 64 (EX_USAGE). */
export class UsageError extends Error {
  readonly exitCode = 64;
}

/** The person stopped the command at a prompt (Ctrl-C): exit code 130, as for SIGINT. */
export class CancelledError extends Error {
  readonly exitCode = 130;
}

export const HELP = `tollbooth — OAuth 2.0 authorization server for platform tokens

Usage: tollbooth <command> [options]

Commands:
  migrate                          apply pending database migrations
  serve [--demo] [--migrate]       start the HTTP server
                                   --migrate  apply pending migrations first
                                   --demo     also seed the demo organization and user (implies --migrate)
  user create --email E --org SLUG [--role R] [--password-stdin]
                                   create a user (and the organization when missing), asking
                                   for the password; R is viewer, member, manager, admin or
                                   owner (default member)
  member remove --org SLUG --email E
                                   remove a user from an organization; their tokens there are
                                   deleted and the JWTs issued from them revoked
  member role --org SLUG --email E --role R
                                   change a member's role; lowering it revokes the JWTs of
                                   their tokens above R
  keys rotate                      promote the next signing key, retire the active one, create a new next
  keys list                        show the signing keys and their states
  notices run                      send due token-expiry notices once
  mcp                              serve the token tools to a local AI agent over stdio
                                   (TOLLBOOTH_URL, TOLLBOOTH_TOKEN; see 'tollbooth mcp --help')

Configuration comes from environment variables; see the README (DATABASE_URL, PORT,
PUBLIC_URL, KEY_ENCRYPTION_KEY, LOG_LEVEL, ...). Without DATABASE_URL an embedded
SQLite database under ./data is used.

Run 'tollbooth <command> --help' for a command's options.`;
