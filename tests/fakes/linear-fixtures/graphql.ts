/**
 * A small GraphQL engine for the fake Linear server: parses a query document (operations,
 * variables, fields, aliases, arguments; no fragments), validates it against a schema
 * (unknown fields, missing sub-selections, undeclared or missing variables fail with the
 * messages graphql-js gives) and executes it with resolvers. Connections get Linear's
 * arguments (`first`, `after`, `filter`, `includeArchived`) and `pageInfo`.
 */

// ---------------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------------

export type ValueNode =
  | { kind: 'var'; name: string }
  | { kind: 'lit'; value: unknown }
  | { kind: 'list'; items: ValueNode[] }
  | { kind: 'obj'; fields: Record<string, ValueNode> };

export interface FieldNode {
  alias?: string;
  name: string;
  args: Record<string, ValueNode>;
  selections: FieldNode[];
}

export interface OperationNode {
  operation: 'query' | 'mutation' | 'subscription';
  name?: string;
  variables: Record<string, { type: string; defaultValue?: ValueNode }>;
  selections: FieldNode[];
}

export class GraphqlError extends Error {
  constructor(
    message: string,
    readonly code = 'GRAPHQL_VALIDATION_FAILED',
    readonly type = 'graphql error',
  ) {
    super(message);
  }
}

const TOKEN =
  /\s+|,|#[^\n]*|(\.\.\.)|([{}()[\]:!$=@|])|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|("(?:\\.|[^"\\])*")|([_A-Za-z][_0-9A-Za-z]*)/y;

interface Token {
  kind: 'punct' | 'num' | 'str' | 'name';
  value: string;
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < source.length) {
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(source);
    if (!m)
      throw new GraphqlError(`Syntax Error: Unexpected character ${JSON.stringify(source[at])}.`);
    if (m[1]) tokens.push({ kind: 'punct', value: '...' });
    else if (m[2]) tokens.push({ kind: 'punct', value: m[2] });
    else if (m[3]) tokens.push({ kind: 'num', value: m[3] });
    else if (m[4]) tokens.push({ kind: 'str', value: m[4] });
    else if (m[5]) tokens.push({ kind: 'name', value: m[5] });
  }
  return tokens;
}

