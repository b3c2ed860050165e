/**
 * Finds the template arguments a task file needs by walking the parsed Jinja2 template (never by
 * pattern-matching its text). A variable is *free* when it is read before the template assigns
 * it; Rally's rule applies to free variables: one is required unless the template declares it
 * with `{% set x = x or <default> %}` (any `{% set x = x … %}`) or `x | default(<default>)`.
 *
 * Paddock relaxes one case: a variable only tested with `is defined` / `is undefined` is
 * optional (Rally asks for it, although the template plainly handles its absence).
 */
import { parse, tokenize } from "@huggingface/jinja";
import type { ScenarioArg } from "@paddock/shared/api";

/** The parsed template as `@huggingface/jinja` builds it. */
export type TemplateProgram = ReturnType<typeof parse>;

/** A node of the parsed template; its fields depend on `type`. */
interface TemplateNode {
  readonly type: string;
  readonly [field: string]: unknown;
}

/** Names every template sees without being given: Rally's and Jinja2's globals. */
export const TEMPLATE_GLOBALS: ReadonlySet<string> = new Set([
  "min",
  "max",
  "round",
  "ceil",
  "range",
  "namespace",
  "true",
  "false",
  "none",
  "True",
  "False",
  "None",
]);

/** Filter names that supply a default for an undefined operand. */
const DEFAULT_FILTERS = new Set(["default", "d"]);

/** A literal a default is written with; anything else (an expression) has no static value. */
const NO_LITERAL = Symbol("no literal");
type LiteralValue = unknown | typeof NO_LITERAL;

/** Tokenizes and parses a template the way Jinja2's defaults do (no block trimming). */
export function parseTemplate(text: string): TemplateProgram {
  return parse(tokenize(text, { lstrip_blocks: false, trim_blocks: false }));
}

const isNode = (value: unknown): value is TemplateNode =>
  typeof value === "object" && value !== null && typeof (value as { type?: unknown }).type === "string";

const nodes = (value: unknown): TemplateNode[] => (Array.isArray(value) ? value.filter(isNode) : []);

function identifierName(node: unknown): string | undefined {
  return isNode(node) && node.type === "Identifier" && typeof node.value === "string"
    ? node.value
    : undefined;
}

function filterName(filter: unknown): string | undefined {
  if (!isNode(filter)) return undefined;
  return filter.type === "CallExpression" ? identifierName(filter.callee) : identifierName(filter);
}

/** Evaluates a default written as a literal: numbers, strings, booleans, none, lists, dicts. */
function literalValue(node: unknown): LiteralValue {
  if (!isNode(node)) return NO_LITERAL;
  switch (node.type) {
    case "IntegerLiteral":
    case "FloatLiteral":
    case "StringLiteral":
      return node.value;
    case "Identifier": {
      const constants: Record<string, unknown> = {
        true: true,
        True: true,
        false: false,
        False: false,
        none: null,
        None: null,
      };
      return typeof node.value === "string" && node.value in constants ? constants[node.value] : NO_LITERAL;
    }
    case "UnaryExpression": {
      const operator = (node.operator as { value?: string } | undefined)?.value;
      const operand = literalValue(node.argument);
      if (typeof operand !== "number") return NO_LITERAL;
      if (operator === "-") return -operand;
      if (operator === "+") return operand;
      return NO_LITERAL;
    }
    case "ArrayLiteral":
    case "TupleLiteral": {
      const items = nodes(node.value).map(literalValue);
      return items.includes(NO_LITERAL) ? NO_LITERAL : items;
    }
    case "ObjectLiteral": {
      if (!(node.value instanceof Map)) return NO_LITERAL;
      const result: Record<string, unknown> = {};
      for (const [key, value] of node.value as Map<unknown, unknown>) {
        const k = literalValue(key);
        const v = literalValue(value);
        if (k === NO_LITERAL || v === NO_LITERAL || typeof k === "object") return NO_LITERAL;
        result[String(k)] = v;
      }
      return result;
    }
    default:
      return NO_LITERAL;
  }
}

/** The default a `x | default(...)` filter gives: its first argument, or `""` without one. */
function filterDefault(filter: unknown): LiteralValue {
  if (isNode(filter) && filter.type === "CallExpression") {
    const [first] = nodes(filter.args);
    if (!first) return "";
    return first.type === "KeywordArgumentExpression" ? literalValue(first.value) : literalValue(first);
  }
  return "";
}

/** The operand an expression starts with: `x` in `x or 5`, `x | int`, `x is defined`. */
function leftmost(node: TemplateNode): TemplateNode {
  switch (node.type) {
    case "BinaryExpression":
      return isNode(node.left) ? leftmost(node.left) : node;
    case "FilterExpression":
    case "TestExpression":
      return isNode(node.operand) ? leftmost(node.operand) : node;
    default:
      return node;
  }
}

