import { type Document, LineCounter, type Node, parseDocument, Scalar, type ScalarTag, visit } from 'yaml';
import { UserError } from '../user-error.ts';
import { parseNumber } from './numbers.ts';

/** The text formats whose content is a tree of maps, lists and scalars. */
export type TreeFormat = 'json' | 'yaml';

/**
 * Plain (unquoted) NaN and infinity in the spellings Python's json.dumps, numpy and people write
 * (`NaN`, `nan`, `Infinity`, `-inf`): YAML's core schema only knows `.nan` and `.inf`, JSON none.
 */
const nonFiniteTag: ScalarTag = {
  tag: 'tag:yaml.org,2002:float',
  default: true,
  test: /^[-+]?(?:nan|inf(?:inity)?)$/i,
  resolve: (text) => parseNumber(text)!,
};

/**
 * The deepest nesting of objects and lists a metrics file may have. Real files nest a few levels;
 * thousands would overflow the stack of the parsers and of every walk over the tree.
 */
export const MAX_METRICS_DEPTH = 64;

/**
 * Refuses text whose brackets nest deeper than MAX_METRICS_DEPTH, before any parser recurses into it.
 * Brackets inside quoted strings do not count.
 */
function checkDepth(text: string, file: string, firstLine: number): void {
  let depth = 0;
  let quote: string | undefined;
  let line = firstLine;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') line++;
    if (quote !== undefined) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '{' || c === '[') {
      depth++;
      if (depth > MAX_METRICS_DEPTH) {
        throw new UserError(
          `${file}:${line}: objects and lists nest deeper than ${MAX_METRICS_DEPTH} levels here; ` +
            'metrics nest a few levels at most. Flatten the file.',
        );
      }
    } else if (c === '}' || c === ']') depth--;
  }
}

/** Matches each JSON string token, and the colon after it when it is a key. */
const JSON_STRING = /"(?:[^"\\]|\\.)*"\s*(:)?/g;

/** How many keys the objects of a parsed JSON value hold, nested ones included. */
function countKeys(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  const children = Object.values(value);
  return (
    (Array.isArray(value) ? 0 : children.length) +
    children.reduce((sum: number, child) => sum + countKeys(child), 0)
  );
}

/**
 * The fast path for well-formed JSON without duplicate keys (nearly every file, and every JSONL line):
 * JSON.parse, then a check that no key was silently overwritten, i.e. that the text holds as many keys
 * as the result. Anything else (NaN, duplicates, errors) takes the slower YAML path, which locates it.
 */
function parseStrictJson(text: string): { value: unknown } | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  let keys = 0;
  for (const match of text.matchAll(JSON_STRING)) if (match[1] !== undefined) keys++;
  return keys === countKeys(value) ? { value } : undefined;
}

/** Where a byte offset of the text lies, for error messages: `file:line:column`. */
function locate(file: string, lineCounter: LineCounter, offset: number, firstLine: number): string {
  const { line, col } = lineCounter.linePos(offset);
  return `${file}:${line + firstLine - 1}:${col}`;
}

/**
 * Parses JSON or YAML text into plain values. Both go through one YAML 1.2 parser (JSON is YAML), which
 * gives every error a line and column and rejects duplicate keys; JSON additionally may hold NaN and
 * Infinity as Python writes them, and bare words or missing values are refused as JSON would refuse
 * them. `firstLine` numbers the lines of a fragment (a JSONL line) as they are in its file.
 */
export function parseTree(text: string, file: string, format: TreeFormat, firstLine = 1): unknown {
  checkDepth(text, file, firstLine);
  if (format === 'json') {
    const strict = parseStrictJson(text);
    if (strict !== undefined) return strict.value;
  }
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { customTags: [nonFiniteTag], lineCounter, prettyErrors: false });
  const language = format === 'json' ? 'JSON' : 'YAML';
  const [error] = document.errors;
  if (error) {
    const where = locate(file, lineCounter, error.pos[0], firstLine);
    if (error.code === 'DUPLICATE_KEY') {
      throw new UserError(`${where}: a key appears twice in the same object. Give each metric one value.`);
    }
    throw new UserError(`${where}: this is not valid ${language} (${error.message}). Fix the file.`);
  }
  if (format === 'json') checkJsonSyntax(document, file, lineCounter, firstLine);
  return document.toJS({ maxAliasCount: 100 });
}

/**
 * Refuses what YAML accepts but JSON does not: block-style YAML, bare words (`tru`), single quotes and
 * missing values (`{"a": }`, `{"a", "b": 1}`). Trailing commas pass: they hide no ambiguity.
 */
function checkJsonSyntax(
  document: Document,
  file: string,
  lineCounter: LineCounter,
  firstLine: number,
): void {
  const refuse = (node: Node | null): never => {
    const offset = node?.range?.[0] ?? 0;
    throw new UserError(
      `${locate(file, lineCounter, offset, firstLine)}: expected JSON (objects in braces, strings in double quotes, ` +
        'numbers, true, false, null). Fix the file.',
    );
  };
  visit(document, {
    Map: (_, node) => (node.flow ? undefined : refuse(node)),
    Seq: (_, node) => (node.flow ? undefined : refuse(node)),
    Pair: (_, pair) => (pair.value === null ? refuse(pair.key as Node) : undefined),
    Scalar(_, node) {
      if (node.type === Scalar.QUOTE_DOUBLE) return;
      const empty = node.range !== undefined && node.range !== null && node.range[0] === node.range[1];
      const value = node.value;
      const literal = typeof value === 'number' || typeof value === 'boolean' || value === null;
      if (node.type !== Scalar.PLAIN || empty || !literal) refuse(node);
    },
  });
}
