// Validates every action's metadata (actions/*/action.yml and test/fixtures/actions/*/action.yml)
// against SchemaStore's github-action schema (schemas/github-action.json, see the note beside it), and
// against this project's own rules: `runs.using` is node24, and the scripts `runs` names exist.
//
//   node scripts/check-action-metadata.mjs [--root <dir>]
//
// Prints one line per problem (`file:line: message`) and exits 1 if there is any.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { isMap, isScalar, LineCounter, parseDocument } from 'yaml';

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SCHEMA_FILE = join(REPO_ROOT, 'schemas', 'github-action.json');

/** Folders whose subfolders are actions. */
export const ACTION_DIRS = ['actions', 'test/fixtures/actions'];

/** The runtime every mlactions action declares (DESIGN.md, ground rules). */
export const REQUIRED_USING = 'node24';

/** Every action.yml / action.yaml one level below the action folders. */
export function findActionFiles(root = REPO_ROOT, dirs = ACTION_DIRS) {
  const files = [];
  for (const dir of dirs) {
    const base = join(root, dir);
    if (!existsSync(base)) continue;
    for (const name of readdirSync(base).sort()) {
      if (!statSync(join(base, name)).isDirectory()) continue;
      for (const file of ['action.yml', 'action.yaml']) {
        if (existsSync(join(base, name, file))) files.push(join(base, name, file));
      }
    }
  }
  return files;
}

let schema;
/** The compiled schema, and a validator for each `runs` variant in its definitions. */
function compiled() {
  if (!schema) {
    // SchemaStore schemas use keywords Ajv's strict mode would refuse to compile (`$comment`-only
    // branches, `if` beside `properties`); they are valid draft-07, so strict mode is off.
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    const json = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8'));
    const variant = (name) => ajv.getSchema(`${json.$id}#/definitions/${name}`);
    ajv.addSchema(json);
    schema = {
      whole: ajv.getSchema(json.$id),
      runs: {
        javascript: variant('runs-javascript'),
        composite: variant('runs-composite'),
        docker: variant('runs-docker'),
      },
      usings: [...json.definitions['runs-javascript'].properties.using.enum, 'composite', 'docker'],
    };
  }
  return schema;
}

/** Ajv's errors for a value, or none. */
function errorsOf(validator, value) {
  return validator(value) ? [] : validator.errors;
}

/**
 * Schema errors for an action's metadata. The schema's `runs` is a oneOf of three variants, so one
 * mistake there fails all three; `runs` is checked instead against the variant its `using` selects.
 */
function schemaErrors(value) {
  const { whole, runs, usings } = compiled();
  const outsideRuns = errorsOf(whole, value).filter((e) => !/^\/runs(\/|$)/.test(e.instancePath));
  const r = value?.runs;
  if (r === undefined) return outsideRuns;
  if (typeof r !== 'object' || r === null || Array.isArray(r))
    return [
      ...outsideRuns,
      { instancePath: '/runs', keyword: 'type', params: {}, message: 'must be a mapping' },
    ];
  const variant =
    typeof r.using === 'string' && r.using.startsWith('node') && usings.includes(r.using)
      ? runs.javascript
      : runs[r.using];
  if (!variant)
    return [
      ...outsideRuns,
      { instancePath: '/runs/using', keyword: 'enum', params: { allowedValues: usings }, message: '' },
    ];
  const inRuns = errorsOf(variant, r).map((e) => ({ ...e, instancePath: `/runs${e.instancePath}` }));
  return [...outsideRuns, ...inRuns];
}

