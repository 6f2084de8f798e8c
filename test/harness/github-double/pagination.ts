/** GitHub's page size when a request names none, and the most it serves whatever is asked. */
export const DEFAULT_PER_PAGE = 30;
export const MAX_PER_PAGE = 100;

export interface Page<T> {
  items: T[];
  /** The `Link` header value, absent when everything fits on one page. */
  link?: string;
}

/**
 * Slices a list as GitHub does (`per_page` capped at 100, `page` from 1) and writes the `Link`
 * header in GitHub's order: prev, next, last, first — each the request's own URL with `page` replaced.
 */
export function paginate<T>(items: T[], requestUrl: URL): Page<T> {
  const perPage = Math.min(
    MAX_PER_PAGE,
    positiveInt(requestUrl.searchParams.get('per_page')) ?? DEFAULT_PER_PAGE,
  );
  const page = positiveInt(requestUrl.searchParams.get('page')) ?? 1;
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const slice = items.slice((page - 1) * perPage, page * perPage);
  if (last === 1 && page === 1) return { items: slice };
  const at = (n: number): string => {
    const url = new URL(requestUrl);
    url.searchParams.set('page', String(n));
    return `<${url.href}>`;
  };
  const links: string[] = [];
  if (page > 1) links.push(`${at(Math.min(page - 1, last))}; rel="prev"`);
  if (page < last) links.push(`${at(page + 1)}; rel="next"`, `${at(last)}; rel="last"`);
  if (page > 1) links.push(`${at(1)}; rel="first"`);
  return links.length > 0 ? { items: slice, link: links.join(', ') } : { items: slice };
}

function positiveInt(text: string | null): number | undefined {
  if (text === null || !/^\d+$/.test(text)) return undefined;
  const n = Number(text);
  return n >= 1 ? n : undefined;
}