export function parseDocument(source: string): OperationNode[] {
  const t = tokenize(source);
  let i = 0;
  const peek = () => t[i];
  const next = () => {
    const tok = t[i++];
    if (!tok) throw new GraphqlError('Syntax Error: Unexpected <EOF>.');
    return tok;
  };
  const expect = (value: string) => {
    const tok = next();
    if (tok.value !== value)
      throw new GraphqlError(
        `Syntax Error: Expected "${value}", found ${JSON.stringify(tok.value)}.`,
      );
  };
  const name = () => {
    const tok = next();
    if (tok.kind !== 'name')
      throw new GraphqlError(`Syntax Error: Expected Name, found ${JSON.stringify(tok.value)}.`);
    return tok.value;
  };
  const type = (): string => {
    let out: string;
    if (peek()?.value === '[') {
      next();
      out = `[${type()}]`;
      expect(']');
    } else out = name();
    if (peek()?.value === '!') {
      next();
      out += '!';
    }
    return out;
  };
  const value = (): ValueNode => {
    const tok = next();
    if (tok.value === '$') return { kind: 'var', name: name() };
    if (tok.value === '[') {
      const items: ValueNode[] = [];
      while (peek()?.value !== ']') items.push(value());
      next();
      return { kind: 'list', items };
    }
    if (tok.value === '{') {
      const fields: Record<string, ValueNode> = {};
      while (peek()?.value !== '}') {
        const key = name();
        expect(':');
        fields[key] = value();
      }
      next();
      return { kind: 'obj', fields };
    }
    if (tok.kind === 'num') return { kind: 'lit', value: Number(tok.value) };
    if (tok.kind === 'str') return { kind: 'lit', value: JSON.parse(tok.value) as string };
    if (tok.kind === 'name') {
      if (tok.value === 'true') return { kind: 'lit', value: true };
      if (tok.value === 'false') return { kind: 'lit', value: false };
      if (tok.value === 'null') return { kind: 'lit', value: null };
      return { kind: 'lit', value: tok.value }; // enum value
    }
    throw new GraphqlError(`Syntax Error: Unexpected ${JSON.stringify(tok.value)}.`);
  };
  const selectionSet = (): FieldNode[] => {
    expect('{');
    const out: FieldNode[] = [];
    while (peek()?.value !== '}') {
      if (peek()?.value === '...') throw new GraphqlError('This fake does not support fragments.');
      let fieldName = name();
      let alias: string | undefined;
      if (peek()?.value === ':') {
        next();
        alias = fieldName;
        fieldName = name();
      }
      const args: Record<string, ValueNode> = {};
      if (peek()?.value === '(') {
        next();
        while (peek()?.value !== ')') {
          const key = name();
          expect(':');
          args[key] = value();
        }
        next();
      }
      if (peek()?.value === '@') throw new GraphqlError('This fake does not support directives.');
      const selections = peek()?.value === '{' ? selectionSet() : [];
      out.push({ ...(alias ? { alias } : {}), name: fieldName, args, selections });
    }
    next();
    return out;
  };

  const operations: OperationNode[] = [];
  while (i < t.length) {
    if (peek()?.value === '{') {
      operations.push({ operation: 'query', variables: {}, selections: selectionSet() });
      continue;
    }
    const keyword = name();
    if (keyword === 'fragment') throw new GraphqlError('This fake does not support fragments.');
    if (keyword !== 'query' && keyword !== 'mutation' && keyword !== 'subscription')
      throw new GraphqlError(`Syntax Error: Unexpected Name ${JSON.stringify(keyword)}.`);
    const op: OperationNode = { operation: keyword, variables: {}, selections: [] };
    if (peek()?.kind === 'name') op.name = name();
    if (peek()?.value === '(') {
      next();
      while (peek()?.value !== ')') {
        expect('$');
        const v = name();
        expect(':');
        const tp = type();
        let defaultValue: ValueNode | undefined;
        if (peek()?.value === '=') {
          next();
          defaultValue = value();
        }
        op.variables[v] = { type: tp, ...(defaultValue ? { defaultValue } : {}) };
      }
      next();
    }
    op.selections = selectionSet();
    operations.push(op);
  }
  if (operations.length === 0) throw new GraphqlError('Syntax Error: Unexpected <EOF>.');
  return operations;
}

// ---------------------------------------------------------------------------------
// Schema
// ---------------------------------------------------------------------------------

export type Resolver<C> = (parent: any, args: Record<string, unknown>, ctx: C) => unknown; // eslint-disable-line @typescript-eslint/no-explicit-any

export type FieldDef<C> =
  | { kind: 'scalar'; resolve: Resolver<C> }
  | { kind: 'object'; type: string; resolve: Resolver<C>; args?: string[] }
  | { kind: 'list'; type: string; resolve: Resolver<C> }
  | { kind: 'connection'; type: string; resolve: Resolver<C> };

export type Schema<C> = Record<string, Record<string, FieldDef<C>>>;

export const scalar = <C>(resolve: Resolver<C>): FieldDef<C> => ({ kind: 'scalar', resolve });
export const field = <C>(name: string): FieldDef<C> => scalar((p) => p[name] ?? null);
export const object = <C>(type: string, resolve: Resolver<C>, args?: string[]): FieldDef<C> => ({
  kind: 'object',
  type,
  resolve,
  ...(args ? { args } : {}),
});
export const list = <C>(type: string, resolve: Resolver<C>): FieldDef<C> => ({
  kind: 'list',
  type,
  resolve,
});
export const connection = <C>(type: string, resolve: Resolver<C>): FieldDef<C> => ({
  kind: 'connection',
  type,
  resolve,
});

const CONNECTION_ARGS = [
  'first',
  'after',
  'last',
  'before',
  'filter',
  'includeArchived',
  'orderBy',
  'sort',
];

// ---------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------

function usedVariables(v: ValueNode, out: Set<string>) {
  if (v.kind === 'var') out.add(v.name);
  else if (v.kind === 'list') v.items.forEach((x) => usedVariables(x, out));
  else if (v.kind === 'obj') Object.values(v.fields).forEach((x) => usedVariables(x, out));
}

