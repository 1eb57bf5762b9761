/**
 * Compiles one event class of the Open Cybersecurity Schema Framework, as its schema repository
 * publishes it (https://github.com/ocsf/ocsf-schema: a dictionary of attributes and types, objects,
 * event classes that `extends` one another, profiles merged in by `$include`), into a JSON Schema
 * (draft 2020-12) the tests validate `roleshift findings --format ocsf` against. OCSF publishes no
 * JSON Schema of its own, so this is that compilation, written down. Run by hand, never at build:
 *
 *   git -C ocsf-schema archive 1.5.0 | tar -x -C /tmp/ocsf-1.5.0
 *   npx tsx scripts/ocsf-json-schema.ts /tmp/ocsf-1.5.0
 *
 * With `--check COMPILED.json` (the output of the OCSF project's own compiler, ocsf-schema-compiler
 * `--browser-mode`, for the same tag) it builds the JSON Schema a second time from that output and
 * fails if the two differ: the resolution here (extends, includes, profiles, enums, dictionary
 * types) must agree with the reference implementation's.
 *
 * The rules, as the OCSF compiler applies them: an item's attributes are its profiles' attributes
 * (`$include`, each marked with its profile) with its own merged on top; a class or object that
 * `extends` another is the parent with the child merged on top (enums merge key by key, `profile:
 * null` frees an attribute from its profile); every attribute is finally the dictionary's definition
 * with the item's merged on top; a class's `class_uid`, `category_uid` and `type_uid` enums are its
 * own. The JSON Schema then follows the OCSF server's export: every object closed
 * (`additionalProperties: false`), `required` from `requirement: required`, `at_least_one` and
 * `just_one` constraints as `anyOf` / `oneOf`; and, stricter than that export, enums on every
 * attribute that has one and the data types' patterns, lengths and ranges.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { join } from 'node:path';
import { OCSF_PROFILES, OCSF_VERSION } from '../src/report/ocsf.js';

type Json = Record<string, unknown>;

interface Attribute {
  caption?: string;
  type?: string;
  object_type?: string;
  is_array?: boolean;
  requirement?: string;
  enum?: Record<string, Json>;
  /** Profiles that bring the attribute in; null or absent: always there. */
  profiles?: string[] | null;
  profile?: string | null;
  [key: string]: unknown;
}

interface Item {
  name: string;
  caption?: string;
  extends?: string;
  category?: string;
  uid?: number;
  attributes: Record<string, Attribute>;
  constraints?: { at_least_one?: string[]; just_one?: string[] };
  [key: string]: unknown;
}

interface DataType {
  type?: string;
  regex?: string;
  max_len?: number;
  range?: [number, number];
}

/** One class with every object it can reach, resolved, and the data types: what the emitter reads. */
interface Resolved {
  cls: Item;
  objects: Record<string, Item>;
  types: Record<string, DataType>;
}

const OCSF_CLASS = 'detection_finding';

const OUT = new URL('../test/fixtures/ocsf/detection-finding.schema.json', import.meta.url);

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

function clone<T>(value: T): T {
  return structuredClone(value);
}

function isPlainObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Objects merge key by key; anything else (lists included) is replaced, as the OCSF compiler does. */
function deepMerge(dest: Json, source: Json): void {
  for (const [key, value] of Object.entries(source)) {
    const existing = dest[key];
    if (isPlainObject(existing) && isPlainObject(value)) deepMerge(existing, value);
    else dest[key] = value;
  }
}

/** `profile: "x"` becomes `profiles: ["x"]`; `profile: null` becomes `profiles: null` (bound to none). */
function upgradeProfile(attribute: Attribute): void {
  if (!('profile' in attribute)) return;
  attribute.profiles = attribute.profile === null || attribute.profile === undefined ? null : [attribute.profile];
  delete attribute.profile;
}

function mergeAttribute(dest: Attribute, source: Attribute): void {
  for (const [key, value] of Object.entries(source)) {
    if (!(key in dest)) dest[key] = value;
    else if (key === 'profiles')
      dest.profiles = value === null ? null : [...new Set([...(dest.profiles ?? []), ...(value as string[])])].sort();
    else if (isPlainObject(dest[key]) && isPlainObject(value)) deepMerge(dest[key] as Json, value);
    else dest[key] = value;
  }
}

function mergeAttributes(dest: Record<string, Attribute>, source: Record<string, Attribute>): void {
  for (const [name, attribute] of Object.entries(source)) {
    const existing = dest[name];
    if (existing) mergeAttribute(existing, attribute);
    else dest[name] = attribute;
  }
}

