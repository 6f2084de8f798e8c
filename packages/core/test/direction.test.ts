import { describe, expect, it } from 'vitest';
import { defaultDirection, nameTokens } from '../src/compare/direction.ts';

describe('nameTokens', () => {
  it('splits at separators and camelCase humps', () => {
    expect(nameTokens('eval/valLoss@5')).toEqual(['eval', 'val', 'loss', '5']);
    expect(nameTokens('train.top1_acc')).toEqual(['train', 'top1', 'acc']);
  });
});

describe('defaultDirection', () => {
  it.each([
    'loss',
    'val_loss',
    'train.log_loss',
    'rmse',
    'eval.mae',
    'mape',
    'latency_p95',
    'inference_time_ms',
    'epoch_duration',
    'perplexity',
    'wer',
    'cer',
    'fpr',
    'top1_error',
    'valLoss',
  ])('%s: lower is better', (name) => {
    expect(defaultDirection(name)).toBe('lower');
  });

  it.each([
    'accuracy',
    'val_acc',
    'f1_macro',
    'roc_auc_ovr_macro',
    'precision_macro',
    'recall@10',
    'r2',
    'mAP',
    'map50',
    'miou',
    'bleu',
    'rouge_l',
    'throughput',
    'eval.acc1',
  ])('%s: higher is better', (name) => {
    expect(defaultDirection(name)).toBe('higher');
  });

  it.each(['learning_rate', 'n_params', 'confusion_matrix', 'model', 'batch_size'])('%s: neutral', (name) => {
    expect(defaultDirection(name)).toBe('neutral');
  });
});
