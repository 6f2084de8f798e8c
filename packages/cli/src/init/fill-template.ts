/**
 * What `mlactions init` fills in. A template line ending in `# init: <setting>` has its value
 * replaced by the one the settings give; a line ending in `# init-if: <condition>` is kept only when
 * the condition holds, and so are the lines between a line that is only `# init-if: <condition>` and
 * the next `# init-end`. The markers never reach the user's repository.
 */
export interface InitSettings {
  store?: string;
  name?: string;
  environment?: string;
  /** Runner labels for GPU jobs, written as a YAML flow sequence; hosted runners without them. */
  gpuLabels?: string[];
  /** The one command line that trains: it writes model.onnx and `$MLACTIONS_METRICS_FILE`. */
  trainCommand?: string;
  /** A Python version for actions/setup-python; no Python set-up without it. */
  python?: string;
  /** Whether the target repository has a requirements.txt (`pip install -r` it after setup-python). */
  requirements?: boolean;
  /** The IAM role the jobs that touch an s3:// store assume through OIDC. */
  awsRoleArn?: string;
  awsRegion?: string;
  /** Where the pull-request report takes its baseline: the store's `production` version, or git. */
  baseline?: 'production' | 'git';
  /**
   * The commit of the release this CLI was built from: mlactions' own actions are then pinned to it
   * (`@<sha> # v1.2.3`) rather than to their tag, which a release could move.
   */
  releaseSha?: string;
}

/** The conditions a template's `# init-if:` markers may name. */
const CONDITIONS = {
  gpu: (s: InitSettings) => s.gpuLabels !== undefined,
  hosted: (s: InitSettings) => s.gpuLabels === undefined,
  s3: (s: InitSettings) => storeKind(s) === 's3',
  'github-release': (s: InitSettings) => storeKind(s) === 'github-release',
  python: (s: InitSettings) => s.python !== undefined,
  requirements: (s: InitSettings) => s.python !== undefined && s.requirements === true,
  'store-baseline': (s: InitSettings) => s.baseline !== 'git',
  'git-baseline': (s: InitSettings) => s.baseline === 'git',
} satisfies Record<string, (s: InitSettings) => boolean>;

/** The store's scheme; a template's own default store is the repository's releases. */
function storeKind(settings: InitSettings): string {
  return settings.store === undefined ? 'github-release' : settings.store.split(':')[0]!;
}

const VALUE_MARKER = /^(?<key>\s*(?:- )?[A-Za-z0-9_-]+:\s*)(?<value>.*?)\s*# init: (?<setting>[a-z-]+)\s*$/;
const LINE_IF = /^(?<line>.*?\S)\s*# init-if: (?<condition>[a-z0-9-]+)\s*$/;
const BLOCK_IF = /^\s*# init-if: (?<condition>[a-z0-9-]+)\s*$/;
const BLOCK_END = /^\s*# init-end\s*$/;

/** A YAML scalar that reads back as exactly this text and can never be a workflow expression. */
function scalar(text: string): string {
  return JSON.stringify(text.replaceAll('${{', '$ {{'));
}

/** The settings a template takes as they are, quoted as YAML scalars; the marker's name → the setting. */
const TEXT_SETTINGS = {
  store: 'store',
  name: 'name',
  environment: 'environment',
  'train-command': 'trainCommand',
  python: 'python',
  'aws-role-arn': 'awsRoleArn',
  'aws-region': 'awsRegion',
} as const satisfies Record<string, keyof InitSettings>;

function valueFor(setting: string, settings: InitSettings): string | undefined {
  if (Object.hasOwn(TEXT_SETTINGS, setting)) {
    const value = settings[TEXT_SETTINGS[setting as keyof typeof TEXT_SETTINGS]];
    return value === undefined ? undefined : scalar(value);
  }
  const labels = settings.gpuLabels && `[${settings.gpuLabels.map(scalar).join(', ')}]`;
  switch (setting) {
    case 'gpu-labels':
      return labels;
    case 'runs-on':
      return labels ?? 'ubuntu-latest';
    case 'require-gpu':
      return String(settings.gpuLabels !== undefined);
    // Only a github-release:// store writes to the repository (its releases).
    case 'store-contents':
      return storeKind(settings) === 'github-release' ? 'write' : 'read';
    default:
      throw new Error(`template marker "# init: ${setting}" names no setting of mlactions init`);
  }
}

function holds(condition: string, settings: InitSettings): boolean {
  const test = CONDITIONS[condition as keyof typeof CONDITIONS];
  if (test === undefined) throw new Error(`template marker "# init-if: ${condition}" names no condition`);
  return test(settings);
}

const OWN_ACTION =
  /^(?<uses>\s*(?:- )?uses: mlactions\/mlactions\/actions\/[a-z-]+)@(?<tag>v\d+\.\d+\.\d+)\s*$/;

/**
 * Fills one template: keeps the lines its choices call for, fills the values, pins our actions.
 * The settings that the kept lines ask for are added to `used`.
 */
export function fillTemplate(text: string, settings: InitSettings, used = new Set<string>()): string {
  const out: string[] = [];
  let skipping: boolean | undefined;
  for (const line of text.split('\n')) {
    const block = BLOCK_IF.exec(line);
    if (block?.groups) {
      if (skipping !== undefined) throw new Error('template markers "# init-if:" may not nest');
      skipping = !holds(block.groups.condition!, settings);
      continue;
    }
    if (BLOCK_END.test(line)) {
      if (skipping === undefined) throw new Error('template marker "# init-end" closes no "# init-if:"');
      skipping = undefined;
      continue;
    }
    if (skipping) continue;
    const only = LINE_IF.exec(line);
    if (only?.groups) {
      if (holds(only.groups.condition!, settings)) out.push(fillLine(only.groups.line!, settings, used));
      continue;
    }
    out.push(fillLine(line, settings, used));
  }
  if (skipping !== undefined) throw new Error('template marker "# init-if:" is never closed by "# init-end"');
  return out.join('\n');
}

function fillLine(line: string, settings: InitSettings, used: Set<string>): string {
  const own = settings.releaseSha === undefined ? null : OWN_ACTION.exec(line);
  if (own?.groups) return `${own.groups.uses}@${settings.releaseSha} # ${own.groups.tag}`;
  const match = VALUE_MARKER.exec(line);
  if (!match?.groups) return line;
  const { key, value, setting } = match.groups as { key: string; value: string; setting: string };
  used.add(setting);
  return `${key}${valueFor(setting, settings) ?? value}`;
}
