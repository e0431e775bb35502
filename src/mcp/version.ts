import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../config/index.js';

let version: string | undefined;

/** Tollbooth's version, as the MCP handshake and the stdio client's User-Agent report it. */
export function tollboothVersion(): string {
  version ??= (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
  return version;
}
