/**
 * What `mlactions init` fills in. A template line ending in `# init: <setting>` has its value
 * replaced when the user gave that setting; the marker comment never reaches the user's repository.
 */
export interface InitSettings {
  store?: string;
  name?: string;
  environment?: string;
  /** Runner labels for GPU jobs, written as a YAML flow sequence. */
  gpuLabels?: string[];
  /**
   * The commit of the release this CLI was built from: mlactions' own actions are then pinned to it
   * (`@<sha> # v1.2.3`) rather than to their tag, which a release could move.
   */
  releaseSha?: string;
}

const MARKER = /^(?<key>\s*(?:- )?[A-Za-z0-9_-]+:\s*)(?<value>.*?)\s*# init: (?<setting>[a-z-]+)\s*$/;

/** A YAML scalar that reads back as exactly this text and can never be a workflow expression. */
function scalar(text: string): string {
  return JSON.stringify(text.replaceAll('${{', '$ {{'));
}

function valueFor(setting: string, settings: InitSettings): string | undefined {
  switch (setting) {
    case 'store':
      return settings.store === undefined ? undefined : scalar(settings.store);
    case 'name':
      return settings.name === undefined ? undefined : scalar(settings.name);
    case 'environment':
      return settings.environment === undefined ? undefined : scalar(settings.environment);
    case 'gpu-labels':
      return settings.gpuLabels === undefined ? undefined : `[${settings.gpuLabels.map(scalar).join(', ')}]`;
    default:
      throw new Error(`template marker "# init: ${setting}" names no setting of mlactions init`);
  }
}

const OWN_ACTION =
  /^(?<uses>\s*(?:- )?uses: mlactions\/mlactions\/actions\/[a-z-]+)@(?<tag>v\d+\.\d+\.\d+)\s*$/;

/** Fills one template's marked values, removes the markers and pins our actions to the release. */
export function fillTemplate(text: string, settings: InitSettings): string {
  return text
    .split('\n')
    .map((line) => {
      const own = settings.releaseSha === undefined ? null : OWN_ACTION.exec(line);
      if (own?.groups) return `${own.groups.uses}@${settings.releaseSha} # ${own.groups.tag}`;
      const match = MARKER.exec(line);
      if (!match?.groups) return line;
      const { key, value, setting } = match.groups as { key: string; value: string; setting: string };
      return `${key}${valueFor(setting, settings) ?? value}`;
    })
    .join('\n');
}
