/**
 * CloudFormation intrinsic functions, resolved as far as a template alone allows: parameters
 * take their defaults, `Fn::If` follows its condition when the condition can be decided,
 * `Ref` to an OIDC or SAML provider becomes the provider's ARN. Whatever stays open becomes a
 * `${...}` placeholder listed in `unresolved`, never a guess.
 */
import type { CollectionTag, ScalarTag, YAMLMap, YAMLSeq } from 'yaml';

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

const FUNCTIONS = [
  'Ref',
  'Sub',
  'GetAtt',
  'Join',
  'If',
  'Select',
  'Split',
  'Equals',
  'And',
  'Or',
  'Not',
  'Condition',
  'FindInMap',
  'ImportValue',
  'Base64',
  'Cidr',
  'GetAZs',
  'Transform',
  'ToJsonString',
  'Length',
];

function functionKey(name: string): string {
  return name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`;
}

/** Custom tags for the short forms (`!Ref`, `!Sub`, `!GetAtt`...) so the `yaml` package reads them as the long forms. */
export const CLOUDFORMATION_TAGS: Array<ScalarTag | CollectionTag> = FUNCTIONS.flatMap((name) => {
  const key = functionKey(name);
  const scalar: ScalarTag = {
    tag: `!${name}`,
    resolve: (value: string) =>
      (name === 'GetAtt' ? { [key]: value.split('.') } : { [key]: value }) as unknown as string,
  };
  const seq: CollectionTag = {
    tag: `!${name}`,
    collection: 'seq',
    resolve: (node) => ({ [key]: (node as YAMLSeq).toJSON() }) as unknown as YAMLSeq,
  };
  const map: CollectionTag = {
    tag: `!${name}`,
    collection: 'map',
    resolve: (node) => ({ [key]: (node as YAMLMap).toJSON() }) as unknown as YAMLMap,
  };
  return [scalar, seq, map];
});

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export class TemplateResolver {
  readonly unresolved = new Set<string>();
  private readonly parameters: Record<string, unknown>;
  private readonly resources: Record<string, unknown>;
  private readonly conditions: Record<string, unknown>;
  private readonly mappings: Record<string, unknown>;

  constructor(template: Record<string, unknown>) {
    this.parameters = isObject(template['Parameters']) ? template['Parameters'] : {};
    this.resources = isObject(template['Resources']) ? template['Resources'] : {};
    this.conditions = isObject(template['Conditions']) ? template['Conditions'] : {};
    this.mappings = isObject(template['Mappings']) ? template['Mappings'] : {};
  }

  private open(text: string): string {
    this.unresolved.add(text);
    return `\${${text}}`;
  }

  private refValue(name: string): Json | undefined {
    if (name === 'AWS::Partition') return 'aws';
    if (name === 'AWS::URLSuffix') return 'amazonaws.com';
    if (name === 'AWS::NoValue') return undefined;
    // Kept as placeholders: the account and region are those of the stack, not knowable from the file.
    if (name.startsWith('AWS::')) return `\${${name}}`;
    const parameter = this.parameters[name];
    if (isObject(parameter)) {
      const fallback = parameter['Default'];
      if (typeof fallback === 'string' || typeof fallback === 'number' || typeof fallback === 'boolean')
        return String(fallback);
      return this.open(name);
    }
    const resource = this.resources[name];
    if (isObject(resource)) return this.resourceArn(name, resource) ?? this.open(name);
    return this.open(name);
  }

  private resourceArn(name: string, resource: Record<string, unknown>): string | null {
    const properties = isObject(resource['Properties']) ? resource['Properties'] : {};
    if (resource['Type'] === 'AWS::IAM::OIDCProvider') {
      const url = this.resolve(properties['Url']);
      if (typeof url === 'string')
        return `arn:aws:iam::\${AWS::AccountId}:oidc-provider/${url.replace(/^https:\/\//, '')}`;
    }
    if (resource['Type'] === 'AWS::IAM::SAMLProvider') {
      const providerName = this.resolve(properties['Name']);
      return `arn:aws:iam::\${AWS::AccountId}:saml-provider/${typeof providerName === 'string' ? providerName : name}`;
    }
    return null;
  }

  private substitute(template: string, variables: Record<string, unknown>): string {
    return template.replace(/\$\{(!?)([^}]*)\}/g, (_whole, bang: string, name: string) => {
      if (bang === '!') return `\${${name}}`;
      if (name in variables) {
        const value = this.resolve(variables[name]);
        return typeof value === 'string' || typeof value === 'number' ? String(value) : this.open(name);
      }
      if (name.includes('.')) {
        const [resource = '', attribute = ''] = name.split('.');
        const target = this.resources[resource];
        if (attribute === 'Arn' && isObject(target)) return this.resourceArn(resource, target) ?? this.open(name);
        return this.open(name);
      }
      const value = this.refValue(name);
      return typeof value === 'string' ? value : this.open(name);
    });
  }

  /** Evaluates a condition expression; null when it depends on something unknown. */
  private condition(expression: unknown): boolean | null {
    if (!isObject(expression)) return null;
    const [[fn, args] = ['', null]] = Object.entries(expression);
    if (fn === 'Condition' && typeof args === 'string') return this.condition(this.conditions[args]);
    if (!Array.isArray(args)) return null;
    if (fn === 'Fn::Equals') {
      const [a, b] = args.map((x) => this.resolve(x));
      if (typeof a === 'string' && typeof b === 'string' && !a.includes('${') && !b.includes('${')) return a === b;
      return null;
    }
    const parts = args.map((x) => this.condition(x));
    if (fn === 'Fn::Not') return parts[0] === null || parts[0] === undefined ? null : !parts[0];
    if (fn === 'Fn::And') return parts.includes(false) ? false : parts.includes(null) ? null : true;
    if (fn === 'Fn::Or') return parts.includes(true) ? true : parts.includes(null) ? null : false;
    return null;
  }

  /** Resolves intrinsic functions throughout a value. `undefined` stands for AWS::NoValue. */
  resolve(value: unknown): Json | undefined {
    if (Array.isArray(value)) return value.map((v) => this.resolve(v)).filter((v): v is Json => v !== undefined);
    if (!isObject(value)) return value === undefined ? undefined : (value as Json);
    const entries = Object.entries(value);
    const [first] = entries;
    if (entries.length === 1 && first) {
      const [fn, args] = first;
      switch (fn) {
        case 'Ref':
          return typeof args === 'string' ? this.refValue(args) : this.open('Ref');
        case 'Fn::Sub': {
          if (typeof args === 'string') return this.substitute(args, {});
          if (Array.isArray(args) && typeof args[0] === 'string')
            return this.substitute(args[0], isObject(args[1]) ? args[1] : {});
          return this.open('Fn::Sub');
        }
        case 'Fn::GetAtt': {
          const [resource, attribute] = Array.isArray(args) ? args.map(String) : String(args).split('.');
          const target = this.resources[resource ?? ''];
          if (attribute === 'Arn' && isObject(target))
            return this.resourceArn(resource ?? '', target) ?? this.open(`${resource}.${attribute}`);
          return this.open(`${resource}.${attribute}`);
        }
        case 'Fn::Join': {
          if (!Array.isArray(args)) return this.open('Fn::Join');
          const [separator, list] = args;
          const items = this.resolve(list);
          if (
            typeof separator === 'string' &&
            Array.isArray(items) &&
            items.every((i) => typeof i === 'string' || typeof i === 'number')
          )
            return items.join(separator);
          return this.open('Fn::Join');
        }
        case 'Fn::If': {
          if (!Array.isArray(args) || typeof args[0] !== 'string') return this.open('Fn::If');
          const decided = this.condition({ Condition: args[0] });
          if (decided === null) {
            // Both branches are possible: analyse the first and say so.
            this.unresolved.add(`Fn::If ${args[0]} (analysed the "true" branch)`);
            return this.resolve(args[1]);
          }
          return this.resolve(decided ? args[1] : args[2]);
        }
        case 'Fn::Select': {
          if (!Array.isArray(args)) return this.open('Fn::Select');
          const index = Number(this.resolve(args[0]));
          const list = this.resolve(args[1]);
          if (Array.isArray(list) && Number.isInteger(index) && list[index] !== undefined) return list[index];
          return this.open('Fn::Select');
        }
        case 'Fn::Split': {
          if (!Array.isArray(args)) return this.open('Fn::Split');
          const source = this.resolve(args[1]);
          if (typeof args[0] === 'string' && typeof source === 'string' && !source.includes('${'))
            return source.split(args[0]);
          return this.open('Fn::Split');
        }
        case 'Fn::FindInMap': {
          if (!Array.isArray(args)) return this.open('Fn::FindInMap');
          const [map, top, second] = args.map((a) => this.resolve(a));
          const table = typeof map === 'string' ? this.mappings[map] : undefined;
          const row = isObject(table) && typeof top === 'string' ? table[top] : undefined;
          const cell = isObject(row) && typeof second === 'string' ? row[second] : undefined;
          return cell === undefined ? this.open('Fn::FindInMap') : this.resolve(cell);
        }
        case 'Fn::Equals':
        case 'Fn::And':
        case 'Fn::Or':
        case 'Fn::Not':
        case 'Condition': {
          const decided = this.condition(value);
          return decided === null ? this.open(fn) : decided;
        }
        case 'Fn::ImportValue':
        case 'Fn::Base64':
        case 'Fn::Cidr':
        case 'Fn::GetAZs':
        case 'Fn::Transform':
        case 'Fn::ToJsonString':
        case 'Fn::Length':
          return this.open(fn);
        default:
          break;
      }
    }
    const out: { [key: string]: Json } = {};
    for (const [key, inner] of entries) {
      const resolved = this.resolve(inner);
      if (resolved !== undefined) out[key] = resolved;
    }
    return out;
  }
}
