/**
 * A report as one self-contained HTML page: the markdown rendered to HTML with marked, mermaid code
 * blocks drawn in the browser by mermaid's browser bundle, inlined with every style in the page. It
 * opens from a file with no network: its Content-Security-Policy forbids every fetch, so nothing can
 * load from elsewhere even by mistake, and lets only the page's own scripts run (by their sha256), so
 * HTML that slipped into the markdown cannot run code.
 */
import { createHash } from 'node:crypto';
import { Marked, type Tokens } from 'marked';

export interface HtmlPageOptions {
  /** The page's title (plain text; escaped here). */
  title: string;
  /** The report's markdown, as the renderers here write it (untrusted text already escaped). */
  markdown: string;
  /**
   * The text of mermaid's browser bundle (`mermaid/dist/mermaid.min.js`), which the caller reads from
   * its installed copy. Without it the charts stay as their mermaid source.
   */
  mermaidScript?: string;
  /**
   * The bytes of images the markdown links, by link (the image's URL as the markdown writes it):
   * drawn from these bytes as data: URLs, since the page fetches nothing. PNG, JPEG, GIF and WebP;
   * an image not listed here, or of another kind, stays a link that the page does not load.
   */
  images?: ReadonlyMap<string, Uint8Array>;
}

/** The page sets `data-charts` on <body> to `done` (or `failed`) once mermaid has drawn every chart. */
export const CHARTS_STATE_ATTRIBUTE = 'data-charts';

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text made inert in HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/**
 * Script text made safe between <script> and </script>: the HTML parser ends a script at `</script`
 * and changes state at `<!--` and `<script`, wherever they are in the code. Each `<` of those is
 * written `\x3C`, which means `<` in the string, template and regular-expression literals where
 * minified code has them.
 */
export function inlineScript(code: string): string {
  return code.replace(/<(?=\/script|!--|script)/gi, '\\x3C');
}

