/**
 * The hidden HTML comment that ties a comment or issue to one of our checks. The key is reduced to
 * a safe charset so user text can never close the HTML comment or forge another key's marker.
 */
export function hiddenMarker(kind: 'sticky' | 'issue', key: string): string {
  const safe = key.replace(/[^A-Za-z0-9._/-]/g, '_').slice(0, 100);
  return `<!-- mlactions:${kind} key=${safe} -->`;
}
