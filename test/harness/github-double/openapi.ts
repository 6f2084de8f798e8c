import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/** One operation of GitHub's REST description, reduced to what request checking needs. */
export interface ApiOperation {
  operationId: string;
  method: string;
  /** The path template as the description writes it, e.g. `/repos/{owner}/{repo}/issues`. */
  template: string;
  /** GitHub's documentation page, which its error bodies name in `documentation_url`. */
  docsUrl: string;
  /** True where the operation is served from uploads.github.com rather than api.github.com. */
  uploads: boolean;
  parameters: ApiParameter[];
  /** Media types the request body may have; empty when the operation takes no body. */
  bodyMediaTypes: string[];
  bodyRequired: boolean;
  /** The JSON request body schema (converted to JSON Schema) when the operation takes one. */
  jsonBodySchema?: Schema;
}

export interface ApiParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  schema: Schema;
}

/** What was wrong with a request, in the terms of GitHub's validation-failed errors. */
export interface RequestProblem {
  /** `path.owner`, `query.per_page`, `body.state`, `body` … */
  field: string;
  code: 'missing_field' | 'invalid';
  message: string;
}

export type RouteMatch =
  | { kind: 'operation'; operation: ApiOperation; pathParams: Record<string, string> }
  /** The path exists but not with this method (GitHub answers 404 all the same). */
  | { kind: 'method-not-allowed'; allowed: string[] }
  | { kind: 'no-path' };

export type Schema = Record<string, unknown>;
type Json = unknown;

const DOCUMENT_ID = 'https://api.github.com/openapi.json';
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
/** Formats the description uses that carry no checkable rule for JSON data. */
const OPAQUE_FORMATS = ['int32', 'int64', 'double', 'binary', 'repo.nwo', 'timestamp'];

interface TrieNode {
  literal: Map<string, TrieNode>;
  /** Parameter segments; the pattern covers templates like `{base}...{head}`. */
  params: { pattern: RegExp; node: TrieNode }[];
  operations: Map<string, ApiOperation>;
}

const newNode = (): TrieNode => ({ literal: new Map(), params: [], operations: new Map() });

/**
 * GitHub's REST description (the @octokit/openapi package) made checkable: a route matcher over its
 * path templates and ajv validators compiled lazily per operation and cached for the process.
 */
export class GitHubOpenApi {
  private readonly root = newNode();
  /** Requests are held to formats too; answers are not, since GitHub itself sends `""` for some `uri` fields. */
  private readonly requestAjv: Ajv;
  private readonly responseAjv: Ajv;
  private readonly requestValidators = new Map<string, ValidateFunction>();
  private readonly responseValidators = new Map<string, ValidateFunction | null>();
  private readonly responseSchemas = new Map<string, Map<string, Schema | null>>();

  constructor(document: Schema) {
    const converted = toJsonSchema(document) as Schema;
    const shared = { $id: DOCUMENT_ID, components: converted.components };
    this.requestAjv = new Ajv({ strict: false, allErrors: true, validateSchema: false, logger: false });
    addFormats.default(this.requestAjv);
    for (const format of OPAQUE_FORMATS) this.requestAjv.addFormat(format, true);
    this.requestAjv.addSchema(shared, DOCUMENT_ID);
    this.responseAjv = new Ajv({
      strict: false,
      allErrors: true,
      validateSchema: false,
      logger: false,
      validateFormats: false,
    });
    this.responseAjv.addSchema(shared, DOCUMENT_ID);
    const components = converted.components as Record<string, Record<string, Schema>>;
    for (const [template, item] of Object.entries(
      converted.paths as Record<string, Record<string, Schema>>,
    )) {
      for (const method of METHODS) {
        const raw = item[method];
        if (!raw) continue;
        const operation = toOperation(method.toUpperCase(), template, raw, components);
        this.insert(template, operation);
        this.responseSchemas.set(operationKey(operation), responseSchemas(raw, components));
      }
    }
  }

