/**
 * Formula parser for virtual meters. Syntax:
 * - a bare meter id is letters, digits, `_` and `.` and starts with a letter or `_` (`pv`, `grid.import`).
 *   A hyphen is not part of a bare id, because `a-b` means `a` minus `b`.
 * - any other id goes in braces: `{grid-meter.import}`, `{main meter}`. Braces cannot nest.
 * - numbers (`2`, `0.5`, `1e3`), `+ - * /`, unary minus and parentheses, with the usual precedence.
 *
 * The parser, the unit check and the evaluator recurse over the formula, so parseFormula rejects a formula
 * beyond the limits below before it recurses. The limits keep the recursion far inside Node's stack.
 */

/** Maximum length of a formula in characters. */
export const MAX_FORMULA_LENGTH = 2000;
/** Maximum nesting depth of a formula: parentheses and unary minus signs each open a level. */
export const MAX_FORMULA_DEPTH = 64;
/** Maximum number of operands (meter references and numbers) in a formula. */
export const MAX_FORMULA_OPERANDS = 200;

/** Binary operator of a formula. */
export type BinaryOperator = '+' | '-' | '*' | '/';

function isOneOf(text: string, operators: readonly BinaryOperator[]): text is BinaryOperator {
  return (operators as readonly string[]).includes(text);
}

/** Applies a binary operator to two numbers. */
export function applyOperator(operator: BinaryOperator, left: number, right: number): number {
  if (operator === '+') return left + right;
  if (operator === '-') return left - right;
  if (operator === '*') return left * right;
  return left / right;
}

/** A parsed formula. `column` is the 1-based column of the token that starts the node. */
export type FormulaNode =
  | { kind: 'number'; value: number; column: number }
  | { kind: 'meter'; meterId: string; column: number }
  | { kind: 'negate'; operand: FormulaNode; column: number }
  | { kind: 'binary'; operator: BinaryOperator; left: FormulaNode; right: FormulaNode; column: number };

/** A syntax error in a formula, with the 1-based column and the text of the offending token. */
export class FormulaSyntaxError extends Error {
  constructor(
    message: string,
    readonly column: number,
    readonly token: string,
  ) {
    super(message);
    this.name = 'FormulaSyntaxError';
  }
}

type Token =
  | { kind: 'number'; value: number; text: string; column: number }
  | { kind: 'meter'; meterId: string; text: string; column: number }
  | { kind: 'operator'; text: BinaryOperator | '(' | ')'; column: number }
  | { kind: 'end'; text: 'end of formula'; column: number };

const operandExpected = 'expected a meter id or a number';

function tokenize(formula: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < formula.length) {
    const char = formula[i]!;
    const column = i + 1;
    if (/\s/.test(char)) {
      i += 1;
    } else if ('+-*/()'.includes(char)) {
      tokens.push({ kind: 'operator', text: char as BinaryOperator | '(' | ')', column });
      i += 1;
    } else if (char === '{') {
      const close = formula.indexOf('}', i + 1);
      if (close < 0) throw new FormulaSyntaxError(`unclosed '{' at column ${column}; add a '}' after the meter id`, column, '{');
      const meterId = formula.slice(i + 1, close).trim();
      if (meterId === '' || meterId.includes('{')) {
        throw new FormulaSyntaxError(`invalid meter id '${formula.slice(i, close + 1)}' at column ${column}; write one meter id between the braces`, column, formula.slice(i, close + 1));
      }
      tokens.push({ kind: 'meter', meterId, text: formula.slice(i, close + 1), column });
      i = close + 1;
    } else {
      const number = /^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(formula.slice(i));
      const identifier = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(formula.slice(i));
      if (number) {
        tokens.push({ kind: 'number', value: Number(number[0]), text: number[0], column });
        i += number[0].length;
      } else if (identifier) {
        tokens.push({ kind: 'meter', meterId: identifier[0], text: identifier[0], column });
        i += identifier[0].length;
      } else {
        throw new FormulaSyntaxError(`unexpected '${char}' at column ${column}; ${operandExpected} or an operator (+ - * / parentheses)`, column, char);
      }
    }
  }
  tokens.push({ kind: 'end', text: 'end of formula', column: formula.length + 1 });
  return tokens;
}

/** A formula beyond MAX_FORMULA_LENGTH, MAX_FORMULA_DEPTH or MAX_FORMULA_OPERANDS. */
export class FormulaLimitError extends FormulaSyntaxError {
  constructor(message: string, column: number, token: string) {
    super(message, column, token);
    this.name = 'FormulaLimitError';
  }
}

function checkOperandCount(tokens: readonly Token[]): void {
  const operands = tokens.filter((token) => token.kind === 'number' || token.kind === 'meter');
  if (operands.length > MAX_FORMULA_OPERANDS) {
    const first = operands[MAX_FORMULA_OPERANDS]!;
    throw new FormulaLimitError(
      `the formula has ${operands.length} operands (meter ids and numbers), more than the maximum of ${MAX_FORMULA_OPERANDS}: ` +
        'split it into several virtual meters that build on each other',
      first.column,
      first.text,
    );
  }
}

