/**
 * The demo's data: subscriptions at their renewal date and what the customer did (renew, downgrade,
 * cancel), drawn from a seeded generator so every run sees the same rows. The live data is drawn
 * from the same generator after a pricing campaign: many new customers on the basic plan with a
 * discount, spending less. Its outcomes are not known yet, so it has no label column.
 */
import { createRandom, type LabelledRows, type Random } from '@mlactions/example-model';

export const LABEL = 'outcome';
/** Class names in the order scikit-learn sorts them (and the model's output columns). */
export const CLASSES = ['cancel', 'downgrade', 'renew'] as const;
/** The feature columns, in file order. `plan` is categorical: 0 basic, 1 standard, 2 premium. */
export const COLUMNS = [
  'tenure_months',
  'plan',
  'monthly_spend',
  'sessions_per_week',
  'support_tickets',
  'discount_pct',
  'satisfaction',
] as const;
export const PLAN_CODES = [0, 1, 2] as const;

/** How the customers are drawn; the live data changes these. */
interface Population {
  /** Shares of the basic, standard and premium plans. */
  planShares: readonly number[];
  /** Mean tenure in months (exponential, capped at 72). */
  meanTenure: number;
  /** Share of customers with a discount. */
  discountShare: number;
  /** Multiplies every customer's spend. */
  spendFactor: number;
}

const TRAINING_POPULATION: Population = {
  planShares: [0.5, 0.35, 0.15],
  meanTenure: 20,
  discountShare: 0.25,
  spendFactor: 1,
};

const LIVE_POPULATION: Population = {
  planShares: [0.72, 0.22, 0.06],
  meanTenure: 7,
  discountShare: 0.7,
  spendFactor: 0.85,
};

const PLAN_SPEND = [15, 35, 80];

/** A table of feature rows (row-major, COLUMNS order) with labels where they are known. */
export interface DemoTable extends LabelledRows {
  columns: readonly string[];
}

const round = (value: number, digits: number) => Number(value.toFixed(digits));
const clamp = (value: number, low: number, high: number) => Math.min(high, Math.max(low, value));

/** A Poisson draw (Knuth's method; fine for small means). */
function poisson(random: Random, mean: number): number {
  const limit = Math.exp(-mean);
  let k = 0;
  let product = random.next();
  while (product > limit) {
    k++;
    product *= random.next();
  }
  return k;
}

/** One customer's features, in COLUMNS order. */
function customer(random: Random, population: Population): number[] {
  const plan = random.choice(population.planShares);
  const tenure = Math.min(72, 1 + Math.floor(-Math.log(1 - random.next()) * population.meanTenure));
  const spend = PLAN_SPEND[plan]! * population.spendFactor * Math.exp(0.25 * random.normal());
  const sessions = Math.max(0, 5 + 2 * plan + 0.04 * tenure + 2.5 * random.normal());
  const tickets = poisson(random, 0.6 + 0.15 * sessions);
  const discount = random.next() < population.discountShare ? 5 * (1 + random.choice([3, 3, 2, 1])) : 0;
  const satisfaction = clamp(7.2 - 0.7 * tickets + 0.15 * sessions + 1.3 * random.normal(), 1, 10);
  return [tenure, plan, round(spend, 2), round(sessions, 1), tickets, discount, round(satisfaction, 1)];
}

/**
 * What the customer did: a draw from a softmax over scores for cancelling and downgrading (renewing
 * scores 0). Cancelling follows low satisfaction, many tickets and a short tenure; downgrading
 * follows a high spend on the standard or premium plan.
 */
function outcome(random: Random, row: readonly number[]): number {
  const [tenure, plan, spend, sessions, tickets, discount, satisfaction] = row as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const cancel =
    1.2 - 1.1 * (satisfaction - 6.5) + 0.5 * tickets - 0.06 * tenure - 0.15 * sessions - 0.05 * discount;
  const downgrade =
    -0.6 +
    0.05 * (spend - PLAN_SPEND[plan]!) +
    (plan === 0 ? -3 : plan === 2 ? 1.2 : 0.6) -
    0.4 * (satisfaction - 6.5);
  const scores = [cancel, downgrade, 0].map((s) => Math.exp(2.6 * s));
  return random.choice(scores);
}

function table(random: Random, rows: number, population: Population, labelled: boolean): DemoTable {
  const values = new Float64Array(rows * COLUMNS.length);
  const labels = new Uint16Array(labelled ? rows : 0);
  for (let r = 0; r < rows; r++) {
    const row = customer(random, population);
    values.set(row, r * COLUMNS.length);
    if (labelled) labels[r] = outcome(random, row);
  }
  return { columns: COLUMNS, values, rows, labels };
}

export interface DemoData {
  train: DemoTable;
  validation: DemoTable;
  holdout: DemoTable;
  /** After the campaign; no labels. */
  live: DemoTable;
}

export const DATA_SIZES = { train: 2000, validation: 500, holdout: 500, live: 1000 } as const;

/** The demo's four tables, the same for the same seed. */
export function generateData(seed: number): DemoData {
  const random = createRandom(seed);
  return {
    train: table(random, DATA_SIZES.train, TRAINING_POPULATION, true),
    validation: table(random, DATA_SIZES.validation, TRAINING_POPULATION, true),
    holdout: table(random, DATA_SIZES.holdout, TRAINING_POPULATION, true),
    live: table(random, DATA_SIZES.live, LIVE_POPULATION, false),
  };
}

/** The table as CSV: a header row, then one row per customer, the label last where there is one. */
export function toCsv(data: DemoTable): string {
  const labelled = data.labels.length === data.rows;
  const lines = [[...data.columns, ...(labelled ? [LABEL] : [])].join(',')];
  const width = data.columns.length;
  for (let r = 0; r < data.rows; r++) {
    const cells = Array.from(data.values.subarray(r * width, (r + 1) * width), String);
    if (labelled) cells.push(CLASSES[data.labels[r]!]!);
    lines.push(cells.join(','));
  }
  return `${lines.join('\n')}\n`;
}