export function validate<C>(
  schema: Schema<C>,
  op: OperationNode,
  variables: Record<string, unknown>,
): void {
  if (op.operation !== 'query')
    throw new GraphqlError(`This fake answers queries only, not ${op.operation}s.`);
  const used = new Set<string>();
  const walk = (typeName: string, selections: FieldNode[], parentField: string) => {
    for (const sel of selections) {
      if (sel.name === '__typename') continue;
      const def = schema[typeName]?.[sel.name];
      if (!def) throw new GraphqlError(`Cannot query field "${sel.name}" on type "${typeName}".`);
      const allowed =
        def.kind === 'connection' ? CONNECTION_ARGS : def.kind === 'object' ? (def.args ?? []) : [];
      for (const [arg, v] of Object.entries(sel.args)) {
        if (!allowed.includes(arg))
          throw new GraphqlError(`Unknown argument "${arg}" on field "${typeName}.${sel.name}".`);
        usedVariables(v, used);
      }
      if (def.kind === 'scalar') {
        if (sel.selections.length > 0)
          throw new GraphqlError(
            `Field "${sel.name}" must not have a selection since its type has no subfields.`,
          );
        continue;
      }
      const target = def.kind === 'connection' ? `${def.type}Connection` : def.type;
      if (sel.selections.length === 0)
        throw new GraphqlError(
          `Field "${sel.name}" of type "${target}" must have a selection of subfields. Did you mean "${sel.name} { ... }"?`,
        );
      if (def.kind === 'connection') {
        for (const sub of sel.selections) {
          if (sub.name === 'nodes') walk(def.type, sub.selections, sel.name);
          else if (sub.name === 'pageInfo') {
            for (const p of sub.selections)
              if (
                ![
                  'hasNextPage',
                  'hasPreviousPage',
                  'startCursor',
                  'endCursor',
                  '__typename',
                ].includes(p.name)
              )
                throw new GraphqlError(`Cannot query field "${p.name}" on type "PageInfo".`);
          } else if (sub.name === 'edges') {
            for (const e of sub.selections) {
              if (e.name === 'node') walk(def.type, e.selections, sel.name);
              else if (e.name !== 'cursor' && e.name !== '__typename')
                throw new GraphqlError(`Cannot query field "${e.name}" on type "${def.type}Edge".`);
            }
          } else if (sub.name !== '__typename')
            throw new GraphqlError(`Cannot query field "${sub.name}" on type "${target}".`);
        }
      } else walk(def.type, sel.selections, sel.name);
    }
    void parentField;
  };
  walk('Query', op.selections, 'query');
  for (const v of used) {
    if (!(v in op.variables))
      throw new GraphqlError(
        `Variable "$${v}" is not defined by operation "${op.name ?? 'anonymous'}".`,
      );
  }
  for (const [v, def] of Object.entries(op.variables)) {
    if (!used.has(v))
      throw new GraphqlError(
        `Variable "$${v}" is never used in operation "${op.name ?? 'anonymous'}".`,
      );
    const value = variables[v];
    if (def.type.endsWith('!') && (value === undefined || value === null) && !def.defaultValue)
      throw new GraphqlError(
        value === undefined
          ? `Variable "$${v}" of required type "${def.type}" was not provided.`
          : `Variable "$${v}" of non-null type "${def.type}" must not be null.`,
      );
    const base = def.type.replace(/!$/, '');
    if (value !== undefined && value !== null) {
      if (base === 'Int' && !Number.isInteger(value))
        throw new GraphqlError(
          `Variable "$${v}" got invalid value ${JSON.stringify(value)}; Int cannot represent non-integer value: ${JSON.stringify(value)}`,
        );
      if (base === 'String' && typeof value !== 'string')
        throw new GraphqlError(
          `Variable "$${v}" got invalid value ${JSON.stringify(value)}; String cannot represent a non string value: ${JSON.stringify(value)}`,
        );
    }
  }
}

// ---------------------------------------------------------------------------------
// Execution
// ---------------------------------------------------------------------------------

