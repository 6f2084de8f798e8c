import { describe, expect, it } from 'vitest';
import { escapeMarkdown, truncateText } from '../src/escape.ts';

const ZWJ = '\u200D';

describe('escapeMarkdown', () => {
  it('makes the classic hostile metric name inert', () => {
    expect(escapeMarkdown('<img src=x onerror=alert(1)> @everyone | x')).toBe(
      `&lt;img src=x onerror=alert(1)&gt; @${ZWJ}everyone &#124; x`,
    );
  });

  it('leaves no HTML, not even a comment that could pose as a marker', () => {
    const escaped = escapeMarkdown('<!-- mlactions:report --> <script>x</script> &amp;');
    expect(escaped).not.toMatch(/[<>]/);
    expect(escaped).toBe('&lt;!-- mlactions:report --&gt; &lt;script&gt;x&lt;/script&gt; &amp;amp;');
  });

  it('breaks mentions, references and autolinks', () => {
    expect(escapeMarkdown('@octocat @org/team a@b.c')).toBe(`@${ZWJ}octocat @${ZWJ}org/team a@${ZWJ}b.c`);
    expect(escapeMarkdown('#123 GH-45 owner/repo#6')).toBe(`#${ZWJ}123 GH-${ZWJ}45 owner/repo#${ZWJ}6`);
    expect(escapeMarkdown('https://evil.example www.evil.example')).toBe(
      `https:${ZWJ}//evil.example www${ZWJ}.evil.example`,
    );
  });

  it('neutralizes links, images, code spans, emphasis and math', () => {
    expect(escapeMarkdown('[x](y) ![i](z)')).toBe('\\[x\\](y) !\\[i\\](z)');
    expect(escapeMarkdown('`code` *em* _em_ ~~del~~ $x$ back\\slash')).toBe(
      '&#96;code&#96; \\*em\\* \\_em\\_ \\~\\~del\\~\\~ &#36;x&#36; back\\\\slash',
    );
  });

  it('keeps everything on one line and drops control and bidirectional characters', () => {
    expect(escapeMarkdown('a\nb\r\nc\td\u2028e')).toBe('a b c d e');
    expect(escapeMarkdown('x\u0000y\u202Ez\u2066w\u0007')).toBe('xyzw');
  });

  it('cuts long text before escaping, so no entity is split', () => {
    expect(escapeMarkdown('a'.repeat(300))).toBe(`${'a'.repeat(199)}…`);
    expect(escapeMarkdown('<<<<', 3)).toBe('&lt;&lt;…');
  });

  it('leaves ordinary names readable', () => {
    expect(escapeMarkdown('eval.accuracy')).toBe('eval.accuracy');
    expect(escapeMarkdown('val-loss (top 5)')).toBe('val-loss (top 5)');
  });
});

describe('truncateText', () => {
  it('counts whole code points', () => {
    expect(truncateText('🟢🟢🟢', 2)).toBe('🟢…');
    expect(truncateText('abc', 3)).toBe('abc');
  });
});