/** `attributes.$include`: the included profiles' attributes, marked with the profile, under the item's own. */
function resolveIncludes(item: Item, schemaDir: string): void {
  const { $include, ...own } = item.attributes as Record<string, unknown>;
  for (const attribute of Object.values(own)) upgradeProfile(attribute as Attribute);
  if ($include === undefined) return;
  const merged: Record<string, Attribute> = {};
  for (const file of [$include].flat() as string[]) {
    const include = readJson<{
      name: string;
      meta?: string;
      annotations?: Json;
      attributes: Record<string, Attribute>;
    }>(join(schemaDir, file));
    const attributes = clone(include.attributes);
    for (const attribute of Object.values(attributes)) {
      if (include.meta === 'profile') attribute.profiles = [include.name];
      for (const [key, value] of Object.entries(include.annotations ?? {}))
        if (!(key in attribute)) attribute[key] = value;
    }
    mergeAttributes(attributes, merged);
    Object.assign(merged, attributes);
  }
  mergeAttributes(merged, own as Record<string, Attribute>);
  item.attributes = merged;
}

/** Every `*.json` under a folder, keyed by the item's name. */
function readItems(dir: string, schemaDir: string): Record<string, Item> {
  const items: Record<string, Item> = {};
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) Object.assign(items, readItems(path, schemaDir));
    else if (entry.endsWith('.json')) {
      const item = readJson<Item>(path);
      item.attributes ??= {};
      resolveIncludes(item, schemaDir);
      items[item.name] = item;
    }
  }
  return items;
}

/** The parent first, then the child on top: attributes and profiles merge, every other key is the child's. */
function flatten(items: Record<string, Item>, name: string, done: Set<string>): Item {
  const item = items[name];
  if (!item) throw new Error(`"${name}" is not defined`);
  if (done.has(name) || item.extends === undefined || item.extends === name) return item;
  const parent = flatten(items, item.extends, done);
  const flat = clone(parent);
  for (const [key, value] of Object.entries(item)) {
    if (key === 'attributes') mergeAttributes(flat.attributes, value as Record<string, Attribute>);
    else if (key === 'profiles')
      flat['profiles'] = [...new Set([...((parent['profiles'] as string[]) ?? []), ...(value as string[])])].sort();
    else flat[key] = value;
  }
  items[name] = flat;
  done.add(name);
  return flat;
}

/** class_uid, category_uid and type_uid take the class's own values only (the OCSF compiler's enrichment). */
function enrichClass(cls: Item, categories: Record<string, { uid: number; caption: string }>): void {
  const category = categories[cls.category ?? ''];
  if (!category || cls.uid === undefined) throw new Error(`class ${cls.name} has no category or uid`);
  const classUid = category.uid * 1000 + cls.uid;
  const activities = cls.attributes['activity_id']?.enum ?? {};
  const typeUids = Object.fromEntries(
    [...new Set(['0', ...Object.keys(activities)])].map((id) => [String(classUid * 100 + Number(id)), {}]),
  );
  cls.uid = classUid;
  cls.attributes['class_uid'] = { ...cls.attributes['class_uid'], enum: { [classUid]: { caption: cls.caption } } };
  cls.attributes['category_uid'] = {
    ...cls.attributes['category_uid'],
    enum: { [category.uid]: { caption: category.caption } },
  };
  cls.attributes['type_uid'] = { ...cls.attributes['type_uid'], enum: typeUids };
}

/** The dictionary's definition under the item's; a type that is no data type names an object. */
function finishAttributes(item: Item, dictionary: Record<string, Attribute>, types: Record<string, DataType>): void {
  for (const [name, attribute] of Object.entries(item.attributes)) {
    const definition = dictionary[name];
    if (!definition) throw new Error(`${item.name}.${name} is not in the dictionary`);
    const merged = clone(definition);
    deepMerge(merged, attribute);
    if (merged.type !== undefined && merged.type !== 'object_t' && !(merged.type in types)) {
      merged.object_type = merged.type;
      merged.type = 'object_t';
    }
    item.attributes[name] = merged;
  }
}

/**
 * Every observable type id the schema declares (on data types, dictionary attributes, objects, and
 * class and object attributes, before inheritance copies them): the enum of `observable.type_id`,
 * which the OCSF compiler builds the same way.
 */
