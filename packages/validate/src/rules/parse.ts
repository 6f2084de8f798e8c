import { UserError } from '@mlactions/core';

/**
 * Gate rules: one comparison of two arithmetic expressions over metrics, e.g.
 *
 *     accuracy >= 0.90
 *     f1_macro >= baseline - 0.01          (baseline: the baseline's value of the rule's metric)
 *     rmse <= baseline.rmse * 1.05
 *     `slices.north-east.accuracy` >= min(0.8, baseline - 0.02)
 *
 * Parsed by hand into a tree (never evaluated as code). Names are letters, digits and underscores
 * joined by dots; a part in backticks may hold any other character but a backtick.
 */

export type Comparator = '>=' | '<=' | '>' | '<' | '==' | '!=';

/** Functions a rule may call. */
export const FUNCTIONS = {
  abs: { arity: [1, 1], apply: (args: number[]) => Math.abs(args[0]!) },
  min: { arity: [1, Number.POSITIVE_INFINITY], apply: (args: number[]) => Math.min(...args) },
  max: { arity: [1, Number.POSITIVE_INFINITY], apply: (args: number[]) => Math.max(...args) },
} as const;

export type FunctionName = keyof typeof FUNCTIONS;

type BinaryOp = '+' | '-' | '*' | '/';

export type Expr =
  | { readonly kind: 'number'; readonly value: number }
  /** A metric of the candidate, or (source baseline) of the baseline. */
  | { readonly kind: 'metric'; readonly name: string; readonly source: 'candidate' | 'baseline' }
  /** Bare `baseline`: the baseline's value of the one metric the rule names. */
  | { readonly kind: 'baseline' }
  | { readonly kind: 'negate'; readonly operand: Expr }
  | { readonly kind: 'binary'; readonly op: BinaryOp; readonly left: Expr; readonly right: Expr }
  | { readonly kind: 'call'; readonly name: FunctionName; readonly args: readonly Expr[] };

export interface Rule {
  /** The rule as written (trimmed). */
  readonly text: string;
  readonly left: Expr;
  readonly comparator: Comparator;
  readonly right: Expr;
  /** The source text of each side, for messages. */
  readonly leftText: string;
  readonly rightText: string;
}

type Token =
  | { readonly type: 'number'; readonly value: number; readonly at: number; readonly end: number }
  | {
      readonly type: 'name';
      readonly parts: readonly { text: string; quoted: boolean }[];
      readonly at: number;
      readonly end: number;
    }
  | { readonly type: 'op'; readonly value: string; readonly at: number; readonly end: number }
  | { readonly type: 'end'; readonly at: number; readonly end: number };

const MAX_LENGTH = 1000;
const MAX_DEPTH = 50;
const COMPARATORS = ['>=', '<=', '==', '!=', '>', '<'];
const NUMBER = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/;
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*/;
const PART = /^[A-Za-z0-9_]+/;

function fail(text: string, problem: string, at?: number): never {
  const where = at === undefined ? '' : ` at column ${at + 1}`;
  throw new UserError(`rule ${JSON.stringify(text)}: ${problem}${where}`);
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const rest = text.slice(i);
    const space = /^\s+/.exec(rest);
    if (space) {
      i += space[0].length;
      continue;
    }
    const number = NUMBER.exec(rest);
    if (number) {
      tokens.push({ type: 'number', value: Number(number[0]), at: i, end: i + number[0].length });
      i += number[0].length;
      continue;
    }
    if (IDENT.test(rest) || rest.startsWith('`')) {
      const start = i;
      const parts: { text: string; quoted: boolean }[] = [];
      for (;;) {
        const part = text.slice(i);
        if (part.startsWith('`')) {
          const close = text.indexOf('`', i + 1);
          if (close < 0) fail(text, 'a backtick name is never closed', i);
          if (close === i + 1) fail(text, 'an empty backtick name', i);
          parts.push({ text: text.slice(i + 1, close), quoted: true });
          i = close + 1;
        } else {
          const match = (parts.length === 0 ? IDENT : PART).exec(part);
          if (!match) fail(text, 'a name part is missing after "."', i);
          parts.push({ text: match[0], quoted: false });
          i += match[0].length;
        }
        if (text[i] !== '.' || !(PART.test(text.slice(i + 1)) || text[i + 1] === '`')) break;
        i++;
      }
      tokens.push({ type: 'name', parts, at: start, end: i });
      continue;
    }
    const op = [...COMPARATORS, '+', '-', '*', '/', '(', ')', ','].find((candidate) =>
      rest.startsWith(candidate),
    );
    if (!op) fail(text, `unexpected ${JSON.stringify(text[i])}`, i);
    tokens.push({ type: 'op', value: op, at: i, end: i + op.length });
    i += op.length;
  }
  tokens.push({ type: 'end', at: text.length, end: text.length });
  return tokens;
}

class Parser {
  private position = 0;
  private depth = 0;
  private readonly text: string;
  private readonly tokens: Token[];

  constructor(text: string) {
    this.text = text;
    this.tokens = tokenize(text);
  }

  private peek(): Token {
    return this.tokens[this.position]!;
  }

  private next(): Token {
    return this.tokens[this.position++]!;
  }

