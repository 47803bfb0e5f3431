/**
 * The plugins' parts of /openapi.json that route schemas cannot carry (PluginOpenApi in plugins/types.ts):
 * the description of each plugin's tag, component schemas its routes or envelopes refer to, the content of
 * its order and redeem envelopes, and its own error codes. Each fragment is checked once, when the node
 * starts (schema names nobody else uses, known steps, well-formed codes), and merged into the document
 * @fastify/swagger generates from the routes: tags, schemas, the error code list, and the envelopes as
 * `x-dta-envelopes` on the two order routes. Routes themselves are documented by their own schemas.
 * @module
 */
import type { PluginOpenApi } from '../plugins/types.ts';

export interface DocumentedPlugin {
  readonly name: string;
  readonly version: string;
  readonly openapi?: PluginOpenApi | undefined;
}

/** The parts of the generated document a merge touches. */
export interface OpenApiDocument {
  paths: Record<string, Record<string, unknown>>;
  components: { schemas: Record<string, unknown> };
  tags?: { name: string; description: string }[];
  [key: string]: unknown;
}

const SCHEMA_NAME = /^[A-Za-z0-9._-]+$/;
const ERROR_CODE = /^[a-z][a-z0-9_]{0,47}$/;
const STEPS = ['order', 'redeem'] as const;
/** Where the node documents each step's envelopes. */
const STEP_ROUTES = { order: '/v1/orders', redeem: '/v1/orders/{id}/redeem' } as const;
const FRAGMENT_KEYS = new Set(['description', 'schemas', 'steps', 'errorCodes']);

/** Component names of a step's request and reply content: "<plugin>.order", "<plugin>.order-reply". */
const stepSchemaName = (plugin: string, step: string, reply: boolean): string =>
  `${plugin}.${step}${reply ? '-reply' : ''}`;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks a step's documentation: a summary and two schemas. */
function checkStep(step: string, doc: unknown, fail: (what: string) => never): void {
  if (!(STEPS as readonly string[]).includes(step)) fail(`step "${step}" is neither order nor redeem`);
  const s = doc as Record<string, unknown>;
  if (!isObject(s) || typeof s.summary !== 'string' || !isObject(s.content) || !isObject(s.reply)) {
    fail(`step "${step}" needs a summary and content and reply schemas`);
  }
}

/**
 * Checks a plugin's fragment; `taken` holds the schema names already in use (the node's and other
 * plugins'), and gets this plugin's added. Paths are not part of a fragment: routes carry their own schemas.
 */
export function checkPluginOpenApi(name: string, fragment: PluginOpenApi, taken: Set<string>): void {
  const fail = (what: string): never => {
    throw new Error(`plugin "${name}": openapi ${what}`);
  };
  if (!isObject(fragment)) fail('is not an object');
  for (const key of Object.keys(fragment)) {
    if (key === 'paths') fail('"paths" is no longer read: give each route a schema (docs/plugins.md)');
    if (!FRAGMENT_KEYS.has(key)) fail(`has an unknown field "${key}"`);
  }
  if (fragment.description !== undefined && typeof fragment.description !== 'string') fail('description is not text');
  for (const [key, schema] of Object.entries(fragment.schemas ?? {})) {
    if (!isObject(schema)) fail(`schema "${key}" is not an object`);
  }
  const steps = Object.entries(fragment.steps ?? {});
  for (const [step, doc] of steps) checkStep(step, doc, fail);
  const own = [
    ...Object.keys(fragment.schemas ?? {}),
    ...steps.flatMap(([s]) => [stepSchemaName(name, s, false), stepSchemaName(name, s, true)]),
  ];
  for (const schema of own) {
    if (!SCHEMA_NAME.test(schema)) fail(`schema name "${schema}" is not [A-Za-z0-9._-]+`);
    if (taken.has(schema)) fail(`schema "${schema}" is already defined`);
    taken.add(schema);
  }
  for (const code of fragment.errorCodes ?? []) {
    if (typeof code !== 'string' || !ERROR_CODE.test(code)) fail(`error code "${code}" is not [a-z][a-z0-9_]*`);
  }
}

/** The plugin a route URL belongs to (its name), or undefined for the node's own routes. */
export function pluginOfUrl(url: string): string | undefined {
  return /^\/v1\/plugins\/([a-z][a-z0-9-]{0,31})(\/|$)/.exec(url)?.[1];
}

/** Adds one plugin's steps: schemas for their content, entries for the order routes' `x-dta-envelopes`. */
function mergeSteps(
  doc: OpenApiDocument,
  name: string,
  fragment: PluginOpenApi,
  envelopes: Record<string, Record<string, unknown>>,
): void {
  for (const step of STEPS) {
    const s = fragment.steps?.[step];
    if (!s) continue;
    doc.components.schemas[stepSchemaName(name, step, false)] = s.content;
    doc.components.schemas[stepSchemaName(name, step, true)] = s.reply;
    envelopes[step]![`${name}/${step}`] = {
      summary: s.summary,
      content: { $ref: `#/components/schemas/${stepSchemaName(name, step, false)}` },
      reply: {
        type: `${name}/${step}-reply`,
        content: { $ref: `#/components/schemas/${stepSchemaName(name, step, true)}` },
      },
    };
  }
}

/** The generated document with every plugin's fragment merged in (`doc` is changed and returned). */
export function mergePlugins(doc: OpenApiDocument, plugins: readonly DocumentedPlugin[]): OpenApiDocument {
  const envelopes: Record<string, Record<string, unknown>> = { order: {}, redeem: {} };
  const error = doc.components.schemas.Error as { properties: { error: { properties: { code: { enum: string[] } } } } };
  const codes = error.properties.error.properties.code;
  doc.tags ??= [];
  for (const { name, version, openapi: fragment } of plugins) {
    doc.tags.push({ name, description: fragment?.description ?? `plugin ${name} ${version}` });
    if (!fragment) continue;
    Object.assign(doc.components.schemas, fragment.schemas ?? {});
    for (const code of fragment.errorCodes ?? []) if (!codes.enum.includes(code)) codes.enum.push(code);
    mergeSteps(doc, name, fragment, envelopes);
  }
  for (const step of STEPS) {
    const op = doc.paths[STEP_ROUTES[step]]?.post as Record<string, unknown> | undefined;
    if (op && Object.keys(envelopes[step]!).length > 0) op['x-dta-envelopes'] = envelopes[step];
  }
  return doc;
}
