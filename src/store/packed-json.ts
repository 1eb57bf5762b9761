import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip, gunzipSync } from 'node:zlib';

/**
 * JSON as the store keeps large documents: gzipped and base64-encoded in a text column, about a
 * tenth of the JSON. A 100,000-user snapshot is some 80 MB of JSON, which DuckDB would otherwise
 * hold several times over in memory while it writes (bench/README.md). The text is compressed
 * piece by piece, so it is never one string on the way in.
 */
export async function packJson(pieces: Iterable<string>): Promise<string> {
  const packed: Buffer[] = [];
  await pipeline(Readable.from(pieces), createGzip(), async (source: AsyncIterable<Buffer>) => {
    for await (const chunk of source) packed.push(chunk);
  });
  return Buffer.concat(packed).toString('base64');
}

/** The JSON text of a packed document; text written as plain JSON (by earlier versions) is returned as it is. */
export function unpackJson(text: string): string {
  return text.startsWith('{') ? text : gunzipSync(Buffer.from(text, 'base64')).toString('utf8');
}
