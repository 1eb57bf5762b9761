import { userKey, type ReportData, type ReportUser, type ReportUserExtras } from '../page-model.js';

/** The assessed layer of one user (class, findings, plan...), when the report has one. */
export function extrasOf(data: ReportData, user: ReportUser): ReportUserExtras | null {
  return data.extras?.users[userKey(user.accountId, user.name)] ?? null;
}