  /** Finds the operation for a method and a raw (still percent-encoded) path. */
  match(method: string, rawPath: string): RouteMatch {
    const segments = rawPath.split('/').slice(1).map(safeDecode);
    const found = findNode(this.root, segments, 0, []);
    if (!found) return { kind: 'no-path' };
    const operation = found.node.operations.get(method.toUpperCase());
    if (!operation) return { kind: 'method-not-allowed', allowed: [...found.node.operations.keys()] };
    // Templates that share a parameter position may name it differently (`{ref}`, `{commit_sha}`).
    const names = [...operation.template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
    return {
      kind: 'operation',
      operation,
      pathParams: Object.fromEntries(names.map((n, i) => [n, found.values[i]!])),
    };
  }

  /**
   * Checks path and query parameters (types, enums, required) and a JSON body against the
   * operation. Query values arrive as strings; they are read as the parameter's schema type first.
   */
  checkRequest(
    operation: ApiOperation,
    input: { pathParams: Record<string, string>; query: Record<string, string | string[]>; body: Json },
  ): RequestProblem[] {
    const validate = this.requestValidator(operation);
    const data = {
      path: coerceParams(operation, 'path', input.pathParams),
      query: coerceParams(operation, 'query', input.query),
      ...(input.body === undefined ? {} : { body: input.body }),
    };
    if (validate(data)) return [];
    return (validate.errors ?? []).filter(isLeafError).map(toProblem);
  }

  /**
   * Checks a JSON response of the double against the documented response for its status.
   * Returns the problems found; an undocumented status is itself a problem.
   */
  checkResponse(operation: ApiOperation, status: number, body: Json): string[] {
    const key = `${operationKey(operation)} ${status}`;
    let validate = this.responseValidators.get(key);
    if (validate === undefined) {
      const schemas = this.responseSchemas.get(operationKey(operation));
      const code = [String(status), `${String(status)[0]}XX`].find((c) => schemas?.has(c));
      if (code === undefined) return [`status ${status} is not documented for ${operation.operationId}`];
      const schema = schemas!.get(code)!;
      validate = schema === null ? null : this.responseAjv.compile(schema);
      this.responseValidators.set(key, validate);
    }
    if (validate === null || validate(body)) return [];
    return (validate.errors ?? [])
      .filter(isLeafError)
      .map((e) => `${e.instancePath || '(root)'} ${e.message}`);
  }

  private requestValidator(operation: ApiOperation): ValidateFunction {
    const key = operationKey(operation);
    let validate = this.requestValidators.get(key);
    if (!validate) {
      validate = this.requestAjv.compile(requestSchema(operation));
      this.requestValidators.set(key, validate);
    }
    return validate;
  }

  private insert(template: string, operation: ApiOperation): void {
    let node = this.root;
    for (const segment of template.split('/').slice(1)) {
      node = segment.includes('{') ? paramChild(node, segmentPattern(segment)) : literalChild(node, segment);
    }
    node.operations.set(operation.method, operation);
  }
}

let cached: GitHubOpenApi | undefined;

/** GitHub's REST description, read and indexed once per process (it is 13 MB). */
export function loadGitHubOpenApi(): GitHubOpenApi {
  if (!cached) {
    const require = createRequire(import.meta.url);
    const file = require.resolve('@octokit/openapi/generated/api.github.com.json');
    cached = new GitHubOpenApi(JSON.parse(readFileSync(file, 'utf8')) as Schema);
  }
  return cached;
}

const operationKey = (operation: ApiOperation): string => `${operation.method} ${operation.template}`;

/**
 * OpenAPI 3.0 schema → JSON Schema for ajv: `nullable: true` becomes "null or the schema" (the 3.0.3
 * reading, which also admits null past an `enum`), and local `#/…` references point into the document
 * registered under DOCUMENT_ID so that any operation's schema can be compiled on its own.
 */
function toJsonSchema(node: Json): Json {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (node === null || typeof node !== 'object') return node;
  const out: Schema = {};
  for (const [key, value] of Object.entries(node as Schema)) {
    if (key === 'examples' || key === 'example' || key === 'nullable') continue;
    out[key] =
      key === '$ref' && typeof value === 'string' && value.startsWith('#/')
        ? DOCUMENT_ID + value
        : toJsonSchema(value);
  }
  return (node as Schema).nullable === true ? { anyOf: [{ type: 'null' }, out] } : out;
}

function resolve(node: Schema, components: Record<string, Record<string, Schema>>): Schema {
  const ref = node.$ref;
  if (typeof ref !== 'string') return node;
  const [, , section, name] = ref.slice(DOCUMENT_ID.length).split('/');
  const target = components[section ?? '']?.[name ?? ''];
  if (!target) throw new Error(`unresolvable reference ${ref}`);
  return resolve(target, components);
}

function toOperation(
  method: string,
  template: string,
  raw: Schema,
  components: Record<string, Record<string, Schema>>,
): ApiOperation {
  const parameters = ((raw.parameters as Schema[] | undefined) ?? []).map((p) => {
    const param = resolve(p, components);
    return {
      name: param.name as string,
      in: param.in as ApiParameter['in'],
      required: param.required === true,
      schema: (param.schema as Schema | undefined) ?? {},
    };
  });
  const body = raw.requestBody ? resolve(raw.requestBody as Schema, components) : undefined;
  const content = (body?.content as Record<string, Schema> | undefined) ?? {};
  const servers = (raw.servers as { url: string }[] | undefined) ?? [];
  const docs = raw.externalDocs as { url?: string } | undefined;
  const jsonBody = content['application/json']?.schema as Schema | undefined;
  return {
    operationId: raw.operationId as string,
    method,
    template,
    docsUrl: docs?.url ?? 'https://docs.github.com/rest',
    uploads: servers.some((s) => s.url.includes('uploads.github.com')),
    parameters,
    bodyMediaTypes: Object.keys(content),
    bodyRequired: body?.required === true,
    ...(jsonBody ? { jsonBodySchema: jsonBody } : {}),
  };
}

/** Response schemas by status code; null where the status is documented without a JSON body. */
function responseSchemas(
  raw: Schema,
  components: Record<string, Record<string, Schema>>,
): Map<string, Schema | null> {
  const out = new Map<string, Schema | null>();
  for (const [status, value] of Object.entries((raw.responses as Record<string, Schema>) ?? {})) {
    const response = resolve(value, components);
    const content = response.content as Record<string, { schema?: Schema }> | undefined;
    out.set(status, content?.['application/json']?.schema ?? null);
  }
  return out;
}

function requestSchema(operation: ApiOperation): Schema {
  const body = operation.jsonBodySchema;
  const group = (where: 'path' | 'query'): Schema => {
    const params = operation.parameters.filter((p) => p.in === where);
    return {
      type: 'object',
      properties: Object.fromEntries(params.map((p) => [p.name, p.schema])),
      required: params.filter((p) => p.required).map((p) => p.name),
    };
  };
  const required = ['path', 'query'];
  if (body && operation.bodyRequired) required.push('body');
  return {
    type: 'object',
    properties: { path: group('path'), query: group('query'), ...(body ? { body } : {}) },
    required,
  };
}

/** Reads string parameter values as the type their schema declares, leaving unreadable ones as text. */
function coerceParams(
  operation: ApiOperation,
  where: 'path' | 'query',
  values: Record<string, string | string[]>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(values)) {
    const param = operation.parameters.find((p) => p.in === where && p.name === name);
    out[name] = param ? coerceValue(param.schema, value) : value;
  }
  return out;
}