/** `x is defined` (true branch guarded) or `x is undefined` / `x is not defined` (else branch). */
function definedGuard(test: unknown): { name: string; whenTrue: boolean } | undefined {
  if (!isNode(test) || test.type !== "TestExpression") return undefined;
  const name = identifierName(test.operand);
  const kind = identifierName(test.test);
  if (!name || (kind !== "defined" && kind !== "undefined")) return undefined;
  return { name, whenTrue: (kind === "defined") !== (test.negate === true) };
}

/** What the walk learns about one free variable. */
interface VariableUse {
  /** Read somewhere without a default. */
  required: boolean;
  /** Given a default somewhere (`set x = x or …`, `x | default(…)`): never required. */
  declared: boolean;
  default: LiteralValue;
}

class VariableCollector {
  readonly uses = new Map<string, VariableUse>();

  private use(name: string): VariableUse {
    let use = this.uses.get(name);
    if (!use) {
      use = { required: false, declared: false, default: NO_LITERAL };
      this.uses.set(name, use);
    }
    return use;
  }

  /** Records a read of `name`; `required` unless the read itself tolerates absence. */
  private note(name: string, required: boolean): void {
    const use = this.use(name);
    if (required) use.required = true;
  }

  /** Marks `name` as declared (never required), with a default when it is a literal. */
  private declare(name: string, value: LiteralValue): void {
    const use = this.use(name);
    use.declared = true;
    if (use.default === NO_LITERAL) use.default = value;
  }

  statements(list: unknown, scope: Set<string>): void {
    for (const node of nodes(list)) this.statement(node, scope);
  }

  private statement(node: TemplateNode, scope: Set<string>): void {
    switch (node.type) {
      case "Program":
        this.statements(node.body, scope);
        return;
      case "Comment":
      case "Break":
      case "Continue":
        return;
      case "If": {
        this.expression(node.test, scope);
        const guard = definedGuard(node.test);
        this.guarded(guard?.whenTrue ? guard.name : undefined, scope, () =>
          this.statements(node.body, scope),
        );
        this.guarded(guard && !guard.whenTrue ? guard.name : undefined, scope, () =>
          this.statements(node.alternate, scope),
        );
        return;
      }
      case "For": {
        const inner = new Set(scope);
        for (const name of this.targets(node.loopvar)) inner.add(name);
        inner.add("loop");
        const iterable = node.iterable;
        if (isNode(iterable) && iterable.type === "SelectExpression") {
          this.expression(iterable.lhs, scope);
          this.expression(iterable.test, inner);
        } else {
          this.expression(iterable, scope);
        }
        this.statements(node.body, inner);
        this.statements(node.defaultBlock, scope);
        return;
      }
      case "Set":
        this.set(node, scope);
        return;
      case "Macro": {
        const name = identifierName(node.name);
        if (name) scope.add(name);
        const inner = new Set(scope);
        for (const arg of nodes(node.args)) {
          const argName = identifierName(arg) ?? identifierName(arg.key);
          if (argName) inner.add(argName);
          if (arg.type === "KeywordArgumentExpression") this.expression(arg.value, scope);
        }
        for (const name of ["varargs", "kwargs", "caller"]) inner.add(name);
        this.statements(node.body, inner);
        return;
      }
      case "CallStatement": {
        this.expression(node.call, scope);
        const inner = new Set(scope);
        for (const arg of nodes(node.callerArgs)) {
          const argName = identifierName(arg) ?? identifierName(arg.key);
          if (argName) inner.add(argName);
        }
        this.statements(node.body, inner);
        return;
      }
      case "FilterStatement":
        if (isNode(node.filter) && node.filter.type === "CallExpression")
          this.arguments(node.filter.args, scope);
        this.statements(node.body, scope);
        return;
      case "StringLiteral":
        // Text between tags.
        return;
      default:
        this.expression(node, scope);
    }
  }

  /** Walks a branch that only runs when `name` is defined, so reading it there needs nothing. */
  private guarded(name: string | undefined, scope: Set<string>, walk: () => void): void {
    if (name === undefined || scope.has(name)) {
      walk();
      return;
    }
    // Added for the branch only; an `{% if %}` does not scope its `set`s, so the rest stays.
    scope.add(name);
    walk();
    scope.delete(name);
  }

  private set(node: TemplateNode, scope: Set<string>): void {
    const assignee = isNode(node.assignee) ? node.assignee : undefined;
    const value = isNode(node.value) ? node.value : undefined;
    const name = identifierName(assignee);
    if (name && value && !scope.has(name) && identifierName(leftmost(value)) === name) {
      // `{% set x = x or 5 %}` / `{% set x = x | default(5) %}`: x is an optional argument.
      let fallback: LiteralValue = NO_LITERAL;
      if (value.type === "BinaryExpression" && (value.operator as { value?: string })?.value === "or") {
        fallback = literalValue(value.right);
      } else if (value.type === "FilterExpression" && DEFAULT_FILTERS.has(filterName(value.filter) ?? "")) {
        fallback = filterDefault(value.filter);
      }
      this.declare(name, fallback);
    }
    if (value) this.expression(value, scope);
    else this.statements(node.body, scope);
    if (assignee && assignee.type !== "Identifier" && assignee.type !== "TupleLiteral") {
      // `{% set ns.count = … %}` reads `ns`.
      this.expression(assignee, scope);
    }
    for (const target of this.targets(assignee)) scope.add(target);
  }

