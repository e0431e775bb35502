import { describe, expect, it } from 'vitest';
import { InvalidRequest } from '../../src/errors/index.js';
import { describeNetworkOfUse, networkOfUse, networksAllow, normaliseNetwork, parseAllowedNetworks } from '../../src/tokens/index.js';

describe('allowed networks', () => {
  describe('reading one network', () => {
    it.each([
      ['an IPv4 CIDR', '203.0.113.0/24', '203.0.113.0/24'],
      ['an IPv4 CIDR with host bits, cleared', '203.0.113.77/24', '203.0.113.0/24'],
      ['a bare IPv4 address, as that one address', '198.51.100.7', '198.51.100.7/32'],
      ['every IPv4 address', '0.0.0.0/0', '0.0.0.0/0'],
      ['an IPv6 CIDR, compressed and lower-cased', '2001:0DB8:0000:0000:0000:0000:0000:0000/32', '2001:db8::/32'],
      ['an IPv6 CIDR with host bits, cleared', '2001:db8:1:2:3::9/48', '2001:db8:1::/48'],
      ['a bare IPv6 address', '2001:db8::1', '2001:db8::1/128'],
      ['every IPv6 address', '::/0', '::/0'],
      ['an IPv4-mapped IPv6 network, as the IPv4 network it is', '::ffff:10.1.0.0/112', '10.1.0.0/16'],
      ['surrounding spaces', '  10.0.0.0/8 ', '10.0.0.0/8'],
    ])('takes %s', (_case, entry, canonical) => {
      expect(normaliseNetwork(entry)).toBe(canonical);
    });

    it.each([
      ['an IPv4 prefix over 32', '10.0.0.0/33'],
      ['an IPv6 prefix over 128', '2001:db8::/129'],
      ['a negative prefix', '10.0.0.0/-1'],
      ['an empty prefix', '10.0.0.0/'],
      ['a prefix with a leading zero', '10.0.0.0/08'],
      ['a prefix that is no number', '10.0.0.0/eight'],
      ['two prefixes', '10.0.0.0/8/16'],
      ['an octet over 255', '10.0.0.256/32'],
      ['leading zeros (octal to some parsers)', '010.0.0.1/32'],
      ['hexadecimal parts', '0x7f.0.0.1/32'],
      ['three parts', '10.0.1/24'],
      ['an IPv6 zone', 'fe80::1%eth0/64'],
      ['a host name', 'example.com/24'],
      ['nothing', ''],
    ])('refuses %s', (_case, entry) => {
      expect(normaliseNetwork(entry)).toBeNull();
    });
  });

  describe('a list', () => {
    it('keeps the order given, without repeats, in canonical form', () => {
      expect(parseAllowedNetworks(['10.0.0.0/8', '2001:DB8::/32', '10.9.9.9/8', '192.0.2.1'])).toEqual([
        '10.0.0.0/8',
        '2001:db8::/32',
        '192.0.2.1/32',
      ]);
    });

    it('is empty (anywhere) when absent', () => {
      expect(parseAllowedNetworks(undefined)).toEqual([]);
    });

    it('names the first bad entry and where it is', () => {
      expect(() => parseAllowedNetworks(['10.0.0.0/8', '300.0.0.0/8'])).toThrow(InvalidRequest);
      expect(() => parseAllowedNetworks(['10.0.0.0/8', '300.0.0.0/8'])).toThrow(
        /^allowed_ips\.1: "300\.0\.0\.0\/8" is not an IPv4 or IPv6 network/,
      );
    });

    it('takes 20 networks and refuses 21', () => {
      const networks = Array.from({ length: 21 }, (_, index) => `10.${index}.0.0/16`);
      expect(parseAllowedNetworks(networks.slice(0, 20))).toHaveLength(20);
      expect(() => parseAllowedNetworks(networks)).toThrow(/^allowed_ips: /);
    });
  });

  describe('the rule', () => {
    it.each<[string, string[], string | undefined, boolean]>([
      ['no networks: anywhere', [], '198.51.100.7', true],
      ['no networks, no address', [], undefined, true],
      ['inside an IPv4 network', ['198.51.100.0/24'], '198.51.100.7', true],
      ['outside it', ['198.51.100.0/24'], '198.51.101.7', false],
      ['inside the second of two', ['10.0.0.0/8', '198.51.100.0/24'], '198.51.100.7', true],
      ['an IPv4-mapped client address, as IPv4', ['127.0.0.1/32'], '::ffff:127.0.0.1', true],
      ['another loopback address', ['127.0.0.1/32'], '127.0.0.2', false],
      ['inside an IPv6 network', ['2001:db8::/32'], '2001:db8:5::1', true],
      ['an IPv4 client and only IPv6 networks', ['::/0'], '198.51.100.7', false],
      ['an IPv6 client and only IPv4 networks', ['0.0.0.0/0'], '2001:db8::1', false],
      ['an address that cannot be read', ['0.0.0.0/0'], 'not-an-address', false],
      ['no address at all', ['0.0.0.0/0'], undefined, false],
    ])('%s', (_case, networks, address, allowed) => {
      expect(networksAllow(networks, address)).toBe(allowed);
    });
  });

  describe('the network of a use', () => {
    it.each<[string, string | undefined, string | null, string | null]>([
      ['an IPv4 address: its /24', '203.0.113.77', '203.0.113', '203.0.113.0/24'],
      ['an IPv4-mapped IPv6 address: the IPv4 /24', '::ffff:203.0.113.77', '203.0.113', '203.0.113.0/24'],
      ['an IPv6 address: its /48', '2001:db8:42:7::1', '2001:db8:42', '2001:db8:42::/48'],
      ['an IPv6 address with zero groups', '2001:db8::1', '2001:db8:0', '2001:db8:0::/48'],
      ['no address', undefined, null, null],
      ['an unreadable one', 'somewhere', null, null],
    ])('%s', (_case, address, key, described) => {
      expect(networkOfUse(address)).toBe(key);
      if (key !== null) expect(describeNetworkOfUse(key)).toBe(described);
    });
  });
});