function observableTypeIds(
  dictionary: { attributes: Record<string, Attribute>; types: { attributes: Record<string, DataType> } },
  items: Item[],
): string[] {
  const declared: unknown[] = [
    ...Object.values(dictionary.types.attributes).map((t) => (t as Json)['observable']),
    ...Object.values(dictionary.attributes).map((a) => a['observable']),
  ];
  for (const item of items) {
    declared.push(item['observable'], ...Object.values((item['observables'] as Json | undefined) ?? {}));
    declared.push(...Object.values(item.attributes).map((a) => a['observable']));
  }
  return declared.filter((id) => id !== undefined).map(String);
}

/** Reads the schema repository at one tag and resolves the class and every object, as the OCSF compiler does. */
function resolveSchemaDir(schemaDir: string, className: string): Resolved {
  const dictionary = readJson<{
    attributes: Record<string, Attribute>;
    types: { attributes: Record<string, DataType> };
  }>(join(schemaDir, 'dictionary.json'));
  const categories = readJson<{ attributes: Record<string, { uid: number; caption: string }> }>(
    join(schemaDir, 'categories.json'),
  ).attributes;
  const types = dictionary.types.attributes;
  const classes = readItems(join(schemaDir, 'events'), schemaDir);
  const objects = readItems(join(schemaDir, 'objects'), schemaDir);
  const observable = objects['observable']?.attributes['type_id'];
  for (const id of observableTypeIds(dictionary, [...Object.values(classes), ...Object.values(objects)]))
    if (observable) observable.enum = { ...observable.enum, [id]: {} };
  const cls = flatten(classes, className, new Set());
  enrichClass(cls, categories);
  finishAttributes(cls, dictionary.attributes, types);
  const done = new Set<string>();
  for (const name of Object.keys(objects)) flatten(objects, name, done);
  for (const object of Object.values(objects)) finishAttributes(object, dictionary.attributes, types);
  return { cls, objects, types };
}

/** The same model from the OCSF compiler's own output (`--browser-mode`, which keeps each attribute's profiles). */
function resolveCompiled(compiled: Json, className: string): Resolved {
  const classes = compiled['classes'] as Record<string, Item>;
  const cls = classes[className];
  if (!cls) throw new Error(`the compiled schema has no class ${className}`);
  const dictionary = compiled['dictionary'] as { types: { attributes: Record<string, DataType> } };
  return { cls, objects: compiled['objects'] as Record<string, Item>, types: dictionary.types.attributes };
}

function inProfiles(attribute: Attribute, profiles: readonly string[]): boolean {
  const bound = attribute.profiles;
  // As the OCSF server's validator: an attribute bound to profiles is there only if the event declares one.
  return bound === null || bound === undefined || bound.some((p) => profiles.includes(p));
}

/** JSON Schema's type for each OCSF base type; json_t takes any value. */
const BASE_TYPES: Record<string, string> = {
  string_t: 'string',
  integer_t: 'integer',
  long_t: 'integer',
  float_t: 'number',
  boolean_t: 'boolean',
};

/** The data type's JSON type and its constraints, following `type` down to the base type. */
function dataTypeSchema(typeName: string, types: Record<string, DataType>): Json {
  const chain: DataType[] = [];
  let name = typeName;
  for (let type = types[name]; type !== undefined; type = type.type !== undefined ? types[type.type] : undefined) {
    chain.push(type);
    name = type.type ?? name;
  }
  const base = BASE_TYPES[name];
  if (base === undefined && name !== 'json_t') throw new Error(`unknown data type ${typeName}`);
  const schema: Json = base === undefined ? {} : { type: base };
  for (const type of chain) {
    if (type.regex !== undefined && schema['pattern'] === undefined) schema['pattern'] = type.regex;
    if (type.max_len !== undefined && schema['maxLength'] === undefined) schema['maxLength'] = type.max_len;
    if (type.range !== undefined && schema['minimum'] === undefined)
      Object.assign(schema, { minimum: type.range[0], maximum: type.range[1] });
  }
  return schema;
}

function attributeSchema(attribute: Attribute, types: Record<string, DataType>): Json {
  let schema: Json;
  if (attribute.type === 'object_t') schema = { $ref: `#/$defs/${attribute.object_type}` };
  else schema = dataTypeSchema(attribute.type ?? 'string_t', types);
  if (attribute.enum) {
    const keys = Object.keys(attribute.enum);
    const values = schema['type'] === 'integer' ? keys.map(Number).sort((a, b) => a - b) : keys.sort();
    schema = { ...schema, enum: values };
  }
  const titled = attribute.caption !== undefined ? { title: attribute.caption, ...schema } : schema;
  return attribute.is_array === true ? { title: attribute.caption, type: 'array', items: schema } : titled;
}

