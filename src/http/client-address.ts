import { isIP } from 'node:net';
import type { Context } from 'koa';

/**
 * Koa's options for a server behind `hops` trusted proxies. With `maxIpsCount`, Koa keeps only
 * the rightmost `hops` entries of `X-Forwarded-For`, so `ctx.ip` is the address the outermost
 * trusted proxy appended; anything further left was written by the client and is dropped.
 * Without trusted proxies the header is ignored and the socket's peer is the client.
 */
export function proxyOptions(hops: number): { proxy: boolean; maxIpsCount: number } {
  return { proxy: hops > 0, maxIpsCount: hops };
}

/** `203.0.113.7:5123` and `[2001:db8::1]:5123` (some proxies append a port) → the address alone. */
function withoutPort(entry: string): string {
  const bracketed = /^\[([0-9A-Fa-f:.]+)\](?::\d+)?$/.exec(entry);
  if (bracketed) return bracketed[1]!;
  const ipv4WithPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(entry);
  return ipv4WithPort ? ipv4WithPort[1]! : entry;
}

/**
 * The one client address of a request, for per-IP limits, audit events, `last_used_ip` and
 * network rules: the socket's peer, or behind trusted proxies the address the outermost one
 * appended (see `proxyOptions`). IPv4-mapped IPv6 (`::ffff:203.0.113.7`) becomes plain IPv4.
 * A proxy entry that is no address at all falls back to the socket's peer.
 */
export function clientAddress(ctx: Pick<Context, 'ip' | 'socket'>): string {
  const candidate = withoutPort(ctx.ip.trim());
  const address = isIP(candidate) ? candidate : (ctx.socket.remoteAddress ?? '');
  return address.toLowerCase().startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}
