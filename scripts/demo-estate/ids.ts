/** Deterministic helpers: AWS-shaped ids, seeded randomness, JSON as the AWS CLI writes it. */
import { createHash } from 'node:crypto';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** An AWS-shaped unique id (AIDA..., AROA..., AKIA...) derived from a stable seed. */
export function awsId(prefix: string, seed: string, length = 17): string {
  const digest = createHash('sha256').update(seed).digest();
  let id = '';
  for (let i = 0; i < length; i++) id += BASE32[(digest[i] ?? 0) % 32];
  return prefix + id;
}

export function accessKeyIdOf(account: string, user: string, slot: number): string {
  return awsId('AKIA', `${account}/${user}/key${slot}`, 16);
}

/** The form AWS CLI v2 prints (and the one CLI v1 output is normalised to). */
export function isoSeconds(value: string | Date): string {
  const date = typeof value === 'string' ? new Date(value) : value;
  return date.toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function json(value: unknown): string {
  return `${JSON.stringify(value, null, 4)}\n`;
}

export type Json = Record<string, unknown>;
export const asRecord = (value: unknown): Json => (value !== null && typeof value === 'object' ? (value as Json) : {});
export const asArray = (value: unknown): Json[] => (Array.isArray(value) ? value.map(asRecord) : []);
export const byKey = (key: string) => (a: Json, b: Json) => String(a[key]).localeCompare(String(b[key]));
export const tagList = (tags: Record<string, string> | undefined) =>
  Object.entries(tags ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([Key, Value]) => ({ Key, Value }));