function coerceValue(schema: Schema, value: string | string[]): unknown {
  const type = schema.type;
  if (type === 'array')
    return (Array.isArray(value) ? value : value.split(',')).map((v) =>
      coerceValue((schema.items as Schema) ?? {}, v),
    );
  const text = Array.isArray(value) ? value[value.length - 1]! : value;
  if (
    (type === 'integer' && /^-?\d+$/.test(text)) ||
    (type === 'number' && text.trim() !== '' && Number.isFinite(Number(text)))
  ) {
    return Number(text);
  }
  if (type === 'boolean' && (text === 'true' || text === 'false')) return text === 'true';
  return text;
}

/** Drops ajv's summary errors ("must match a schema in anyOf") when a more precise one exists. */
function isLeafError(error: ErrorObject, _index: number, all: ErrorObject[]): boolean {
  if (!['anyOf', 'oneOf', 'allOf', 'if'].includes(error.keyword)) return true;
  return !all.some(
    (other) =>
      other !== error &&
      other.instancePath.startsWith(error.instancePath) &&
      !['anyOf', 'oneOf', 'allOf', 'if'].includes(other.keyword),
  );
}

function toProblem(error: ErrorObject): RequestProblem {
  const missing =
    error.keyword === 'required' ? (error.params as { missingProperty: string }).missingProperty : undefined;
  const path = error.instancePath
    .split('/')
    .slice(1)
    .concat(missing ? [missing] : []);
  const field = path.join('.');
  const detail =
    error.keyword === 'enum'
      ? `${error.message}: ${(error.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`
      : error.message;
  return missing
    ? { field, code: 'missing_field', message: `${field} is missing` }
    : { field, code: 'invalid', message: `${field} ${detail}` };
}

function literalChild(node: TrieNode, segment: string): TrieNode {
  const existing = node.literal.get(segment);
  if (existing) return existing;
  const child = newNode();
  node.literal.set(segment, child);
  return child;
}

function paramChild(node: TrieNode, pattern: RegExp): TrieNode {
  const existing = node.params.find((p) => p.pattern.source === pattern.source);
  if (existing) return existing.node;
  const child = newNode();
  node.params.push({ pattern, node: child });
  return child;
}

/** A regular expression for one template segment: `{tag}` or `{base}...{head}`. */
function segmentPattern(segment: string): RegExp {
  const source = segment
    .split(/(\{[^}]+\})/)
    .filter(Boolean)
    .map((part) => (part.startsWith('{') ? '(.+?)' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`);
}

/** Depth-first over the trie: literal segments win over parameters, as GitHub's router does. */
function findNode(
  node: TrieNode,
  segments: string[],
  index: number,
  values: string[],
): { node: TrieNode; values: string[] } | undefined {
  if (index === segments.length) return node.operations.size > 0 ? { node, values } : undefined;
  const segment = segments[index]!;
  const literal = node.literal.get(segment);
  const viaLiteral = literal && findNode(literal, segments, index + 1, values);
  if (viaLiteral) return viaLiteral;
  if (segment === '') return undefined;
  for (const param of node.params) {
    const m = param.pattern.exec(segment);
    if (!m) continue;
    const found = findNode(param.node, segments, index + 1, [...values, ...m.slice(1)]);
    if (found) return found;
  }
  return undefined;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
