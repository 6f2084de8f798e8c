/** Which way a metric is better: higher, lower, or neither (reported as "changed"). */
export type Direction = 'higher' | 'lower' | 'neutral';

/** Name tokens of metrics where lower is better: losses, errors, costs, time. */
const LOWER = new Set(
  (
    'loss error err errors rmse mae mse mape smape msle rmsle medae nll logloss brier latency time ' +
    'duration runtime seconds secs ms perplexity ppl wer cer ter fpr fnr fdr far frr eer cost regret ' +
    'divergence kl'
  ).split(' '),
);

/** Name tokens of metrics where higher is better: scores, accuracies, overlaps, speed. */
const HIGHER = new Set(
  (
    'accuracy acc f1 f2 fbeta auc auroc aupr auprc precision prec recall sensitivity specificity tpr ' +
    'tnr r2 map ap ndcg mrr hits hitrate iou miou dice bleu rouge rougel meteor chrf bertscore kappa ' +
    'mcc throughput qps fps tps pass'
  ).split(' '),
);

/**
 * Splits a metric name into lower-case word tokens: at separators (`.`, `_`, `-`, `/`, `@`, spaces) and
 * at camelCase humps, so `eval/valLoss@5` gives `eval`, `val`, `loss`, `5`.
 */
export function nameTokens(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((token) => token !== '');
}

/** The direction a single token names; `top1`, `map50`, `f1` and `r2` keep their digits. */
function tokenDirection(token: string): Direction {
  for (const candidate of [token, token.replace(/\d+$/, '')]) {
    if (LOWER.has(candidate)) return 'lower';
    if (HIGHER.has(candidate)) return 'higher';
  }
  return 'neutral';
}

/**
 * Guesses which way a metric is better from its name, reading tokens from the last (usually the
 * measure: `val_loss`, `recall_at_10`, `latency_p95`) back to the first; unknown names are neutral.
 */
export function defaultDirection(name: string): Direction {
  const tokens = nameTokens(name);
  for (let i = tokens.length - 1; i >= 0; i--) {
    const direction = tokenDirection(tokens[i]!);
    if (direction !== 'neutral') return direction;
  }
  return 'neutral';
}
