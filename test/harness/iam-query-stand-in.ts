import { forwardRequest, listenOnLoopback } from './loopback.js';
import { createServer, type Server } from 'node:http';

/**
 * A stand-in on 127.0.0.1 for IAM calls moto 5.2.1 does not implement (it answers them HTTP 500
 * with an HTML page, MOTO.md): the named actions are answered in IAM's query/XML wire format as
 * AWS's API reference documents it, every other request goes to `forwardTo` untouched (moto, or
 * another stand-in), so the real SDK and the real AWS CLI talk to one endpoint as they would to AWS.
 */
export interface IamAnswer {
  status: number;
  body: string;
}

export interface IamQueryStandIn {
  endpoint: string;
  /** The actions answered here, in order. */
  seen: string[];
  close(): Promise<void>;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** A successful answer: `result` is the XML inside `<ActionResult>`. */
export function iamResult(action: string, result: string): IamAnswer {
  return {
    status: 200,
    body: `<${action}Response xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><${action}Result>${result}</${action}Result><ResponseMetadata><RequestId>stand-in</RequestId></ResponseMetadata></${action}Response>`,
  };
}

export function iamError(status: number, code: string, message: string): IamAnswer {
  return {
    status,
    body: `<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message></Error><RequestId>stand-in</RequestId></ErrorResponse>`,
  };
}

/** `ListOrganizationsFeatures` as the management account of an organization with these features. */
export function organizationsFeatures(features: readonly string[], organizationId = 'o-standin'): IamAnswer {
  const members = features.map((feature) => `<member>${escapeXml(feature)}</member>`).join('');
  return iamResult(
    'ListOrganizationsFeatures',
    `<OrganizationId>${escapeXml(organizationId)}</OrganizationId><EnabledFeatures>${members}</EnabledFeatures>`,
  );
}

export async function startIamQueryStandIn(
  answers: Record<string, () => IamAnswer>,
  forwardTo?: string,
): Promise<IamQueryStandIn> {
  const seen: string[] = [];
  const server: Server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks);
      const action = new URLSearchParams(body.toString('utf8')).get('Action') ?? '';
      const answer = answers[action];
      if (answer !== undefined || forwardTo === undefined) {
        seen.push(action);
        const reply = answer?.() ?? iamError(501, 'NotImplemented', `${action} is not answered by the stand-in`);
        outgoing.writeHead(reply.status, { 'content-type': 'text/xml' });
        outgoing.end(reply.body);
        return;
      }
      const target = new URL(forwardTo);
      forwardRequest(incoming, body, outgoing, target);
    });
  });
  const listening = await listenOnLoopback(server);
  return {
    ...listening,
    seen,
  };
}
