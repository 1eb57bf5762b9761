import type { PolicyDocument } from '../model/snapshot.js';
import { MAX_JSON_DEPTH, tooDeepAt } from '../input-text.js';

/**
 * AWS returns policy documents URL-encoded almost everywhere, moto sometimes returns raw JSON,
 * and the AWS CLI decodes some of them into objects. Accept all three; a document that is none
 * of them is an error the caller turns into an input error or a gap. Messages never quote the
 * document.
 */
export function decodePolicyDocument(raw: unknown): PolicyDocument {
  if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) return raw as PolicyDocument;
  if (typeof raw !== 'string')
    throw new TypeError(`policy document is ${raw === null ? 'null' : typeof raw}, not JSON text`);
  let text = raw;
  if (!raw.trimStart().startsWith('{')) {
    try {
      text = decodeURIComponent(raw.replace(/\+/g, '%20'));
    } catch {
      throw new TypeError('policy document is neither JSON nor URL-encoded JSON');
    }
  }
  if (tooDeepAt(text) !== null) throw new TypeError(`policy document nests deeper than ${MAX_JSON_DEPTH} levels`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new TypeError('policy document is not valid JSON');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new TypeError('policy document is not a JSON object');
  }
  return parsed as PolicyDocument;
}
