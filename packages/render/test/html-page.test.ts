import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { escapeHtml, inlineScript, markdownToHtml, renderHtmlPage } from '../src/html-page.ts';
import { renderHistoryChart } from '../src/mermaid.ts';
import { encodePng } from '../src/png.ts';

const mermaidBundle = createRequire(import.meta.url).resolve('mermaid/dist/mermaid.min.js');

/** The script elements' texts, in order. */
function scripts(html: string): string[] {
  return [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((match) => match[1]!);
}

describe('markdownToHtml', () => {
  it('renders GitHub tables and leaves mermaid blocks for mermaid, their text escaped', () => {
    const chart = renderHistoryChart({
      title: 'loss',
      base: [
        { step: 1, value: 2 },
        { step: 2, value: 1 },
      ],
    })!;
    const html = markdownToHtml(`| a | b |\n| - | - |\n| 1 | 2 |\n\n${chart}\n\n\`\`\`js\nx < 1\n\`\`\`\n`);
    expect(html).toContain('<table>');
    expect(html).toContain('<td>1</td>');
    expect(html).toMatch(/<pre class="mermaid">xychart-beta\n {2}title &quot;loss&quot;/);
    expect(html).toContain('<code class="language-js">x &lt; 1\n</code>');
  });
});

describe('markdownToHtml with image bytes', () => {
  const png = encodePng({ width: 1, height: 1, rgba: new Uint8Array([9, 105, 218, 255]) });

  it('draws a linked image from its bytes as a data: URL, its alt text escaped', () => {
    const html = markdownToHtml('![a <b> "c"](images/pr-1/m.png)\n', new Map([['images/pr-1/m.png', png]]));
    expect(html).toContain(
      `<img src="data:image/png;base64,${png.toString('base64')}" alt="a &lt;b&gt; &quot;c&quot;">`,
    );
    expect(html).not.toContain('images/pr-1/m.png');
  });

  it('leaves an image without bytes, or bytes of no image kind, as the link the page does not load', () => {
    const bytes = new Map([['x.png', new TextEncoder().encode('<svg onload=alert(1)>')]]);
    const html = markdownToHtml('![x](x.png) ![y](y.png)\n', bytes);
    expect(html).not.toContain('data:');
    expect(html).toContain('src="x.png"');
    const page = renderHtmlPage({ title: 't', markdown: '![m](m.png)\n', images: new Map([['m.png', png]]) });
    expect(page).toContain('<img src="data:image/png;base64,');
    expect(page).toMatch(/img-src data:;/);
  });
});

describe('inlineScript', () => {
  it('breaks every sequence that would end or change the script element', () => {
    const code = 'a("</script>"); b("<!--"); c(/<script/i); d("</SCRIPT")';
    const inlined = inlineScript(code);
    expect(inlined).not.toMatch(/<\/script|<!--|<script/i);
    // Same meaning: \x3C is < in string and regular-expression literals.
    expect(inlined).toBe('a("\\x3C/script>"); b("\\x3C!--"); c(/\\x3Cscript/i); d("\\x3C/SCRIPT")');
  });
});

describe('renderHtmlPage', () => {
  it('is one self-contained page whose policy runs only its own scripts and fetches nothing', async () => {
    const mermaidScript = await readFile(mermaidBundle, 'utf8');
    const html = renderHtmlPage({
      title: 'Report <1>',
      markdown: '# Hello\n\n<script>alert(1)</script>\n',
      mermaidScript,
    });
    expect(html).toContain('<title>Report &lt;1&gt;</title>');
    // No element outside the scripts points anywhere.
    expect(html.replace(/<script>[\s\S]*?<\/script>/g, '')).not.toMatch(/\b(?:src|href)=/);
    const policy = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)![1]!;
    expect(policy).toMatch(
      /^default-src 'none'; script-src 'sha256-[^']+' 'sha256-[^']+'; style-src 'unsafe-inline'/,
    );
    const own = scripts(html).slice(-2);
    expect(own[0]!.length).toBeGreaterThan(1_000_000);
    for (const code of own) {
      expect(policy).toContain(`'sha256-${createHash('sha256').update(code).digest('base64')}'`);
    }
    // The script that slipped into the markdown is in the page but its hash is not in the policy.
    const injected = scripts(html).find((code) => code === 'alert(1)');
    expect(injected).toBeDefined();
    expect(policy).not.toContain(createHash('sha256').update('alert(1)').digest('base64'));
  });

  it('leaves charts as their source without a mermaid script, and then runs no script at all', () => {
    const html = renderHtmlPage({ title: 't', markdown: '```mermaid\npie\n```\n' });
    expect(html).toContain('<pre class="mermaid">pie</pre>');
    expect(html).toContain("script-src 'none'");
    expect(scripts(html)).toEqual([]);
  });

  it('escapes HTML text and attribute characters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});
