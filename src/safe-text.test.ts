import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  csvCell,
  cutText,
  escapeControls,
  markdownCodeBlock,
  markdownText,
  tableCell,
  terminalOutput,
  warningText,
} from './safe-text.js';

/** What a terminal acts on: any C0/C1 control but newline and tab, DEL, and the bidi overrides. */
const ACTIVE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

const HOSTILE = [
  'evil\u001b[2J\u001b[H',
  'title\u001b]0;pwned\u0007',
  'link\u001b]8;;https://evil.example\u001b\\click\u001b]8;;\u001b\\',
  'over\rwritten',
  'two\nlines',
  'csi\u009b31m',
  'rtl\u202egnp.exe',
];

describe('escapeControls', () => {
  it('Given names carrying ESC, OSC, CR, LF, C1 and bidi controls, When escaped, Then no control reaches the output and each is shown by its escape', () => {
    for (const name of HOSTILE) expect(escapeControls(name)).not.toMatch(ACTIVE);
    expect(escapeControls('title\u001b]0;pwned\u0007')).toBe('title\\u001b]0;pwned\\u0007');
    expect(escapeControls('over\rwritten')).toBe('over\\rwritten');
    expect(escapeControls('two\nlines')).toBe('two\\nlines');
    expect(escapeControls('rtl\u202egnp.exe')).toBe('rtl\\u202egnp.exe');
  });

  it('Given any string, When escaped, Then the result has no control character and plain text is unchanged', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect(escapeControls(text)).not.toMatch(ACTIVE);
        expect(escapeControls(text)).not.toMatch(/[\n\r]/);
      }),
    );
    expect(escapeControls('alice.smith@example.com, ünïcødé 名前')).toBe('alice.smith@example.com, ünïcødé 名前');
  });
});

describe('cutText and tableCell', () => {
  it('Given a 70,000-character name, When made a table cell, Then it is cut to the limit with an ellipsis', () => {
    const cell = tableCell('a'.repeat(70_000), 128);
    expect(cell).toHaveLength(128);
    expect(cell.endsWith('…')).toBe(true);
  });

  it('Given a cut that would fall inside a surrogate pair, When cut, Then the pair is dropped whole', () => {
    expect(cutText(`ab${'😀'.repeat(5)}`, 4)).toBe('ab…');
    expect(cutText('short', 10)).toBe('short');
  });
});

describe('csvCell', () => {
  const cases: Array<[string, string]> = [
    ['=HYPERLINK("http://evil.example")', `"'=HYPERLINK(""http://evil.example"")"`],
    ['+1+2', "'+1+2"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tleading tab', "'\\tleading tab"],
    ['\rleading return', "'\\rleading return"],
    ['plain, with comma', '"plain, with comma"'],
    ['line\nbreak', 'line\\nbreak'],
    ['esc\u001b[31m', 'esc\\u001b[31m'],
    ['alice', 'alice'],
  ];
  for (const [value, expected] of cases) {
    it(`Given ${JSON.stringify(value)}, When written as a CSV cell, Then it is ${expected}`, () => {
      expect(csvCell(value)).toBe(expected);
    });
  }
});

describe('markdownText and markdownCodeBlock', () => {
  it('Given a name with HTML, link syntax, a pipe and a newline, When made Markdown, Then it renders as text on one line', () => {
    expect(markdownText('<img src=x>[a](http://e)|b\n# h')).toBe('&lt;img src=x&gt;\\[a\\](http://e)\\|b\\\\n\\# h');
  });

  it('Given code holding a fence and an ESC, When fenced, Then the fence is longer than any backtick run inside and the ESC is escaped', () => {
    expect(markdownCodeBlock('a ``` b\n\u001b[2J')).toBe('````\na ``` b\n\\u001b[2J\n````');
  });
});

describe('terminalOutput', () => {
  it("Given text with roleshift's colours, newlines, tabs and CRLF, When passed to the terminal, Then they are kept", () => {
    const text = '\u001b[1mbold\u001b[22m\tcol\r\nnext\u001b[33mwarning:\u001b[0m\n';
    expect(terminalOutput(text, { colour: true })).toBe(text);
    expect(terminalOutput(text, { colour: false })).toBe(
      '\\u001b[1mbold\\u001b[22m\tcol\r\nnext\\u001b[33mwarning:\\u001b[0m\n',
    );
  });

  it('Given colour codes roleshift never writes (concealed text, 256 colours), When passed to a colour terminal, Then they are escaped', () => {
    expect(terminalOutput('a\u001b[8mhidden\u001b[38;5;1mb', { colour: true })).toBe(
      'a\\u001b[8mhidden\\u001b[38;5;1mb',
    );
  });

  it('Given text with OSC, a cursor move, a lone CR and a C1 CSI, When passed to the terminal, Then each is escaped', () => {
    expect(terminalOutput('a\u001b]0;t\u0007b\u001b[2Jc\rd\u009be', { colour: true })).toBe(
      'a\\u001b]0;t\\u0007b\\u001b[2Jc\\rd\\u009be',
    );
  });

  it('Given a JSON document with C1 and bidi characters in its strings, When passed to the terminal, Then it parses to the same values', () => {
    const value = { name: 'csi\u009b31m rtl\u202e', nested: ['\u2028'] };
    const json = JSON.stringify(value, null, 2);
    expect(terminalOutput(json, { colour: true })).not.toMatch(ACTIVE);
    expect(JSON.parse(terminalOutput(json, { colour: false }))).toEqual(value);
  });
});

describe('warningText', () => {
  it('Given a warning listing a name with LF and ESC and a 70,000-character name, When made a warning line, Then it is one inert line and the long name is cut', () => {
    const line = warningText(`users not in the report: ${'x'.repeat(70_000)}, mallory\u001b[8m\rroot\n# heading`);
    expect(line).not.toMatch(ACTIVE);
    expect(line).not.toMatch(/[\n\r]/);
    expect(line).toContain('mallory\\u001b[8m\\rroot\\n# heading');
    expect(line.length).toBeLessThan(1_100);
  });
});