/** The media type of an image's bytes, from their first bytes; undefined for anything else. */
function imageType(bytes: Uint8Array): string | undefined {
  const head = Buffer.from(bytes.subarray(0, 12));
  if (head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    return 'image/png';
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'image/jpeg';
  if (/^GIF8[79]a/.test(head.toString('latin1', 0, 6))) return 'image/gif';
  if (head.toString('latin1', 0, 4) === 'RIFF' && head.toString('latin1', 8, 12) === 'WEBP')
    return 'image/webp';
  return undefined;
}

/**
 * Markdown to HTML; ```mermaid blocks become `<pre class="mermaid">` for mermaid to draw, and images
 * whose bytes are given are written as data: URLs.
 */
export function markdownToHtml(markdown: string, images?: ReadonlyMap<string, Uint8Array>): string {
  const marked = new Marked({
    gfm: true,
    renderer: {
      code(token: Tokens.Code) {
        if (token.lang?.trim() === 'mermaid') return `<pre class="mermaid">${escapeHtml(token.text)}</pre>\n`;
        return false;
      },
      image(token: Tokens.Image) {
        const bytes = images?.get(token.href);
        const type = bytes && imageType(bytes);
        if (!bytes || !type) return false;
        const src = `data:${type};base64,${Buffer.from(bytes).toString('base64')}`;
        return `<img src="${src}" alt="${escapeHtml(token.text)}">`;
      },
    },
  });
  return marked.parse(markdown, { async: false });
}

/**
 * The status marks the markdown writes as emoji (GitHub draws those as images), drawn here as inline
 * SVG so that they read the same on a machine without an emoji font: the shape and colour, with the
 * colour's name for screen readers (each report's legend says what it means).
 */
const MARK_SHAPES: Record<string, { name: string; svg: string }> = {
  '🔴': { name: 'red', svg: '<circle cx="8" cy="8" r="7" fill="#cf222e"/>' },
  '🟢': { name: 'green', svg: '<circle cx="8" cy="8" r="7" fill="#1a7f37"/>' },
  '🔵': { name: 'blue', svg: '<circle cx="8" cy="8" r="7" fill="#0969da"/>' },
  '⚪': {
    name: 'white',
    svg: '<circle cx="8" cy="8" r="6.25" fill="#fff" stroke="#8c959f" stroke-width="1.5"/>',
  },
  '🆕': {
    name: 'new',
    svg: '<rect x="1" y="1" width="14" height="14" rx="3" fill="#0969da"/><path d="M8 4v8M4 8h8" stroke="#fff" stroke-width="2"/>',
  },
  '🗑️': {
    name: 'removed',
    svg: '<rect x="1" y="1" width="14" height="14" rx="3" fill="#8c959f"/><path d="M4 8h8" stroke="#fff" stroke-width="2"/>',
  },
  '✅': {
    name: 'passed',
    svg: '<rect x="1" y="1" width="14" height="14" rx="3" fill="#1a7f37"/><path d="M4 8.5l2.5 2.5 5.5-6" fill="none" stroke="#fff" stroke-width="2"/>',
  },
  '❌': {
    name: 'failed',
    svg: '<rect x="1" y="1" width="14" height="14" rx="3" fill="#cf222e"/><path d="M5 5l6 6M11 5l-6 6" stroke="#fff" stroke-width="2"/>',
  },
  '⚠️': {
    name: 'warning',
    svg: '<path d="M8 1.5l7 13H1z" fill="#9a6700"/><path d="M8 6v4M8 11.5v1.5" stroke="#fff" stroke-width="1.6"/>',
  },
  '🛑': {
    name: 'stop',
    svg: '<path d="M5 1h6l4 4v6l-4 4H5l-4-4V5z" fill="#cf222e"/><path d="M5 8h6" stroke="#fff" stroke-width="2"/>',
  },
};
const MARK = new RegExp(
  Object.keys(MARK_SHAPES)
    .map((emoji) => `${emoji.replace('\uFE0F', '')}\uFE0F?`)
    .join('|'),
  'gu',
);

function markSvg(emoji: string): string {
  const mark = MARK_SHAPES[emoji] ?? MARK_SHAPES[`${emoji}\uFE0F`]!;
  return `<svg class="mark" role="img" aria-label="${mark.name}" viewBox="0 0 16 16" width="14" height="14"><title>${mark.name}</title>${mark.svg}</svg>`;
}

/** The HTML with its status emoji drawn as SVG, except inside <pre> (chart sources, code). */
function drawStatusMarks(html: string): string {
  return html
    .split(/(<pre[\s\S]*?<\/pre>)/)
    .map((part, i) =>
      i % 2 === 1 ? part : part.replace(MARK, (emoji) => markSvg(emoji.replace('\uFE0F', ''))),
    )
    .join('');
}

const STYLE = `
:root { color-scheme: light; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: #1f2328; background: #fff; max-width: 980px; margin: 2rem auto; padding: 0 1.5rem; }
h1, h2, h3 { line-height: 1.25; margin: 1.6em 0 0.6em; }
h1 { font-size: 1.9em; border-bottom: 1px solid #d1d9e0; padding-bottom: 0.3em; }
h2 { font-size: 1.45em; border-bottom: 1px solid #d1d9e0; padding-bottom: 0.3em; }
table { border-collapse: collapse; margin: 0.8em 0; display: block; overflow-x: auto; }
th, td { border: 1px solid #d1d9e0; padding: 0.3em 0.75em; }
th { background: #f6f8fa; }
tr:nth-child(2n) td { background: #fbfcfd; }
code { font: 0.9em ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: #f6f8fa;
  padding: 0.1em 0.3em; border-radius: 4px; }
pre:not(.mermaid) { background: #f6f8fa; padding: 0.8em; overflow-x: auto; border-radius: 6px; }
img { max-width: 100%; }
pre.mermaid { background: #fff; border: 1px solid #d1d9e0; border-radius: 6px; padding: 0.8em; text-align: center; }
blockquote { margin: 0.8em 0; padding: 0 1em; color: #59636e; border-left: 0.25em solid #d1d9e0; }
details { margin: 0.8em 0; }
summary { cursor: pointer; }
sub { color: #59636e; }
svg.mark { vertical-align: -0.15em; }
`;

/** Series colours of xy charts, in order: the base (or reference) grey, the head (or current) blue. */
const CHART_COLOURS = '#8c959f,#0969da,#bf3989,#1a7f37,#9a6700';

/** Draws every chart, then marks the page done (or failed) for whoever waits on it. */
const START_CHARTS = `
mermaid.initialize({
  startOnLoad: false,
  securityLevel: 'strict',
  theme: 'default',
  // The default theme draws the first series in a lavender close to white: grey, then blue.
  themeVariables: { xyChart: { plotColorPalette: '${CHART_COLOURS}' } },
});
mermaid
  .run({ querySelector: 'pre.mermaid' })
  .then(() => document.body.setAttribute('${CHARTS_STATE_ATTRIBUTE}', 'done'))
  .catch((error) => {
    document.body.setAttribute('${CHARTS_STATE_ATTRIBUTE}', 'failed');
    console.error(error);
  });
`;

/**
 * Nothing is fetched: styles inline, images and fonts from data: URLs, and only the scripts whose
 * hashes are listed run (no inline event handlers, no injected <script>).
 */
function contentSecurityPolicy(scripts: readonly string[]): string {
  const hashes = scripts.map((code) => `'sha256-${createHash('sha256').update(code).digest('base64')}'`);
  const scriptSrc = hashes.length > 0 ? hashes.join(' ') : "'none'";
  return `default-src 'none'; script-src ${scriptSrc}; style-src 'unsafe-inline'; img-src data:; font-src data:`;
}

/** The whole page. */
export function renderHtmlPage(options: HtmlPageOptions): string {
  const scripts =
    options.mermaidScript === undefined ? [] : [inlineScript(options.mermaidScript), START_CHARTS];
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(scripts)}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(options.title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    `<main>\n${drawStatusMarks(markdownToHtml(options.markdown, options.images))}</main>`,
    ...scripts.map((code) => `<script>${code}</script>`),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