/** `/runs/steps/0` → ['runs', 'steps', 0] */
function pathSegments(instancePath) {
  return instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function dotted(segments) {
  return segments.length === 0 ? 'the top level' : segments.join('.');
}

/**
 * The 1-based line of `key` inside the mapping at `segments`, or of the key that holds the value at
 * `segments` (so a missing or wrong value points at the line that names it).
 */
function lineOf(doc, lineCounter, segments, key) {
  const parentSegments = key === undefined ? segments.slice(0, -1) : segments;
  const name = key === undefined ? segments.at(-1) : key;
  const parent = parentSegments.length === 0 ? doc.contents : doc.getIn(parentSegments, true);
  let offset;
  if (name !== undefined && isMap(parent)) {
    offset = parent.items.find((p) => isScalar(p.key) && p.key.value === name)?.key?.range?.[0];
  }
  offset ??= (segments.length === 0 ? doc.contents : doc.getIn(segments, true))?.range?.[0];
  return offset === undefined ? undefined : lineCounter.linePos(offset).line;
}

/** One readable sentence for an Ajv error. */
function describe(error) {
  const at = dotted(pathSegments(error.instancePath));
  switch (error.keyword) {
    case 'additionalProperties':
      return {
        key: error.params.additionalProperty,
        message: `unknown key "${error.params.additionalProperty}" in ${at}`,
      };
    case 'required':
      return { message: `${at} is missing the required key "${error.params.missingProperty}"` };
    case 'enum':
      return {
        message: `${at} must be one of ${error.params.allowedValues.map((v) => JSON.stringify(v)).join(', ')}`,
      };
    case 'const':
      return { message: `${at} must be ${JSON.stringify(error.params.allowedValue)}` };
    default:
      return { message: `${at} ${error.message}` };
  }
}

/** The problems of one action metadata file: `{ file, line?, message }`, file relative to root. */
export function checkActionFile(file, root = REPO_ROOT) {
  const rel = relative(root, file);
  const lineCounter = new LineCounter();
  const doc = parseDocument(readFileSync(file, 'utf8'), { lineCounter });
  if (doc.errors.length > 0) {
    return doc.errors.map((e) => ({ file: rel, line: e.linePos?.[0]?.line, message: `YAML: ${e.message}` }));
  }
  const value = doc.toJS();
  const problems = [];
  const using = value?.runs?.using;
  for (const error of schemaErrors(value)) {
    const { key, message } = describe(error);
    problems.push({
      file: rel,
      line: lineOf(doc, lineCounter, pathSegments(error.instancePath), key),
      message,
    });
  }
  if (value?.runs && using !== REQUIRED_USING) {
    problems.push({
      file: rel,
      line: lineOf(doc, lineCounter, ['runs', 'using']) ?? lineOf(doc, lineCounter, ['runs']),
      message: `runs.using is ${JSON.stringify(using ?? null)}; mlactions actions run on ${REQUIRED_USING} (set runs.using: ${REQUIRED_USING})`,
    });
  }
  for (const field of ['main', 'pre', 'post']) {
    const script = value?.runs?.[field];
    if (typeof script !== 'string') continue;
    if (!existsSync(resolve(dirname(file), script))) {
      problems.push({
        file: rel,
        line: lineOf(doc, lineCounter, ['runs', field]),
        message: `runs.${field} names ${script}, which does not exist beside action.yml (build the bundles: node scripts/build.mjs)`,
      });
    }
  }
  return problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}

/** Checks every action under `dirs`; no action at all is a problem too. */
export function checkActionMetadata({ root = REPO_ROOT, dirs = ACTION_DIRS } = {}) {
  const files = findActionFiles(root, dirs);
  const problems = files.flatMap((file) => checkActionFile(file, root));
  if (files.length === 0) problems.push({ file: dirs.join(', '), message: 'no action.yml found' });
  return { files: files.map((f) => relative(root, f)), problems };
}

export function formatProblem(p) {
  return `${p.file}${p.line ? `:${p.line}` : ''}: ${p.message}`;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const rootFlag = process.argv.indexOf('--root');
  const root = rootFlag > 0 ? resolve(process.argv[rootFlag + 1] ?? '.') : REPO_ROOT;
  const { files, problems } = checkActionMetadata({ root });
  for (const p of problems) console.error(formatProblem(p));
  if (problems.length > 0) {
    console.error(`action metadata: ${problems.length} problem(s) in ${files.length} file(s)`);
    process.exit(1);
  }
  console.log(`action metadata: ${files.length} file(s) valid`);
}