export interface ExecOptions<C> {
  schema: Schema<C>;
  /** Fields usable in filters only (e.g. Project.accessibleTeams, Issue.hasBlockedByRelations). */
  filterFields: Schema<C>;
  ctx: C;
  variables: Record<string, unknown>;
}

export function resolveValue(v: ValueNode, variables: Record<string, unknown>): unknown {
  switch (v.kind) {
    case 'var':
      return variables[v.name] ?? null;
    case 'lit':
      return v.value;
    case 'list':
      return v.items.map((x) => resolveValue(x, variables));
    case 'obj':
      return Object.fromEntries(
        Object.entries(v.fields).map(([k, x]) => [k, resolveValue(x, variables)]),
      );
  }
}

type Rec = Record<string, unknown>;

export function execute<C>(op: OperationNode, opts: ExecOptions<C>): Rec {
  return selectObject('Query', {}, op.selections, opts);
}

function selectObject<C>(
  typeName: string,
  record: unknown,
  selections: FieldNode[],
  opts: ExecOptions<C>,
): Rec {
  const out: Rec = {};
  for (const sel of selections) {
    const key = sel.alias ?? sel.name;
    if (sel.name === '__typename') {
      out[key] = typeName;
      continue;
    }
    const def = opts.schema[typeName]![sel.name]!;
    const args = Object.fromEntries(
      Object.entries(sel.args).map(([k, v]) => [k, resolveValue(v, opts.variables)]),
    );
    const value = def.resolve(record, args, opts.ctx);
    if (def.kind === 'scalar') out[key] = value ?? null;
    else if (def.kind === 'object')
      out[key] =
        value === null || value === undefined
          ? null
          : selectObject(def.type, value, sel.selections, opts);
    else if (def.kind === 'list')
      out[key] =
        value === null || value === undefined
          ? null
          : (value as unknown[]).map((item) => selectObject(def.type, item, sel.selections, opts));
    else out[key] = selectConnection(def.type, value as unknown[], args, sel.selections, opts);
  }
  return out;
}

