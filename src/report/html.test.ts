import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { NEVER, whenAt } from '../model/when.js';
import { buildAccount, buildGap, buildKey, buildSnapshot, buildUser } from '../../test/fixtures/build-snapshot.js';
import { buildReportData, embedJson, escapeHtml, renderReport } from './html.js';
import { type PagePack, packReport, unpackReport } from './page-pack.js';

const NOW = new Date('2026-11-23T12:00:00Z');
const PAYLOAD = '</script><img src=x onerror=alert(1)><!--';

function hostileSnapshot() {
  return buildSnapshot(
    [
      buildAccount('111111111111', {
        alias: `<b>alias</b>`,
        users: [
          buildUser(PAYLOAD, {
            path: '/</script>/',
            tags: { owner: '<script>alert(2)</script>', line: 'a\u2028b' },
            password: {
              enabled: true,
              lastUsed: whenAt('2026-11-20T00:00:00Z'),
              lastChanged: NEVER,
              nextRotation: NEVER,
            },
            accessKeys: [buildKey({ lastRotated: whenAt('2024-11-23T12:00:00Z'), lastUsed: NEVER })],
          }),
          buildUser('quiet'),
        ],
      }),
    ],
    { gaps: [buildGap({ message: '<img src=x onerror=alert(3)>' })] },
  );
}

/** The data block as the page's script reads it: JSON, then unpacked. */
function embeddedData(html: string): unknown {
  const match = /<script type="application\/json" id="roleshift-data">([\s\S]*?)<\/script>/.exec(html);
  if (!match?.[1]) throw new Error('no data block');
  return unpackReport(JSON.parse(match[1]) as PagePack);
}

describe('embedJson', () => {
  it.each([
    ['</script>', '\\u003c/script\\u003e'],
    ['<!--', '\\u003c!--'],
    ['a&b', 'a\\u0026b'],
    ['\u2028\u2029', '\\u2028\\u2029'],
    // Every kind interleaved, first and last: the cuts must come back in the text's order.
    ['&<>\u2029a\u2028<&', '\\u0026\\u003c\\u003e\\u2029a\\u2028\\u003c\\u0026'],
  ])('Given %j, When embedded, Then it is escaped and parses back unchanged', (text, escaped) => {
    const embedded = embedJson({ text });
    expect(embedded).toContain(escaped);
    expect(embedded).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(embedded)).toEqual({ text });
  });
});

describe('escapeHtml', () => {
  it('Given markup, When escaped, Then no character can open a tag or end an attribute', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&#60;a href=&#34;x&#34; title=&#39;y&#39;&#62;&#38;&#60;/a&#62;',
    );
  });
});

describe('renderReport', () => {
  it('Given names, tags and gap messages holding markup, When rendered, Then none of it appears raw in the HTML', () => {
    const html = renderReport({ snapshot: hostileSnapshot(), now: NOW });
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<b>');
    expect(html.match(/<\/script>/g)).toHaveLength(2);
    expect(html).not.toContain('\u2028');
  });

  it('Given a hostile estate, When rendered, Then the embedded data parses back to exactly the report data', () => {
    const html = renderReport({ snapshot: hostileSnapshot(), now: NOW, toolVersion: '9.9.9' });
    expect(embeddedData(html)).toEqual(
      JSON.parse(JSON.stringify(buildReportData({ snapshot: hostileSnapshot(), now: NOW, toolVersion: '9.9.9' }))),
    );
  });

  it('Given a hostile estate, When rendered, Then its data block is byte for byte the escaped JSON of the packed report data', () => {
    const input = { snapshot: hostileSnapshot(), now: NOW, toolVersion: '9.9.9' };
    const block = /<script type="application\/json" id="roleshift-data">([\s\S]*?)<\/script>/.exec(renderReport(input));
    expect(block?.[1]).toBe(embedJson(packReport(buildReportData(input))));
    expect(block?.[1]).toContain('\\u003c/script\\u003e');
  });

  it('Given the page, When inspected, Then it loads nothing from anywhere and its CSP allows only its own script', () => {
    const html = renderReport({ snapshot: hostileSnapshot(), now: NOW });
    expect(html).not.toMatch(/\b(src|href)\s*=\s*["']?(https?:)?\/\//i);
    expect(html).not.toMatch(/@import|url\(/i);
    const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((match) => match[1] ?? '');
    expect(scripts).toHaveLength(1);
    const hash = createHash('sha256')
      .update(scripts[0] ?? '', 'utf8')
      .digest('base64');
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? '';
    expect(csp).toContain('default-src &#39;none&#39;');
    expect(csp).toContain(`script-src &#39;sha256-${hash}&#39;`);
  });

  it('Given the client script, When read, Then it never hands data to an HTML parser', () => {
    const html = renderReport({ snapshot: hostileSnapshot(), now: NOW });
    expect(html).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function/);
  });
});

describe('buildReportData', () => {
  it('Given a user with a password and a two-year-old unused key, When built, Then ages and the long-lived flag are computed from now', () => {
    const data = buildReportData({ snapshot: hostileSnapshot(), now: NOW });
    const [hostile, quiet] = data.users;
    expect(hostile?.longLived).toBe(true);
    expect(hostile?.keys[0]).toMatchObject({ ageDays: 730, unusedDays: 730, lastUsedDays: null });
    expect(hostile?.password.lastUsedDays).toBe(3);
    expect(quiet?.longLived).toBe(false);
    expect(data.summary.longLived.total).toBe(1);
    expect(data.generatedAt).toBe(NOW.toISOString());
  });
});