  private targets(node: unknown): string[] {
    const name = identifierName(node);
    if (name) return [name];
    if (isNode(node) && (node.type === "TupleLiteral" || node.type === "ArrayLiteral")) {
      return nodes(node.value).flatMap((item) => this.targets(item));
    }
    return [];
  }

  private arguments(list: unknown, scope: Set<string>): void {
    for (const arg of nodes(list)) {
      this.expression(arg.type === "KeywordArgumentExpression" ? arg.value : arg, scope);
    }
  }

  private expression(value: unknown, scope: Set<string>): void {
    if (!isNode(value)) return;
    const node = value;
    switch (node.type) {
      case "Identifier": {
        const name = identifierName(node);
        if (!name || scope.has(name) || TEMPLATE_GLOBALS.has(name)) return;
        this.note(name, true);
        return;
      }
      case "IntegerLiteral":
      case "FloatLiteral":
      case "StringLiteral":
        return;
      case "ArrayLiteral":
      case "TupleLiteral":
        for (const item of nodes(node.value)) this.expression(item, scope);
        return;
      case "ObjectLiteral":
        if (node.value instanceof Map) {
          for (const [key, item] of node.value as Map<unknown, unknown>) {
            this.expression(key, scope);
            this.expression(item, scope);
          }
        }
        return;
      case "MemberExpression":
        this.expression(node.object, scope);
        if (node.computed) this.expression(node.property, scope);
        return;
      case "CallExpression":
        this.expression(node.callee, scope);
        this.arguments(node.args, scope);
        return;
      case "FilterExpression": {
        const operandName = identifierName(node.operand);
        if (operandName && DEFAULT_FILTERS.has(filterName(node.filter) ?? "")) {
          if (!scope.has(operandName) && !TEMPLATE_GLOBALS.has(operandName)) {
            this.declare(operandName, filterDefault(node.filter));
          }
        } else {
          this.expression(node.operand, scope);
        }
        if (isNode(node.filter) && node.filter.type === "CallExpression")
          this.arguments(node.filter.args, scope);
        return;
      }
      case "TestExpression": {
        const operandName = identifierName(node.operand);
        const test = identifierName(node.test);
        if (operandName && (test === "defined" || test === "undefined")) {
          if (!scope.has(operandName) && !TEMPLATE_GLOBALS.has(operandName)) this.note(operandName, false);
          return;
        }
        this.expression(node.operand, scope);
        return;
      }
      case "BinaryExpression":
        this.expression(node.left, scope);
        this.expression(node.right, scope);
        return;
      case "UnaryExpression":
      case "SpreadExpression":
      case "KeywordSpreadExpression":
        this.expression(node.argument, scope);
        return;
      case "KeywordArgumentExpression":
        this.expression(node.value, scope);
        return;
      case "SliceExpression":
        this.expression(node.start, scope);
        this.expression(node.stop, scope);
        this.expression(node.step, scope);
        return;
      case "Ternary":
        this.expression(node.condition, scope);
        this.expression(node.trueExpr, scope);
        this.expression(node.falseExpr, scope);
        return;
      case "SelectExpression":
        this.expression(node.lhs, scope);
        this.expression(node.test, scope);
        return;
      default:
        return;
    }
  }
}

/**
 * The template arguments a parsed template uses, in order of first use: `required` unless the
 * template gives it a default (`default` is set when that default is a literal).
 */
export function templateVariables(program: TemplateProgram): ScenarioArg[] {
  const collector = new VariableCollector();
  collector.statements([program], new Set());
  return [...collector.uses].map(([name, use]) => {
    const arg: ScenarioArg = { name, required: use.required && !use.declared };
    if (use.default !== NO_LITERAL) arg.default = use.default;
    return arg;
  });
}

/** Renames the `d` filter (Jinja2's alias) to `default`, which the engine implements. */
export function normalizeFilterAliases(program: TemplateProgram): void {
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    if (value instanceof Map) {
      for (const [key, item] of value) {
        visit(key);
        visit(item);
      }
      return;
    }
    if (!isNode(value)) return;
    if (value.type === "FilterExpression" || value.type === "FilterStatement") {
      const filter = value.filter;
      const target = isNode(filter) && filter.type === "CallExpression" ? filter.callee : filter;
      if (identifierName(target) === "d") (target as { value: string }).value = "default";
    }
    for (const [key, field] of Object.entries(value)) {
      if (key !== "type") visit(field);
    }
  };
  visit(program);
}