function selectConnection<C>(
  typeName: string,
  items: unknown[],
  args: Rec,
  selections: FieldNode[],
  opts: ExecOptions<C>,
): Rec {
  let all = items.filter((r) => args.includeArchived === true || !(r as Rec).archivedAt);
  if (args.filter !== null && args.filter !== undefined)
    all = all.filter((r) => matches(typeName, r, args.filter as Rec, opts));
  let start = 0;
  if (typeof args.after === 'string') {
    const at = all.findIndex((r) => (r as Rec).id === args.after);
    if (at < 0)
      throw new GraphqlError(`Invalid cursor: ${args.after}`, 'INVALID_INPUT', 'invalid input');
    start = at + 1;
  }
  const first = typeof args.first === 'number' ? args.first : 50;
  if (first < 0 || first > 250)
    throw new GraphqlError('first must be between 0 and 250', 'INVALID_INPUT', 'invalid input');
  const page = all.slice(start, start + first);
  const out: Rec = {};
  for (const sel of selections) {
    const key = sel.alias ?? sel.name;
    if (sel.name === '__typename') out[key] = `${typeName}Connection`;
    else if (sel.name === 'nodes')
      out[key] = page.map((r) => selectObject(typeName, r, sel.selections, opts));
    else if (sel.name === 'edges')
      out[key] = page.map((r) =>
        Object.fromEntries(
          sel.selections.map((e) => [
            e.alias ?? e.name,
            e.name === 'node'
              ? selectObject(typeName, r, e.selections, opts)
              : e.name === 'cursor'
                ? (r as Rec).id
                : `${typeName}Edge`,
          ]),
        ),
      );
    else if (sel.name === 'pageInfo') {
      const info: Rec = {
        hasNextPage: start + first < all.length,
        hasPreviousPage: start > 0,
        startCursor: page.length > 0 ? (page[0] as Rec).id : null,
        endCursor: page.length > 0 ? (page[page.length - 1] as Rec).id : null,
        __typename: 'PageInfo',
      };
      out[key] = Object.fromEntries(sel.selections.map((p) => [p.alias ?? p.name, info[p.name]]));
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------
// Filters (Linear's `filter` argument)
// ---------------------------------------------------------------------------------

const COMPARATORS = new Set([
  'eq',
  'neq',
  'in',
  'nin',
  'null',
  'gt',
  'gte',
  'lt',
  'lte',
  'eqIgnoreCase',
  'neqIgnoreCase',
  'contains',
  'containsIgnoreCase',
  'startsWith',
  'endsWith',
]);

function compare(value: unknown, cond: Rec, where: string): boolean {
  for (const [op, expected] of Object.entries(cond)) {
    if (!COMPARATORS.has(op))
      throw new GraphqlError(`Field "${op}" is not defined by type "${where}".`);
    const v = value as string | number | null | undefined;
    const e = expected as string | number;
    const ok = (() => {
      switch (op) {
        case 'eq':
          return v === expected;
        case 'neq':
          return v !== expected;
        case 'in':
          return (expected as unknown[]).includes(v);
        case 'nin':
          return !(expected as unknown[]).includes(v);
        case 'null':
          return expected ? v === null || v === undefined : v !== null && v !== undefined;
        case 'gt':
          return v !== null && v !== undefined && v > e;
        case 'gte':
          return v !== null && v !== undefined && v >= e;
        case 'lt':
          return v !== null && v !== undefined && v < e;
        case 'lte':
          return v !== null && v !== undefined && v <= e;
        case 'eqIgnoreCase':
          return String(v ?? '').toLowerCase() === String(e).toLowerCase();
        case 'neqIgnoreCase':
          return String(v ?? '').toLowerCase() !== String(e).toLowerCase();
        case 'contains':
          return String(v ?? '').includes(String(e));
        case 'containsIgnoreCase':
          return String(v ?? '')
            .toLowerCase()
            .includes(String(e).toLowerCase());
        case 'startsWith':
          return String(v ?? '').startsWith(String(e));
        case 'endsWith':
          return String(v ?? '').endsWith(String(e));
      }
      return false;
    })();
    if (!ok) return false;
  }
  return true;
}

export function matches<C>(
  typeName: string,
  record: unknown,
  filter: Rec,
  opts: ExecOptions<C>,
): boolean {
  for (const [key, cond] of Object.entries(filter)) {
    if (cond === null || cond === undefined) continue;
    if (key === 'and') {
      if (!(cond as Rec[]).every((f) => matches(typeName, record, f, opts))) return false;
      continue;
    }
    if (key === 'or') {
      if (!(cond as Rec[]).some((f) => matches(typeName, record, f, opts))) return false;
      continue;
    }
    const def = opts.filterFields[typeName]?.[key] ?? opts.schema[typeName]?.[key];
    if (!def) throw new GraphqlError(`Field "${key}" is not defined by type "${typeName}Filter".`);
    const value = def.resolve(record, {}, opts.ctx);
    const c = cond as Rec;
    if (def.kind === 'scalar') {
      if (!compare(value, c, `${typeName}.${key} comparator`)) return false;
    } else if (def.kind === 'object') {
      const { null: isNull, ...rest } = c;
      if (isNull === true && value !== null && value !== undefined) return false;
      if (isNull === false && (value === null || value === undefined)) return false;
      if (Object.keys(rest).length > 0) {
        if (value === null || value === undefined) return false;
        if (!matches(def.type, value, rest, opts)) return false;
      }
    } else {
      const items = ((value as unknown[] | null) ?? []).filter((r) => !(r as Rec).archivedAt);
      for (const [op, sub] of Object.entries(c)) {
        if (op === 'some') {
          if (!items.some((r) => matches(def.type, r, sub as Rec, opts))) return false;
        } else if (op === 'every') {
          if (!items.every((r) => matches(def.type, r, sub as Rec, opts))) return false;
        } else if (op === 'length') {
          if (!compare(items.length, sub as Rec, 'NumberComparator')) return false;
        } else
          throw new GraphqlError(
            `Field "${op}" is not defined by type "${def.type}CollectionFilter".`,
          );
      }
    }
  }
  return true;
}
