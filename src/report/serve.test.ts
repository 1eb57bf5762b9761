import { request } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { serveReport, type RunningServer } from './serve.js';

const PAGE = `<!doctype html><title>report</title><p>${'alice-ci '.repeat(1000)}</p>`;

let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function get(url: string, acceptEncoding?: string): Promise<{ headers: Record<string, unknown>; body: Buffer }> {
  return new Promise((resolvePromise, reject) => {
    const target = new URL(url);
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        path: `${target.pathname}${target.search}`,
        headers: acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding },
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolvePromise({ headers: res.headers, body: Buffer.concat(chunks) }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('serveReport', () => {
  it('Given a client that takes gzip, When it asks for the page twice, Then both answers are the page, gzipped', async () => {
    server = await serveReport({ port: 0, render: async () => PAGE, token: 'test-token' });
    for (let i = 0; i < 2; i += 1) {
      const reply = await get(server.url, 'gzip, deflate, br');
      expect(reply.headers['content-encoding']).toBe('gzip');
      expect(reply.body.length).toBeLessThan(Buffer.byteLength(PAGE));
      expect(gunzipSync(reply.body).toString('utf8')).toBe(PAGE);
    }
  });

  it('Given a client that takes no gzip (none listed, or q=0), When it asks for the page, Then it gets the plain page', async () => {
    server = await serveReport({ port: 0, render: async () => PAGE, token: 'test-token' });
    for (const acceptEncoding of [undefined, 'identity', 'gzip;q=0, identity']) {
      const reply = await get(server.url, acceptEncoding);
      expect(reply.headers['content-encoding']).toBeUndefined();
      expect(reply.body.toString('utf8')).toBe(PAGE);
    }
  });

  it('Given the page changes between requests, When asked again, Then the new page is sent, not the kept bytes', async () => {
    let page = PAGE;
    server = await serveReport({ port: 0, render: async () => page, token: 'test-token' });
    expect(gunzipSync((await get(server.url, 'gzip')).body).toString('utf8')).toBe(PAGE);
    page = `${PAGE}<p>bob</p>`;
    expect(gunzipSync((await get(server.url, 'gzip')).body).toString('utf8')).toBe(page);
    expect((await get(server.url)).body.toString('utf8')).toBe(page);
  });
});
