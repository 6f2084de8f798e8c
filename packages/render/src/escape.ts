/** Zero-width joiner: placed after `@` or `#` it stops GitHub from seeing a mention or reference. */
const ZWJ = '\u200D';

/** Characters that carry markdown or HTML meaning inline, and the inert form of each. */
const REPLACEMENTS: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '|': '&#124;',
  '`': '&#96;',
  $: '&#36;',
  '\\': '\\\\',
  '*': '\\*',
  _: '\\_',
  '~': '\\~',
  '[': '\\[',
  ']': '\\]',
};

/** Cuts text to at most `max` characters (whole code points), marking the cut with an ellipsis. */
export function truncateText(text: string, max: number): string {
  const points = Array.from(text);
  return points.length <= max ? text : `${points.slice(0, Math.max(0, max - 1)).join('')}…`;
}

/**
 * Makes untrusted text (metric names, file names, values) inert inside a line of GitHub markdown,
 * including a table cell: no HTML (`<`, `>`, `&` become entities), no table break (`|`), no code span,
 * emphasis, link or image syntax, no math (`$`), no line break; `@user`/`@org/team` mentions,
 * `#123`/`GH-123` references and `https://`/`www.` autolinks are broken with a zero-width joiner so
 * they neither ping nor link. Control and bidirectional-override characters are dropped. The text is
 * cut to `maxLength` characters first, so an entity is never split.
 */
export function escapeMarkdown(text: string, maxLength = 200): string {
  return (
    truncateText(text, maxLength)
      .replace(/\r\n|[\t\n\r\u2028\u2029]/g, ' ')
      .replace(/[\p{Cc}\p{Bidi_Control}]/gu, '')
      .replace(/([@#])(?=[\p{L}\p{N}_-])/gu, `$1${ZWJ}`)
      .replace(/\b(GH-)(?=\d)/gi, `$1${ZWJ}`)
      .replace(/:(?=\/\/)/g, `:${ZWJ}`)
      .replace(/\b(www)\./gi, `$1${ZWJ}.`)
      // Last, so that the `#` of the entities written here is not taken for a reference.
      .replace(/[&<>|`$\\*_~[\]]/g, (char) => REPLACEMENTS[char]!)
  );
}
