import ipaddr from 'ipaddr.js';
import { isIPv6 } from 'node:net';
import { z } from 'zod';
import { InvalidRequest } from '../errors/index.js';

/** A token may name at most this many networks it can be used from. */
export const ALLOWED_NETWORKS_MAX = 20;

type Address = ipaddr.IPv4 | ipaddr.IPv6;

/** Bits of an IPv4-mapped IPv6 address (`::ffff:0:0/96`) before the IPv4 part. */
const MAPPED_PREFIX = 96;

/**
 * One network, strictly: dotted-quad IPv4 without leading zeros or the octal/hex forms some
 * parsers accept, or IPv6 without a zone; a prefix within the address's bits. A bare address is
 * the network of that one address. Returns the network in its canonical form — host bits
 * cleared, IPv6 as RFC 5952 writes it, an IPv4-mapped IPv6 network as the IPv4 network it
 * is — or null when the entry is not a network.
 */
export function normaliseNetwork(entry: string): string | null {
  const [address = '', prefix, ...rest] = entry.trim().split('/');
  if (rest.length > 0 || (prefix !== undefined && !/^(0|[1-9]\d{0,2})$/.test(prefix))) return null;
  if (ipaddr.IPv4.isValidFourPartDecimal(address)) {
    const bits = prefix === undefined ? 32 : Number(prefix);
    return bits <= 32 ? `${ipaddr.IPv4.networkAddressFromCIDR(`${address}/${bits}`).toString()}/${bits}` : null;
  }
  if (!isIPv6(address) || address.includes('%')) return null;
  const bits = prefix === undefined ? 128 : Number(prefix);
  if (bits > 128) return null;
  const network = ipaddr.IPv6.networkAddressFromCIDR(`${address}/${bits}`);
  if (network.isIPv4MappedAddress() && bits >= MAPPED_PREFIX) return `${network.toIPv4Address().toString()}/${bits - MAPPED_PREFIX}`;
  return `${network.toRFC5952String()}/${bits}`;
}

/**
 * `allowed_ips` as a request gives it: up to 20 IPv4/IPv6 networks in CIDR notation (a bare
 * address means that one address). Each bad entry is an issue at its index, naming it; the
 * result is the canonical networks without repeats, in the order given. Empty means anywhere.
 */
export const allowedNetworksSchema = z
  .array(z.string().max(64))
  .max(ALLOWED_NETWORKS_MAX)
  .superRefine((entries, context) => {
    entries.forEach((entry, index) => {
      if (normaliseNetwork(entry) === null) {
        context.addIssue({
          code: 'custom',
          path: [index],
          message: `${JSON.stringify(entry)} is not an IPv4 or IPv6 network in CIDR notation (such as 203.0.113.0/24 or 2001:db8::/48)`,
        });
      }
    });
  })
  .transform((entries) => [...new Set(entries.map((entry) => normaliseNetwork(entry)!))]);

/**
 * The networks for a new token or a change, canonical; 400 `invalid_request` naming the first
 * bad entry (`allowed_ips.3: "10.0.0.0/33" is not …`) otherwise. Absent means none: anywhere.
 */
export function parseAllowedNetworks(entries: readonly string[] | undefined): string[] {
  const networks = allowedNetworksSchema.safeParse(entries ?? []);
  if (networks.success) return networks.data;
  const issue = networks.error.issues[0]!;
  throw new InvalidRequest(`${['allowed_ips', ...issue.path].join('.')}: ${issue.message}`);
}

/** The stored form: canonical networks separated by spaces; empty for anywhere. */
export function storedNetworks(networks: readonly string[]): string {
  return networks.join(' ');
}

export function networksOf(stored: string | null | undefined): string[] {
  return (stored ?? '').split(' ').filter(Boolean);
}

/** The address a request came from, IPv4-mapped IPv6 as plain IPv4; null when unreadable. */
function clientAddressOf(address: string | undefined): Address | null {
  if (!address || !ipaddr.isValid(address)) return null;
  return ipaddr.process(address);
}

/**
 * The network rule: a token with no networks may be used from anywhere; otherwise only from
 * an address inside one of them. An address that cannot be read is outside every network.
 */
export function networksAllow(networks: readonly string[], address: string | undefined): boolean {
  if (networks.length === 0) return true;
  const client = clientAddressOf(address);
  if (!client) return false;
  return networks.some((network) => {
    const [range, bits] = ipaddr.parseCIDR(network);
    return range.kind() === client.kind() && client.match(range, bits);
  });
}

/**
 * The network a use came from, as a compact key: the first three octets of an IPv4 address
 * (its /24, `203.0.113`) or the first three groups of an IPv6 address (its /48,
 * `2001:db8:42`). Null for an address that cannot be read.
 */
export function networkOfUse(address: string | undefined): string | null {
  const client = clientAddressOf(address);
  if (!client) return null;
  if (client.kind() === 'ipv4') return (client as ipaddr.IPv4).octets.slice(0, 3).join('.');
  return (client as ipaddr.IPv6).parts
    .slice(0, 3)
    .map((part) => part.toString(16))
    .join(':');
}

/** A network key as people read it: `203.0.113.0/24`, `2001:db8:42::/48`. */
export function describeNetworkOfUse(key: string): string {
  return key.includes(':') ? `${key}::/48` : `${key}.0/24`;
}
