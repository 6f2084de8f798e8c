import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { REPO_ROOT } from './harness/index.ts';

const read = (name: string) => readFileSync(join(REPO_ROOT, 'templates/runners', name), 'utf8');

/** A systemd unit's settings by section, each key with every value it is given (continuations joined). */
function parseUnit(text: string): { comments: string; sections: Record<string, Record<string, string[]>> } {
  const sections: Record<string, Record<string, string[]>> = {};
  const comments: string[] = [];
  let section: Record<string, string[]> | undefined;
  const lines = text.replace(/\\\n/g, ' ').split('\n');
  for (const line of lines.map((l) => l.trim())) {
    if (line.startsWith('#') || line.startsWith(';')) comments.push(line.slice(1).trim());
    else if (/^\[.+\]$/.test(line)) {
      section = {};
      sections[line.slice(1, -1)] = section;
    } else if (line !== '') {
      const eq = line.indexOf('=');
      if (eq < 0 || !section) throw new Error(`not a unit setting: ${line}`);
      const key = line.slice(0, eq).trim();
      section[key] = [...(section[key] ?? []), line.slice(eq + 1).trim()];
    }
  }
  return { comments: comments.join(' '), sections };
}

/** Whether an IPv4 address lies in a CIDR block. */
function inCidr(address: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/');
  if (!base?.includes('.')) return false;
  const toInt = (ip: string) => ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);
  const size = 2 ** (32 - Number(bits));
  return Math.floor(toInt(address) / size) === Math.floor(toInt(base) / size);
}

const SAFETY_WORDS = [
  /private repositories only/i,
  /dedicated runner group limited to selected repositories\s+and selected workflows/i,
  /fork pull requests for all outside collaborators/i,
  /CUDA_VISIBLE_DEVICES[^.]*not isolation/i,
  /What is NOT isolated/,
];

describe('the systemd unit for a fixed GPU host', () => {
  const { comments, sections } = parseUnit(read('mlactions-gpu-runner@.service'));
  const service = sections.Service!;
  const one = (key: string) => {
    expect(service[key], key).toHaveLength(1);
    return service[key]![0]!;
  };

  it('runs each instance’s runner as its own user while the key stays with root', () => {
    expect(service.User).toBeUndefined();
    const start = one('ExecStart');
    expect(start).toMatch(/ runner jit .*--start \/opt\/actions-runner\/%i\/run\.sh/);
    expect(start).toMatch(/--run-as gpu-runner-%i\b/);
    // Nothing secret or pointing at a secret on the command line.
    expect(start).not.toMatch(/--token|--private-key|PRIVATE_KEY|\.pem|APP_ID/);
    expect(one('LoadCredential')).toBe('app.pem:/etc/mlactions/app.pem');
    expect(service.Environment).toContain('PRIVATE_KEY_FILE=%d/app.pem');
    expect(service.Environment).toContain('CUDA_VISIBLE_DEVICES=%i');
  });

  it('gives every job a new _work, HOME and /tmp, and the rest of the system read-only', () => {
    const pre = one('ExecStartPre');
    expect(pre.startsWith('+')).toBe(true);
    // systemd expands $name itself; the shell's variables are written $$name.
    expect(pre).not.toMatch(/(?<!\$)\$[a-z]/);
    expect(pre).toMatch(/rm -rf "\$\$d\/_work" "\$\$d\/_diag" "\$\$h"/);
    expect(pre).toContain('h=/var/lib/mlactions-runner/%i/home');
    expect(one('PrivateTmp')).toBe('yes');
    expect(one('ProtectSystem')).toBe('strict');
    expect(one('ProtectHome')).toBe('yes');
    expect(one('NoNewPrivileges')).toBe('yes');
    const writable = service.ReadWritePaths!.flatMap((v) => v.split(/\s+/));
    expect(writable).toEqual(
      expect.arrayContaining(['/opt/actions-runner/%i/_work', '/var/lib/mlactions-runner/%i/home']),
    );
    // The install itself, its binaries and the unit's configuration are never writable by the job.
    for (const path of writable) {
      expect(path).toMatch(/^\/(opt\/actions-runner|var\/lib\/mlactions-runner)\/%i\/[^/]+/);
      expect(path).not.toMatch(/\/(bin|externals)\b|\/etc\//);
    }
  });

  it('says what is isolated and what is not, and where it may be used', () => {
    for (const words of SAFETY_WORDS) expect(comments).toMatch(words);
    expect(comments).toMatch(/its own VM or pod/);
  });
});

describe('the ARC scale set for a Kubernetes GPU pool', () => {
  const text = read('gpu-scale-set-values.yaml.example');
  const values = parseYaml(text);
  const spec = values.template.spec;
  const runner = spec.containers.find((c: { name: string }) => c.name === 'runner');

  it('gives each runner one GPU on the GPU nodes and scales to zero', () => {
    expect(values.minRunners).toBe(0);
    expect(runner.resources.limits['nvidia.com/gpu']).toBe(1);
    expect(spec.tolerations).toContainEqual({
      key: 'nvidia.com/gpu',
      operator: 'Exists',
      effect: 'NoSchedule',
    });
    expect(spec.nodeSelector).toEqual({ 'nvidia.com/gpu.present': 'true' });
    expect(runner.env).toContainEqual({ name: 'NVIDIA_DRIVER_CAPABILITIES', value: 'compute,utility' });
  });

  it('pins the runner image by digest and runs it unprivileged, without a service-account token', () => {
    expect(runner.image).toMatch(/^ghcr\.io\/actions\/actions-runner:[\d.]+@sha256:[0-9a-f]{64}$/);
    expect(runner.securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 1001,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    });
    expect(spec.automountServiceAccountToken).toBe(false);
    expect(values.runnerGroup).toBeTruthy();
    expect(values.runnerGroup).not.toBe('default');
  });

  it('says what is isolated and what is not, and where it may be used', () => {
    const comments = text
      .split('\n')
      .filter((l) => l.trim().startsWith('#'))
      .map((l) => l.trim().slice(1).trim())
      .join(' ');
    for (const words of SAFETY_WORDS.filter((w) => !/CUDA/.test(String(w)))) expect(comments).toMatch(words);
    expect(comments).toMatch(/CUDA_VISIBLE_DEVICES alone would not be isolation/);
  });

  it('comes with a NetworkPolicy that keeps its pods from the cloud metadata address', () => {
    const policy = parseYaml(read('gpu-runner-networkpolicy.yaml.example'));
    expect(policy).toMatchObject({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy' });
    expect(policy.metadata.namespace).toBe('arc-runners');
    // ARC labels a scale set's runner pods with its name (the Helm release, `gpu` in the values' set-up).
    expect(policy.spec.podSelector.matchLabels).toEqual({ 'actions.github.com/scale-set-name': 'gpu' });
    expect(policy.spec.policyTypes).toEqual(['Egress']);
    const blocks = policy.spec.egress.flatMap(
      (rule: { to: { ipBlock: { cidr: string; except?: string[] } }[] }) =>
        rule.to.map((peer) => peer.ipBlock),
    );
    const allowed = (address: string) =>
      blocks.some(
        (b: { cidr: string; except?: string[] }) =>
          inCidr(address, b.cidr) && !(b.except ?? []).some((e) => inCidr(address, e)),
      );
    expect(allowed('169.254.169.254')).toBe(false);
    expect(allowed('140.82.112.3')).toBe(true);
  });
});
