/**
 * The plugins' parts of /openapi.json (PluginOpenApi in plugins/types.ts).
 * Each fragment is checked once, when the node starts (paths only under
 * the plugin's own prefix, schema names nobody else uses), and merged into
 * the node's document: its paths under /v1/plugins/<name>/ tagged with the
 * plugin's name, its schemas, its error codes, and the content of its
 * order and redeem envelopes as `x-dta-envelopes` on the two order routes.
 * @module
 */
import type { PluginOpenApi } from '../plugins/types.ts';

export interface DocumentedPlugin {
  readonly name: string;
  readonly version: string;
  readonly openapi?: PluginOpenApi | undefined;
}

/** The parts of the node's document a merge touches. */
export interface OpenApiDocument {
  paths: Record<string, Record<string, unknown>>;
  components: { schemas: Record<string, unknown> };
  tags?: { name: string; description: string }[];
  [key: string]: unknown;
}

const PATH_KEY = /^\/[A-Za-z0-9._~{}/-]*$/;
const SCHEMA_NAME = /^[A-Za-z0-9._-]+$/;
const ERROR_CODE = /^[a-z][a-z0-9_]{0,47}$/;
const STEPS = ['order', 'redeem'] as const;
const METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);
/** Where the node documents each step's envelopes. */
const STEP_ROUTES = { order: '/v1/orders', redeem: '/v1/orders/{id}/redeem' } as const;

export const pluginPrefix = (name: string): string => `/v1/plugins/${name}`;

/** Component names of a step's request and reply content: "<plugin>.order", "<plugin>.order-reply". */
export const stepSchemaName = (plugin: string, step: string, reply: boolean): string => `${plugin}.${step}${reply ? '-reply' : ''}`;

/** The document path of a fragment key: relative to the plugin's prefix, or already under it. */
function absolutePath(name: string, key: string): string {
  const prefix = pluginPrefix(name);
  if (!PATH_KEY.test(key) || key.split('/').some((seg) => seg === '.' || seg === '..')) {
    throw new Error(`plugin "${name}": openapi path "${key}" is not a path under ${prefix}/`);
  }
  return key.startsWith(`${prefix}/`) ? key : `${prefix}${key}`;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Checks a plugin's fragment; `taken` holds the schema names already in
 * use (the node's and other plugins'), and gets this plugin's added.
 */
export function checkPluginOpenApi(name: string, fragment: PluginOpenApi, taken: Set<string>): void {
  const fail = (what: string): never => {
    throw new Error(`plugin "${name}": openapi ${what}`);
  };
  for (const [key, item] of Object.entries(fragment.paths ?? {})) {
    absolutePath(name, key);
    if (!isObject(item)) fail(`path "${key}" is not a path item`);
  }
  const steps = Object.keys(fragment.steps ?? {});
  for (const step of steps) if (!(STEPS as readonly string[]).includes(step)) fail(`step "${step}" is neither order nor redeem`);
  const own = [...Object.keys(fragment.schemas ?? {}), ...steps.flatMap((s) => [stepSchemaName(name, s, false), stepSchemaName(name, s, true)])];
  for (const schema of own) {
    if (!SCHEMA_NAME.test(schema)) fail(`schema name "${schema}" is not [A-Za-z0-9._-]+`);
    if (taken.has(schema)) fail(`schema "${schema}" is already defined`);
    taken.add(schema);
  }
  for (const code of fragment.errorCodes ?? []) if (!ERROR_CODE.test(code)) fail(`error code "${code}" is not [a-z][a-z0-9_]*`);
}

/** A path item whose operations carry the plugin's tag (unless they name their own). */
function tagged(item: Record<string, unknown>, tag: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(item)) {
    out[key] = METHODS.has(key) && isObject(value) && value.tags === undefined ? { ...value, tags: [tag] } : value;
  }
  return out;
}

/** Adds one plugin's steps: schemas for their content, entries for the order routes' `x-dta-envelopes`. */
function mergeSteps(doc: OpenApiDocument, name: string, fragment: PluginOpenApi, envelopes: Record<string, Record<string, unknown>>): void {
  for (const step of STEPS) {
    const s = fragment.steps?.[step];
    if (!s) continue;
    doc.components.schemas[stepSchemaName(name, step, false)] = s.content;
    doc.components.schemas[stepSchemaName(name, step, true)] = s.reply;
    envelopes[step]![`${name}/${step}`] = {
      summary: s.summary,
      content: { $ref: `#/components/schemas/${stepSchemaName(name, step, false)}` },
      reply: { type: `${name}/${step}-reply`, content: { $ref: `#/components/schemas/${stepSchemaName(name, step, true)}` } },
    };
  }
}

/** The node's document with every plugin's fragment merged in (`doc` is changed and returned). */
export function mergePlugins(doc: OpenApiDocument, plugins: readonly DocumentedPlugin[]): OpenApiDocument {
  const envelopes: Record<string, Record<string, unknown>> = { order: {}, redeem: {} };
  const codes = (doc.components.schemas.Error as { properties: { error: { properties: { code: { enum: string[] } } } } }).properties.error.properties.code;
  doc.tags ??= [];
  for (const { name, version, openapi: fragment } of plugins) {
    doc.tags.push({ name, description: fragment?.description ?? `plugin ${name} ${version}` });
    if (!fragment) continue;
    for (const [key, item] of Object.entries(fragment.paths ?? {})) doc.paths[absolutePath(name, key)] = tagged(item as Record<string, unknown>, name);
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
