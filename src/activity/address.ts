import { isIP } from 'node:net';
import type { AddressKind } from '../model/usage.js';

/**
 * Groups a CloudTrail `sourceIPAddress`. AWS's published IP ranges are not available offline,
 * so public addresses are grouped by /24 (IPv6 /48): enough to see "one office" versus "a CI
 * fleet", without pretending to know who owns the block.
 */
export function addressGroup(source: string | null): { kind: AddressKind; group: string } {
  if (source === null || source === '') return { kind: 'other', group: 'unknown' };
  const version = isIP(source);
  if (version === 4) {
    const parts = source.split('.').map(Number);
    const [a = 0, b = 0, c = 0] = parts;
    const private4 =
      a === 10 ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      a === 127 ||
      (a === 100 && b >= 64 && b <= 127) ||
      (a === 169 && b === 254);
    return private4 ? { kind: 'private', group: 'private' } : { kind: 'public', group: `${a}.${b}.${c}.0/24` };
  }
  if (version === 6) {
    const lower = source.toLowerCase();
    if (lower === '::1' || lower.startsWith('fc') || lower.startsWith('fd') || lower.startsWith('fe80'))
      return { kind: 'private', group: 'private' };
    const hextets = expandIpv6(lower).slice(0, 3).join(':');
    return { kind: 'public', group: `${hextets}::/48` };
  }
  if (/^[a-z0-9-]+(\.[a-z0-9-]+)*\.amazonaws\.com$/i.test(source) || source === 'AWS Internal') {
    return { kind: 'aws-service', group: source };
  }
  return { kind: 'other', group: source.length > 64 ? source.slice(0, 64) : source };
}

function expandIpv6(address: string): string[] {
  const [head = '', tail = ''] = address.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = address.includes('::') && tail !== '' ? tail.split(':') : [];
  const missing = 8 - left.length - right.length;
  return [...left, ...Array.from({ length: Math.max(0, missing) }, () => '0'), ...right];
}
