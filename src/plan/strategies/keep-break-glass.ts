/** A break-glass user: kept, hardened (hardware MFA, no keys, a sealed password) and alarmed. */
import type { StrategyContext, StrategyDefinition, StrategyResult } from './context.js';

function planBreakGlass(ctx: StrategyContext): StrategyResult {
  const { user } = ctx;
  const hardwareMfa = user.mfaDevices.some((device) => device.kind === 'hardware');
  const activeKeys = user.accessKeys.filter((key) => key.status === 'Active').length;
  return {
    strategy: 'keep-break-glass',
    target: 'Keep as break-glass, hardened',
    prerequisites: [
      { id: 'hardware-mfa', description: 'a hardware MFA device (FIDO key or TOTP token)', met: hardwareMfa },
      { id: 'no-access-keys', description: 'no active access keys', met: activeKeys === 0 },
      { id: 'console-password', description: 'a console password, kept in a safe', met: user.password.enabled },
    ],
    blockers: [],
    steps: [
      ...(hardwareMfa ? [] : ['Register a hardware MFA device (FIDO2 key) and remove virtual devices.']),
      ...(activeKeys === 0
        ? []
        : [`Delete the ${activeKeys} active access key(s): break-glass access is console-only.`]),
      'Store the password sealed, with two-person retrieval; record who may use it.',
      'Deploy the guardrails: the EventBridge rule alarms on every console login of this user.',
      'Test the procedure every quarter and after every use rotate the password.',
    ],
    artifacts: [],
    permissions: null,
  };
}

export const strategy: StrategyDefinition = {
  id: 'keep-break-glass',
  title: 'kept as a hardened, alarmed break-glass user',
  baseRisk: 0,
  classes: ['break-glass'],
  plan: planBreakGlass,
};
