import type { When } from '../model/snapshot.js';
import { whenAt } from '../model/when.js';

/**
 * A time from AWS, as a Date (SDK) or an ISO string (CLI, which prints microseconds). The SDK
 * rounds fractional seconds to the nearest millisecond while `new Date()` truncates them; rounding
 * strings the same way is what lets a live scan and a scan of CLI files agree to the millisecond.
 * Throws RangeError for text that is not a date.
 */
export function whenFromAws(value: Date | string): When {
  if (value instanceof Date) return whenAt(value);
  const match = /^(.*?\d{2}:\d{2}:\d{2})\.(\d+)(.*)$/.exec(value.trim());
  if (match === null) return whenAt(value);
  const [, head = '', fraction = '0', zone = ''] = match;
  const base = new Date(`${head}${zone === '' ? 'Z' : zone}`);
  if (Number.isNaN(base.getTime())) throw new RangeError(`not a date: ${value}`);
  return whenAt(new Date(base.getTime() + Math.round(Number(`0.${fraction}`) * 1000)));
}
