import type { PolicyDocument } from '../model/snapshot.js';

/**
 * AWS returns policy documents URL-encoded almost everywhere, moto sometimes returns raw JSON,
 * and the AWS CLI decodes some of them into objects. Accept all three; a document that is none
 * of them is an error the caller turns into an input error or a gap.
 */
export function decodePolicyDocument(raw: unknown): PolicyDocument {
  if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) return raw as PolicyDocument;
  if (typeof raw !== 'string')
    throw new TypeError(`policy document is ${raw === null ? 'null' : typeof raw}, not JSON text`);
  const text = raw.trimStart().startsWith('{') ? raw : decodeURIComponent(raw.replace(/\+/g, '%20'));
  const parsed: unknown = JSON.parse(text);
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new TypeError('policy document is not a JSON object');
  }
  return parsed as PolicyDocument;
}
