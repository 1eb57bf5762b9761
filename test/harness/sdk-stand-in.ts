/**
 * A narrow stand-in for one AWS API, for what moto cannot do (page GAAD, never finish a credential
 * report, answer a call it does not implement): a real SDK client, so the SDK's paginators, its
 * retry strategy and roleshift's own middleware (call counting, throttle observer, errors that
 * name the call) run as in production, with a middleware where the request would be sent that
 * answers each command from `answer` instead. `answer` returns the output, or an Error to throw;
 * undefined fails like an unimplemented API.
 */
export interface SentCommand {
  command: string;
  input: Record<string, unknown>;
}

interface StackClient {
  middlewareStack: {
    add(
      middleware: (
        next: unknown,
        context: { commandName?: string },
      ) => (args: { input: Record<string, unknown> }) => Promise<{ output: unknown; response: unknown }>,
      options: { step: 'finalizeRequest'; name: string; priority: 'low' },
    ): void;
  };
}

export function standIn<C>(
  client: C,
  answer: (command: string, input: Record<string, unknown>) => unknown,
): { client: C; sent: SentCommand[] } {
  const sent: SentCommand[] = [];
  (client as StackClient).middlewareStack.add(
    (_next, context) => async (args) => {
      const command = (context.commandName ?? 'Unknown').replace(/Command$/, '');
      sent.push({ command, input: { ...args.input } });
      const output = answer(command, args.input);
      if (output instanceof Error) throw output;
      if (output === undefined) throw awsError('NotImplemented', `${command} is not implemented`, 501);
      return { output: { $metadata: { httpStatusCode: 200 }, ...(output as object) }, response: {} };
    },
    { step: 'finalizeRequest', name: 'standIn', priority: 'low' },
  );
  return { client, sent };
}

/** An error shaped as the SDK throws them: name and Code, HTTP status in `$metadata`. */
export function awsError(code: string, message: string, status = 400): Error {
  return Object.assign(new Error(message), { name: code, Code: code, $metadata: { httpStatusCode: status } });
}
