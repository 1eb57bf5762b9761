import { describe, expect, it } from 'vitest';
import { MalformedLogError, isEventLogKey, keyDate, keyInWindow, parseLogText } from './parse.js';

const event = (name: string, extra: Record<string, unknown> = {}) => ({
  eventTime: '2025-03-06T02:25:06Z',
  eventSource: 'iam.amazonaws.com',
  eventName: name,
  userIdentity: {
    type: 'IAMUser',
    arn: 'arn:aws:iam::111111111111:user/alice',
    accessKeyId: 'AKIAEXAMPLE',
    userName: 'alice',
  },
  ...extra,
});

describe('parseLogText', () => {
  it('Given a delivered {"Records":[...]} file, When parsed, Then every record becomes an event', () => {
    const parsed = parseLogText(JSON.stringify({ Records: [event('ListUsers'), event('GetUser')] }));
    expect(parsed.events.map((e) => e.eventName)).toEqual(['ListUsers', 'GetUser']);
    expect(parsed.badRecords).toBe(0);
  });

  it('Given a bare JSON array, When parsed, Then its records are read', () => {
    expect(parseLogText(JSON.stringify([event('ListUsers')])).events).toHaveLength(1);
  });

  it('Given JSON lines with Logstash fields and no eventTime, When parsed, Then @timestamp is the event time', () => {
    const lines = [
      JSON.stringify({
        ...event('ListRoles'),
        eventTime: undefined,
        '@timestamp': '2020-09-14T00:44:23.000Z',
        '@version': '1',
      }),
      JSON.stringify(event('ListUsers')),
    ].join('\n');
    const parsed = parseLogText(lines);
    expect(parsed.events.map((e) => e.eventTime)).toEqual(['2020-09-14T00:44:23Z', '2025-03-06T02:25:06Z']);
  });

  it('Given JSON lines with one broken line, When parsed, Then the good lines count and the bad one is counted', () => {
    const parsed = parseLogText(`${JSON.stringify(event('A'))}\n{"eventName": \n${JSON.stringify(event('B'))}\n`);
    expect(parsed.events).toHaveLength(2);
    expect(parsed.badRecords).toBe(1);
  });

  it('Given a record without eventName, When parsed, Then it is counted as bad, not guessed', () => {
    const parsed = parseLogText(JSON.stringify({ Records: [event('A'), { eventTime: '2025-01-01T00:00:00Z' }] }));
    expect(parsed.events).toHaveLength(1);
    expect(parsed.badRecords).toBe(1);
  });

  it.each([
    ['a truncated document', '{"Records": [{"eventName": "A"'],
    ['plain text', 'hello'],
    ['Records that is not an array', '{"Records": 3}'],
    ['an object that is not an event', '{"foo": 1}'],
  ])('Given %s, When parsed, Then MalformedLogError is thrown', (_label, text) => {
    expect(() => parseLogText(text)).toThrow(MalformedLogError);
  });

  it('Given a ConsoleLogin without MFA, When parsed, Then mfaUsed is false and the login succeeded', () => {
    const [login] = parseLogText(
      JSON.stringify([
        event('ConsoleLogin', {
          eventSource: 'signin.amazonaws.com',
          additionalEventData: { MFAUsed: 'No' },
          responseElements: { ConsoleLogin: 'Success' },
        }),
      ]),
    ).events;
    expect(login?.mfaUsed).toBe(false);
    expect(login?.loginSucceeded).toBe(true);
  });
});

describe('key layout', () => {
  it.each([
    ['AWSLogs/o-abc123/222222222222/CloudTrail/us-east-1/2025/03/06/x.json.gz', '2025-03-06'],
    ['AWSLogs/333333333333/CloudTrail/eu-west-1/2024/12/31/x.json.gz', '2024-12-31'],
    ['s3://bucket/prefix/AWSLogs/333333333333/CloudTrail/eu-west-1/2024/01/02/x.json.gz', '2024-01-02'],
    ['exports/events.json', null],
  ])('Given key %s, When its date is read, Then it is %s', (key, expected) => {
    expect(keyDate(key)).toBe(expected);
  });

  it.each([
    ['2025-03-06', '2025-03-06T00:00:00Z', null, true],
    ['2025-03-05', '2025-03-06T00:00:00Z', null, false],
    ['2025-03-07', null, '2025-03-06T23:59:59Z', true],
    ['2025-03-09', null, '2025-03-06T23:59:59Z', false],
  ])('Given a file of %s, since %s, until %s, When pruned, Then kept is %s', (day, since, until, kept) => {
    const key = `AWSLogs/1/CloudTrail/us-east-1/${day.replace(/-/g, '/')}/f.json.gz`;
    expect(keyInWindow(key, since === null ? null : new Date(since), until === null ? null : new Date(until))).toBe(
      kept,
    );
  });

  it.each([
    ['AWSLogs/1/CloudTrail/us-east-1/2025/03/06/f.json.gz', true],
    ['AWSLogs/1/CloudTrail-Digest/us-east-1/2025/03/06/f.json.gz', false],
    ['events.ndjson', true],
    ['README.md', false],
  ])('Given key %s, When filtered, Then it is an event log: %s', (key, expected) => {
    expect(isEventLogKey(key)).toBe(expected);
  });
});
