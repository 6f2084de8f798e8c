/**
 * Ranking metrics over queries: each query is the documents a model scored for it, with their true
 * relevance (a number ≥ 0; relevant means > 0). Every metric is the mean over queries of a per-query
 * score, and a query with no relevant document scores 0.
 *
 * - NDCG@k is scikit-learn's ndcg_score per query (linear gain, discount 1 / log2(rank + 1), tied
 *   scores averaged as in McSherry & Najork): DCG@k over the ideal DCG@k.
 * - Ranks in AP and MRR count tied documents as ranked above (scikit-learn's label-ranking
 *   convention): a document's rank is the number of documents scored at least as high.
 * - AP@k = Σ over relevant documents ranked within k of (relevant documents scored at least as high /
 *   rank), divided by min(k, relevant documents). With k at least the query's size this is
 *   scikit-learn's label_ranking_average_precision_score of the query. MAP@k is its mean.
 * - MRR: the mean of 1 / the best rank of a relevant document.
 */

/** One query's documents: true relevance and the model's score, index by index. */
export interface RankedQuery {
  readonly relevance: ArrayLike<number>;
  readonly scores: ArrayLike<number>;
}

const discount = (rank: number) => 1 / Math.log2(rank + 1);

function mean(queries: readonly RankedQuery[], score: (query: RankedQuery) => number): number {
  if (queries.length === 0) return Number.NaN;
  let total = 0;
  for (const query of queries) total += score(query);
  return total / queries.length;
}

/** DCG@k with tied scores' gains averaged over the ranks the tie spans (scikit-learn's _tie_averaged_dcg). */
function tieAveragedDcg(query: RankedQuery, k: number): number {
  const order = Array.from({ length: query.scores.length }, (_, i) => i).sort(
    (a, b) => query.scores[b]! - query.scores[a]!,
  );
  let dcg = 0;
  for (let start = 0; start < order.length && start < k; ) {
    let end = start + 1;
    while (end < order.length && query.scores[order[end]!] === query.scores[order[start]!]) end++;
    let gain = 0;
    for (let i = start; i < end; i++) gain += query.relevance[order[i]!]!;
    let discounts = 0;
    for (let rank = start + 1; rank <= Math.min(end, k); rank++) discounts += discount(rank);
    dcg += (gain / (end - start)) * discounts;
    start = end;
  }
  return dcg;
}

/** One query's NDCG@k: 0 when no document is relevant. */
export function queryNdcg(query: RankedQuery, k: number): number {
  const ideal = Array.from(query.relevance).sort((a, b) => b - a);
  let best = 0;
  for (let i = 0; i < Math.min(k, ideal.length); i++) best += ideal[i]! * discount(i + 1);
  return best === 0 ? 0 : tieAveragedDcg(query, k) / best;
}

/** Mean NDCG@k over the queries. */
export function ndcgAtK(queries: readonly RankedQuery[], k: number): number {
  return mean(queries, (query) => queryNdcg(query, k));
}

/** Each relevant document's rank (documents scored at least as high) and the relevant ones among them. */
function relevantRanks(query: RankedQuery): { rank: number; above: number }[] {
  const n = query.scores.length;
  const out: { rank: number; above: number }[] = [];
  for (let i = 0; i < n; i++) {
    if (!(query.relevance[i]! > 0)) continue;
    let rank = 0;
    let above = 0;
    for (let j = 0; j < n; j++) {
      if (query.scores[j]! >= query.scores[i]!) {
        rank++;
        if (query.relevance[j]! > 0) above++;
      }
    }
    out.push({ rank, above });
  }
  return out;
}

/** One query's AP@k: 0 when no document is relevant. */
export function queryAveragePrecision(query: RankedQuery, k: number): number {
  const ranks = relevantRanks(query);
  if (ranks.length === 0) return 0;
  let total = 0;
  for (const { rank, above } of ranks) if (rank <= k) total += above / rank;
  return total / Math.min(k, ranks.length);
}

/** Mean AP@k over the queries. */
export function mapAtK(queries: readonly RankedQuery[], k: number): number {
  return mean(queries, (query) => queryAveragePrecision(query, k));
}

/** One query's reciprocal rank of its best-ranked relevant document: 0 when none is relevant. */
export function queryReciprocalRank(query: RankedQuery): number {
  const ranks = relevantRanks(query);
  if (ranks.length === 0) return 0;
  return 1 / Math.min(...ranks.map((r) => r.rank));
}

/** Mean reciprocal rank over the queries. */
export function meanReciprocalRank(queries: readonly RankedQuery[]): number {
  return mean(queries, queryReciprocalRank);
}
