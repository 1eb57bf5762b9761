import { UserInputError } from '../errors.js';

export interface UserRef {
  accountId: string;
  userName: string;
}

const ARN = /^arn:aws[a-z-]*:iam::(\d{12}):user\/(?:.*\/)?([\w+=,.@-]+)$/;
const ACCOUNT_SLASH_NAME = /^(\d{12})\/([\w+=,.@-]+)$/;

/** A user is named `ACCOUNT_ID/USER_NAME` or by its ARN (any path). */
export function parseUserRef(text: string): UserRef {
  const match = ARN.exec(text) ?? ACCOUNT_SLASH_NAME.exec(text);
  if (!match?.[1] || !match[2]) {
    throw new UserInputError(
      `"${text}" is not a user: name it ACCOUNT_ID/USER_NAME (e.g. 123456789012/alice) or by its ARN`,
    );
  }
  return { accountId: match[1], userName: match[2] };
}

export function formatUserRef(ref: UserRef): string {
  return `${ref.accountId}/${ref.userName}`;
}