function itemSchema(item: Item, resolved: Resolved, profiles: readonly string[]): Json {
  const attributes = Object.entries(item.attributes)
    .filter(([, attribute]) => inProfiles(attribute, profiles))
    .sort(([a], [b]) => (a < b ? -1 : 1));
  const present = new Set(attributes.map(([name]) => name));
  const atLeastOne = (item.constraints?.at_least_one ?? []).filter((name) => present.has(name));
  const justOne = (item.constraints?.just_one ?? []).filter((name) => present.has(name));
  // As the OCSF server's export: a constrained attribute is checked by its constraint, not by `required`.
  const required = attributes
    .filter(([name, a]) => a.requirement === 'required' && !atLeastOne.includes(name) && !justOne.includes(name))
    .map(([name]) => name);
  return {
    title: item.caption,
    type: 'object',
    properties: Object.fromEntries(attributes.map(([name, a]) => [name, attributeSchema(a, resolved.types)])),
    ...(required.length > 0 ? { required } : {}),
    ...(atLeastOne.length > 0 ? { anyOf: atLeastOne.map((name) => ({ required: [name] })) } : {}),
    ...(justOne.length > 0
      ? { oneOf: justOne.map((name) => ({ required: [name], not: { required: justOne.filter((n) => n !== name) } })) }
      : {}),
    // An object with no attributes (`object`, the type of `unmapped`) takes anything.
    additionalProperties: attributes.length === 0,
  };
}

/** The objects the class reaches through its attributes (after the profile filter), sorted by name. */
function reachableObjects(resolved: Resolved, profiles: readonly string[]): string[] {
  const seen = new Set<string>();
  const visit = (item: Item): void => {
    for (const attribute of Object.values(item.attributes)) {
      const target = attribute.object_type;
      if (attribute.type !== 'object_t' || target === undefined || seen.has(target) || !inProfiles(attribute, profiles))
        continue;
      const object = resolved.objects[target];
      if (!object) throw new Error(`object ${target} is not defined`);
      seen.add(target);
      visit(object);
    }
  };
  visit(resolved.cls);
  return [...seen].sort();
}

function toJsonSchema(resolved: Resolved, version: string, profiles: readonly string[]): Json {
  const defs = Object.fromEntries(
    reachableObjects(resolved, profiles).map((name) => [
      name,
      itemSchema(resolved.objects[name] as Item, resolved, profiles),
    ]),
  );
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `https://schema.ocsf.io/${version}/classes/${resolved.cls.name}?profiles=${profiles.join(',')}`,
    $comment: `OCSF ${version} ${resolved.cls.caption} (class_uid ${resolved.cls.uid}), profiles: ${profiles.join(', ')}. Generated by scripts/ocsf-json-schema.ts; see ORIGIN.md.`,
    ...itemSchema(resolved.cls, resolved, profiles),
    $defs: defs,
  };
}

/** The JSON paths where two schemas differ (at most a few, enough to see what went wrong). */
function differences(a: unknown, b: unknown, path = '$', out: string[] = []): string[] {
  if (out.length >= 20 || isDeepStrictEqual(a, b)) return out;
  if (isPlainObject(a) && isPlainObject(b)) {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)]))
      differences(a[key], b[key], `${path}.${key}`, out);
  } else out.push(`${path}: ${JSON.stringify(a)?.slice(0, 200)} != ${JSON.stringify(b)?.slice(0, 200)}`);
  return out;
}

function main(argv: string[]): void {
  const [schemaDir, flag, compiledPath] = argv;
  if (schemaDir === undefined || (flag !== undefined && (flag !== '--check' || compiledPath === undefined)))
    throw new Error('usage: npx tsx scripts/ocsf-json-schema.ts OCSF_SCHEMA_DIR [--check COMPILED.json]');
  const version = OCSF_VERSION;
  const schema = toJsonSchema(resolveSchemaDir(schemaDir, OCSF_CLASS), version, OCSF_PROFILES);
  if (compiledPath !== undefined) {
    const reference = toJsonSchema(resolveCompiled(readJson(compiledPath), OCSF_CLASS), version, OCSF_PROFILES);
    const diff = differences(schema, reference);
    if (diff.length > 0) throw new Error(`differs from the OCSF compiler's output:\n${diff.join('\n')}`);
    console.log(`same as the OCSF compiler's output: ${Object.keys(schema['$defs'] as Json).length} objects`);
  }
  writeFileSync(OUT, `${JSON.stringify(schema, null, 2)}\n`);
  console.log(`wrote ${OUT.pathname}`);
}

main(process.argv.slice(2));