  private isOp(value: string): boolean {
    const token = this.peek();
    return token.type === 'op' && token.value === value;
  }

  private unexpected(token: Token): never {
    if (token.type === 'end') fail(this.text, 'the rule ends too early');
    fail(this.text, `unexpected ${JSON.stringify(this.text.slice(token.at, token.end))}`, token.at);
  }

  rule(): Rule {
    const leftStart = this.peek().at;
    const left = this.sum();
    const token = this.next();
    if (token.type !== 'op' || !COMPARATORS.includes(token.value)) {
      if (token.type === 'end')
        fail(this.text, 'no comparison: a rule compares two sides with >=, <=, >, <, == or !=');
      this.unexpected(token);
    }
    const rightStart = this.peek().at;
    const right = this.sum();
    const end = this.peek();
    if (end.type !== 'end') {
      if (end.type === 'op' && COMPARATORS.includes(end.value))
        fail(this.text, 'a rule has one comparison', end.at);
      this.unexpected(end);
    }
    return {
      text: this.text,
      left,
      comparator: token.value as Comparator,
      right,
      leftText: this.text.slice(leftStart, token.at).trim(),
      rightText: this.text.slice(rightStart).trim(),
    };
  }

  private sum(): Expr {
    return this.leftAssociative(['+', '-'], () => this.product());
  }

  private product(): Expr {
    return this.leftAssociative(['*', '/'], () => this.unary());
  }

  /** Operands joined by operators of one precedence level, grouped from the left: a - b - c is (a - b) - c. */
  private leftAssociative(ops: readonly BinaryOp[], operand: () => Expr): Expr {
    let left = operand();
    while (ops.some((op) => this.isOp(op))) {
      const op = (this.next() as { value: BinaryOp }).value;
      left = { kind: 'binary', op, left, right: operand() };
    }
    return left;
  }

  private unary(): Expr {
    if (this.isOp('-') || this.isOp('+')) {
      const op = this.next() as { value: string; at: number };
      const operand = this.nested(() => this.unary(), op.at);
      return op.value === '-' ? { kind: 'negate', operand } : operand;
    }
    return this.primary();
  }

  private nested(parse: () => Expr, at: number): Expr {
    if (++this.depth > MAX_DEPTH) fail(this.text, 'too deeply nested', at);
    try {
      return parse();
    } finally {
      this.depth--;
    }
  }

  private primary(): Expr {
    const token = this.next();
    if (token.type === 'number') return { kind: 'number', value: token.value };
    if (token.type === 'op' && token.value === '(') {
      const inner = this.nested(() => this.sum(), token.at);
      const close = this.next();
      if (close.type !== 'op' || close.value !== ')') {
        if (close.type === 'end') fail(this.text, 'a "(" is never closed', token.at);
        this.unexpected(close);
      }
      return inner;
    }
    if (token.type === 'name') {
      if (this.isOp('(')) return this.call(token);
      return nameExpr(token.parts);
    }
    this.unexpected(token);
  }

  private call(token: Extract<Token, { type: 'name' }>): Expr {
    const name = token.parts.map((part) => part.text).join('.');
    const fn = Object.hasOwn(FUNCTIONS, name) && !token.parts[0]!.quoted ? (name as FunctionName) : undefined;
    if (!fn)
      fail(
        this.text,
        `unknown function ${JSON.stringify(name)}; the functions are ${Object.keys(FUNCTIONS).join(', ')}`,
        token.at,
      );
    this.next();
    const args: Expr[] = [];
    if (!this.isOp(')')) {
      for (;;) {
        args.push(this.nested(() => this.sum(), token.at));
        if (!this.isOp(',')) break;
        this.next();
      }
    }
    const close = this.next();
    if (close.type !== 'op' || close.value !== ')') {
      if (close.type === 'end') fail(this.text, `${fn}( is never closed`, token.at);
      this.unexpected(close);
    }
    const [least, most] = FUNCTIONS[fn].arity;
    if (args.length < least || args.length > most) {
      fail(
        this.text,
        `${fn} takes ${least === most ? least : `at least ${least}`} argument${least === 1 && most === 1 ? '' : 's'}`,
        token.at,
      );
    }
    return { kind: 'call', name: fn, args };
  }
}

function nameExpr(parts: readonly { text: string; quoted: boolean }[]): Expr {
  const first = parts[0]!;
  if (!first.quoted && first.text === 'baseline') {
    if (parts.length === 1) return { kind: 'baseline' };
    return {
      kind: 'metric',
      name: parts
        .slice(1)
        .map((part) => part.text)
        .join('.'),
      source: 'baseline',
    };
  }
  return { kind: 'metric', name: parts.map((part) => part.text).join('.'), source: 'candidate' };
}

/** Parses one rule; a syntax error is a UserError naming the rule and the column. */
export function parseRule(text: string): Rule {
  const trimmed = text.trim();
  if (trimmed === '') throw new UserError('a rule is empty; write a comparison such as "accuracy >= 0.9"');
  if (trimmed.length > MAX_LENGTH) throw new UserError(`a rule is longer than ${MAX_LENGTH} characters`);
  return new Parser(trimmed).rule();
}
