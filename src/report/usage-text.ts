/** The terminal view of `roleshift activity usage`: events per IAM user and federated session. */
import type { Usage } from '../model/usage.js';
import { plural } from './client/format.js';

/** Log values are attacker-influenced (session names, token subjects): no terminal control codes. */
function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}

export function renderUsageText(usage: Usage): string {
  const events = usage.principals.reduce((sum, principal) => sum + principal.events, 0);
  const lines = [
    `${events} events from ${usage.source.origin} (${usage.source.filesRead} files read now, ${usage.source.filesSkipped} ingested before)`,
  ];
  for (const principal of usage.principals.filter((p) => p.type === 'IAMUser')) {
    const agents = principal.userAgents.map((a) => `${a.family} ${a.events}`).join(', ');
    const errors = Object.entries(principal.errors)
      .map(([code, count]) => `${code} ${count}`)
      .join(', ');
    lines.push(
      `${principal.arn}: ${principal.events} events ${principal.firstSeen} .. ${principal.lastSeen}; ${plural(principal.actions.length, 'action')}; agents: ${agents}${errors === '' ? '' : `; errors: ${errors}`}`,
    );
  }
  for (const session of usage.federatedSessions) {
    lines.push(
      `${session.kind} ${session.provider}${session.subject === null ? '' : ` ${session.subject}`}${session.roleArn === null ? '' : ` -> ${session.roleArn}`}: ${session.events} events`,
    );
  }
  return lines.map(printable).join('\n');
}