function formulaTooLong(formula: string): FormulaLimitError {
  return new FormulaLimitError(
    `the formula is ${formula.length} characters long, more than the maximum of ${MAX_FORMULA_LENGTH}: split it into several virtual meters that build on each other`,
    MAX_FORMULA_LENGTH + 1,
    formula.slice(MAX_FORMULA_LENGTH, MAX_FORMULA_LENGTH + 10),
  );
}

/**
 * Parses a formula into a tree. Throws FormulaSyntaxError naming the column and the token, for example
 * "unexpected ')' at column 14; expected a meter id or a number", and its subclass FormulaLimitError for
 * a formula beyond MAX_FORMULA_LENGTH, MAX_FORMULA_DEPTH or MAX_FORMULA_OPERANDS.
 */
export function parseFormula(formula: string): FormulaNode {
  // The length check comes first so that a huge formula is never tokenized.
  if (formula.length > MAX_FORMULA_LENGTH) throw formulaTooLong(formula);
  const tokens = tokenize(formula);
  checkOperandCount(tokens);
  let position = 0;
  let depth = 0;
  const peek = (): Token => tokens[position]!;
  const describe = (token: Token): string => (token.kind === 'end' ? 'end of formula' : `'${token.text}'`);
  const fail = (token: Token, expected: string): never => {
    throw new FormulaSyntaxError(`unexpected ${describe(token)} at column ${token.column}; ${expected}`, token.column, token.text);
  };

  // Each precedence level is a left-associative chain of its operators over the next tighter level.
  const parseChain = (operators: readonly BinaryOperator[], parseOperandOfChain: () => FormulaNode): FormulaNode => {
    let node = parseOperandOfChain();
    for (let token = peek(); token.kind === 'operator' && isOneOf(token.text, operators); token = peek()) {
      position += 1;
      node = { kind: 'binary', operator: token.text, left: node, right: parseOperandOfChain(), column: token.column };
    }
    return node;
  };
  const parseSum = (): FormulaNode => parseChain(['+', '-'], parseProduct);
  const parseProduct = (): FormulaNode => parseChain(['*', '/'], parseUnary);

  // Raises FormulaLimitError before the parser recurses one level deeper than MAX_FORMULA_DEPTH.
  const enterLevel = (token: Token): void => {
    depth += 1;
    if (depth > MAX_FORMULA_DEPTH) {
      throw new FormulaLimitError(
        `the formula nests more than ${MAX_FORMULA_DEPTH} levels of parentheses and unary minus signs at column ${token.column}: remove redundant parentheses or split it into several virtual meters`,
        token.column,
        token.text,
      );
    }
  };

  const parseUnary = (): FormulaNode => {
    const token = peek();
    if (token.kind === 'operator' && token.text === '-') {
      position += 1;
      enterLevel(token);
      const operand = parseUnary();
      depth -= 1;
      return { kind: 'negate', operand, column: token.column };
    }
    return parseOperand();
  };

  const parseOperand = (): FormulaNode => {
    const token = peek();
    position += 1;
    if (token.kind === 'number') return { kind: 'number', value: token.value, column: token.column };
    if (token.kind === 'meter') return { kind: 'meter', meterId: token.meterId, column: token.column };
    if (token.kind === 'operator' && token.text === '(') {
      enterLevel(token);
      const inner = parseSum();
      if (peek().kind !== 'operator' || peek().text !== ')') fail(peek(), `expected ')' to close the '(' at column ${token.column}`);
      position += 1;
      depth -= 1;
      return inner;
    }
    return fail(token, operandExpected);
  };

  const tree = parseSum();
  if (peek().kind !== 'end') fail(peek(), 'expected an operator (+ - * /) or the end of the formula');
  return tree;
}

/** Lists the meter ids a formula tree references, each once, in order of first use. */
export function referencedMeterIds(node: FormulaNode): string[] {
  const ids = new Set<string>();
  const visit = (current: FormulaNode): void => {
    if (current.kind === 'meter') ids.add(current.meterId);
    else if (current.kind === 'negate') visit(current.operand);
    else if (current.kind === 'binary') {
      visit(current.left);
      visit(current.right);
    }
  };
  visit(node);
  return [...ids];
}

/** Evaluates a formula tree, reading each meter through `valueOf`. */
export function evaluateFormula(node: FormulaNode, valueOf: (meterId: string) => number): number {
  switch (node.kind) {
    case 'number':
      return node.value;
    case 'meter':
      return valueOf(node.meterId);
    case 'negate':
      return -evaluateFormula(node.operand, valueOf);
    case 'binary':
      return applyOperator(node.operator, evaluateFormula(node.left, valueOf), evaluateFormula(node.right, valueOf));
  }
}
