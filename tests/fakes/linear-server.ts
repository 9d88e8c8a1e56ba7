/**
 * A local stand-in for Linear's GraphQL API (POST /graphql), for tests without the
 * internet. It answers any query over the part of Linear's schema boardroom reads, with
 * Linear's field names and nesting (@linear/sdk 98 types): Query.viewer, organization,
 * projects, projectMilestones, issues, issue(id), users, teams, cycles; connections with
 * `first`/`after`/`filter`/`includeArchived` and `pageInfo { hasNextPage endCursor }`
 * (cursors are node ids, as Linear's are). Unknown fields, arguments or variables fail the
 * way graphql-js does (HTTP 400, GRAPHQL_VALIDATION_FAILED).
 *
 * Auth: `Authorization: <api key>` exactly (a personal key, no "Bearer"); anything else is
 * Linear's AUTHENTICATION_ERROR (HTTP 400). Every response carries Linear's rate-limit
 * headers. `failNext` injects the real failure shapes; `tamperNext` changes one response's
 * data (shape-change tests). Every request is recorded.
 *
 *   const fake = await startFakeLinear({ workspace: goldenLinearWorkspace() });
 *   settings.base_url = fake.url;  // the connector posts to `${fake.url}/graphql`
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenLocally } from './local-server.js';
import {
  GraphqlError,
  connection,
  execute,
  field,
  list,
  object,
  parseDocument,
  scalar,
  validate,
  type Schema,
} from './linear-fixtures/graphql.js';

// ---------------------------------------------------------------------------------
// The workspace the fake serves (ids reference each other)
// ---------------------------------------------------------------------------------

export interface FakeUser {
  id: string;
  name: string;
  displayName: string;
  email: string;
  active: boolean;
  createdAt: string;
}
export interface FakeTeam {
  id: string;
  key: string;
  name: string;
}
export interface FakeState {
  id: string;
  teamId: string;
  name: string;
  type: 'triage' | 'backlog' | 'unstarted' | 'started' | 'completed' | 'canceled';
  color: string;
}
export interface FakeLabel {
  id: string;
  name: string;
  color: string;
}
export interface FakeProjectStatus {
  id: string;
  name: string;
  type: 'backlog' | 'planned' | 'started' | 'paused' | 'completed' | 'canceled';
  color: string;
}
export interface FakeProject {
  id: string;
  slugId: string;
  name: string;
  statusId: string;
  leadId: string | null;
  teamIds: string[];
  progress: number;
  scope: number;
  startDate: string | null;
  targetDate: string | null;
  startedAt: string | null;
  completedAt: string | null;
  canceledAt: string | null;
  createdAt: string;
  updatedAt: string;
  archivedAt: string | null;
}
export interface FakeMilestone {
  id: string;
  projectId: string;
  name: string;
  targetDate: string | null;
  status: 'done' | 'next' | 'overdue' | 'unstarted';
  progress: number;
  sortOrder: number;
  createdAt: string;
  updatedAt: string;
  archivedAt: string | null;
}
export interface FakeCycle {
  id: string;
  teamId: string;
  number: number;
  name: string | null;
  startsAt: string;
  endsAt: string;
}
export interface FakeIssue {
  id: string;
  teamId: string;
  number: number;
  title: string;
  estimate: number | null;
  priority: number;
  stateId: string;
  assigneeId: string | null;
  projectId: string | null;
  milestoneId: string | null;
  cycleId: string | null;
  labelIds: string[];
  createdAt: string;
  updatedAt: string;
  startedAt: string | null;
  completedAt: string | null;
  canceledAt: string | null;
  archivedAt: string | null;
  trashed: boolean | null;
}
export interface FakeRelation {
  id: string;
  /** `blocks`, `duplicate`, `related`, `similar`: `issueId` <type> `relatedIssueId`. */
  type: string;
  issueId: string;
  relatedIssueId: string;
  createdAt: string;
}
export interface FakeHistory {
  id: string;
  issueId: string;
  createdAt: string;
  addedLabelIds?: string[];
  removedLabelIds?: string[];
  fromStateId?: string;
  toStateId?: string;
}
export interface FakeLinearWorkspace {
  /** Personal API keys the fake accepts. */
  apiKeys: string[];
  viewerId: string;
  organization: { id: string; name: string; urlKey: string; createdAt: string };
  users: FakeUser[];
  teams: FakeTeam[];
  states: FakeState[];
  labels: FakeLabel[];
  projectStatuses: FakeProjectStatus[];
  projects: FakeProject[];
  milestones: FakeMilestone[];
  cycles: FakeCycle[];
  issues: FakeIssue[];
  relations: FakeRelation[];
  history: FakeHistory[];
}

// ---------------------------------------------------------------------------------
// Linear's schema (the part served), as resolvers over the workspace
// ---------------------------------------------------------------------------------

interface Ctx {
  w: FakeLinearWorkspace;
  now: number;
}

const byId = <T extends { id: string }>(items: readonly T[], id: string | null | undefined) =>
  id ? (items.find((x) => x.id === id) ?? null) : null;

const cycleFlags = (c: FakeCycle, now: number) => ({
  isActive: Date.parse(c.startsAt) <= now && now < Date.parse(c.endsAt),
  isFuture: Date.parse(c.startsAt) > now,
  isPast: Date.parse(c.endsAt) <= now,
});

const SCHEMA: Schema<Ctx> = {
  Query: {
    viewer: object('User', (_p, _a, { w }) => byId(w.users, w.viewerId)),
    organization: object('Organization', (_p, _a, { w }) => w.organization),
    projects: connection('Project', (_p, _a, { w }) => w.projects),
    projectMilestones: connection('ProjectMilestone', (_p, _a, { w }) => w.milestones),
    issues: connection('Issue', (_p, _a, { w }) => w.issues),
    issue: object(
      'Issue',
      (_p, args, { w }) => {
        const id = String(args.id ?? '');
        const issue =
          byId(w.issues, id) ??
          w.issues.find((i) => `${byId(w.teams, i.teamId)?.key}-${i.number}` === id) ??
          null;
        if (!issue)
          throw new GraphqlError('Entity not found: Issue', 'INVALID_INPUT', 'invalid input');
        return issue;
      },
      ['id'],
    ),
    users: connection('User', (_p, _a, { w }) => w.users),
    teams: connection('Team', (_p, _a, { w }) => w.teams),
    cycles: connection('Cycle', (_p, _a, { w }) => w.cycles),
  },
  Organization: {
    id: field('id'),
    name: field('name'),
    urlKey: field('urlKey'),
    createdAt: field('createdAt'),
  },
  User: {
    id: field('id'),
    name: field('name'),
    displayName: field('displayName'),
    email: field('email'),
    active: field('active'),
    createdAt: field('createdAt'),
  },
  Team: {
    id: field('id'),
    key: field('key'),
    name: field('name'),
  },
  ProjectStatus: {
    id: field('id'),
    name: field('name'),
    type: field('type'),
    color: field('color'),
  },
  Project: {
    id: field('id'),
    slugId: field('slugId'),
    name: field('name'),
    url: scalar(
      (p: FakeProject, _a, { w }) =>
        `https://linear.app/${w.organization.urlKey}/project/${p.slugId}`,
    ),
    status: object('ProjectStatus', (p: FakeProject, _a, { w }) =>
      byId(w.projectStatuses, p.statusId),
    ),
    state: scalar((p: FakeProject, _a, { w }) => byId(w.projectStatuses, p.statusId)?.type ?? null),
    progress: field('progress'),
    scope: field('scope'),
    startDate: field('startDate'),
    targetDate: field('targetDate'),
    startedAt: field('startedAt'),
    completedAt: field('completedAt'),
    canceledAt: field('canceledAt'),
    createdAt: field('createdAt'),
    updatedAt: field('updatedAt'),
    archivedAt: field('archivedAt'),
    lead: object('User', (p: FakeProject, _a, { w }) => byId(w.users, p.leadId)),
    teams: connection('Team', (p: FakeProject, _a, { w }) =>
      w.teams.filter((t) => p.teamIds.includes(t.id)),
    ),
    projectMilestones: connection('ProjectMilestone', (p: FakeProject, _a, { w }) =>
      w.milestones.filter((m) => m.projectId === p.id),
    ),
    issues: connection('Issue', (p: FakeProject, _a, { w }) =>
      w.issues.filter((i) => i.projectId === p.id),
    ),
  },
  ProjectMilestone: {
    id: field('id'),
    name: field('name'),
    targetDate: field('targetDate'),
    status: field('status'),
    progress: field('progress'),
    sortOrder: field('sortOrder'),
    createdAt: field('createdAt'),
    updatedAt: field('updatedAt'),
    archivedAt: field('archivedAt'),
    project: object('Project', (m: FakeMilestone, _a, { w }) => byId(w.projects, m.projectId)),
    issues: connection('Issue', (m: FakeMilestone, _a, { w }) =>
      w.issues.filter((i) => i.milestoneId === m.id),
    ),
  },
  Cycle: {
    id: field('id'),
    number: field('number'),
    name: field('name'),
    startsAt: field('startsAt'),
    endsAt: field('endsAt'),
    isActive: scalar((c: FakeCycle, _a, { now }) => cycleFlags(c, now).isActive),
    isFuture: scalar((c: FakeCycle, _a, { now }) => cycleFlags(c, now).isFuture),
    isPast: scalar((c: FakeCycle, _a, { now }) => cycleFlags(c, now).isPast),
    team: object('Team', (c: FakeCycle, _a, { w }) => byId(w.teams, c.teamId)),
  },
  WorkflowState: {
    id: field('id'),
    name: field('name'),
    type: field('type'),
    color: field('color'),
    team: object('Team', (s: FakeState, _a, { w }) => byId(w.teams, s.teamId)),
  },
  IssueLabel: {
    id: field('id'),
    name: field('name'),
    color: field('color'),
  },
  Issue: {
    id: field('id'),
    identifier: scalar((i: FakeIssue, _a, { w }) => `${byId(w.teams, i.teamId)?.key}-${i.number}`),
    number: field('number'),
    title: field('title'),
    estimate: field('estimate'),
    priority: field('priority'),
    trashed: field('trashed'),
    url: scalar(
      (i: FakeIssue, _a, { w }) =>
        `https://linear.app/${w.organization.urlKey}/issue/${byId(w.teams, i.teamId)?.key}-${i.number}`,
    ),
    createdAt: field('createdAt'),
    updatedAt: field('updatedAt'),
    startedAt: field('startedAt'),
    completedAt: field('completedAt'),
    canceledAt: field('canceledAt'),
    archivedAt: field('archivedAt'),
    state: object('WorkflowState', (i: FakeIssue, _a, { w }) => byId(w.states, i.stateId)),
    assignee: object('User', (i: FakeIssue, _a, { w }) => byId(w.users, i.assigneeId)),
    team: object('Team', (i: FakeIssue, _a, { w }) => byId(w.teams, i.teamId)),
    project: object('Project', (i: FakeIssue, _a, { w }) => byId(w.projects, i.projectId)),
    projectMilestone: object('ProjectMilestone', (i: FakeIssue, _a, { w }) =>
      byId(w.milestones, i.milestoneId),
    ),
    cycle: object('Cycle', (i: FakeIssue, _a, { w }) => byId(w.cycles, i.cycleId)),
    labels: connection('IssueLabel', (i: FakeIssue, _a, { w }) =>
      w.labels.filter((l) => i.labelIds.includes(l.id)),
    ),
    relations: connection('IssueRelation', (i: FakeIssue, _a, { w }) =>
      w.relations.filter((r) => r.issueId === i.id),
    ),
    inverseRelations: connection('IssueRelation', (i: FakeIssue, _a, { w }) =>
      w.relations.filter((r) => r.relatedIssueId === i.id),
    ),
    history: connection('IssueHistory', (i: FakeIssue, _a, { w }) =>
      w.history.filter((h) => h.issueId === i.id),
    ),
  },
  IssueRelation: {
    id: field('id'),
    type: field('type'),
    createdAt: field('createdAt'),
    updatedAt: field('createdAt'),
    issue: object('Issue', (r: FakeRelation, _a, { w }) => byId(w.issues, r.issueId)),
    relatedIssue: object('Issue', (r: FakeRelation, _a, { w }) => byId(w.issues, r.relatedIssueId)),
  },
  IssueHistory: {
    id: field('id'),
    createdAt: field('createdAt'),
    updatedAt: field('createdAt'),
    issue: object('Issue', (h: FakeHistory, _a, { w }) => byId(w.issues, h.issueId)),
    addedLabels: list('IssueLabel', (h: FakeHistory, _a, { w }) =>
      h.addedLabelIds ? w.labels.filter((l) => h.addedLabelIds!.includes(l.id)) : null,
    ),
    removedLabels: list('IssueLabel', (h: FakeHistory, _a, { w }) =>
      h.removedLabelIds ? w.labels.filter((l) => h.removedLabelIds!.includes(l.id)) : null,
    ),
    fromState: object('WorkflowState', (h: FakeHistory, _a, { w }) =>
      byId(w.states, h.fromStateId),
    ),
    toState: object('WorkflowState', (h: FakeHistory, _a, { w }) => byId(w.states, h.toStateId)),
  },
};

/** Filter-only fields (Linear's filter inputs name some relations differently). */
const FILTER_FIELDS: Schema<Ctx> = {
  Project: {
    accessibleTeams: list('Team', (p: FakeProject, _a, { w }) =>
      w.teams.filter((t) => p.teamIds.includes(t.id)),
    ),
  },
  Issue: {
    hasBlockedByRelations: scalar((i: FakeIssue, _a, { w }) =>
      w.relations.some((r) => r.type === 'blocks' && r.relatedIssueId === i.id),
    ),
    hasBlockingRelations: scalar((i: FakeIssue, _a, { w }) =>
      w.relations.some((r) => r.type === 'blocks' && r.issueId === i.id),
    ),
  },
};

// ---------------------------------------------------------------------------------
// Failures, in Linear's shapes
// ---------------------------------------------------------------------------------

export type LinearFailure =
  /** A wrong or revoked key: HTTP 400, AUTHENTICATION_ERROR (what Linear sends). */
  | 'authentication'
  /** The same error with HTTP 401 (a proxy, or an older API). */
  | 'unauthorized'
  /** The key lacks a permission or team access: HTTP 400, FORBIDDEN. */
  | 'forbidden'
  /** Over the request or complexity budget: HTTP 400, RATELIMITED, X-RateLimit-Requests-Reset. */
  | 'ratelimited'
  /** HTTP 429 with Retry-After: 30. */
  | 'too-many-requests'
  /** HTTP 429 with this Retry-After (seconds or an HTTP date). */
  | { kind: 'too-many-requests'; retryAfter: string }
  /** HTTP 500, INTERNAL_SERVER_ERROR. */
  | 'server-error'
  /** HTTP 502 with an HTML body (a load balancer). */
  | 'bad-gateway'
  /** HTTP 404 with an HTML body (a wrong base_url). */
  | 'not-found'
  /** The connection is reset without an answer. */
  | 'reset'
  /** No answer at all (until the server closes): a timeout. */
  | 'hang'
  | { status: number; body: unknown; headers?: Record<string, string> };

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  body: { query?: string; variables?: Record<string, unknown>; operationName?: string } | undefined;
  /** The operation's name in the document (`query BoardroomProjects(...)`). */
  operationName: string | undefined;
  variables: Record<string, unknown>;
}

export interface FakeLinear {
  /** The base URL (`settings.base_url`); the endpoint is `${url}/graphql`. */
  url: string;
  requests: RecordedRequest[];
  workspace: FakeLinearWorkspace;
  /** The next `times` requests (that match `operation`, if given) fail this way. */
  failNext(failure: LinearFailure, opts?: { times?: number; operation?: string }): void;
  /** The next response to `operation` has its `data` passed through `fn`. */
  tamperNext(operation: string, fn: (data: Record<string, unknown>) => unknown): void;
  /** Requests of one operation. */
  calls(operation: string): RecordedRequest[];
  close(): Promise<void>;
}

export interface FakeLinearOptions {
  workspace: FakeLinearWorkspace;
  /** The fake's "now" (cycle isActive/isFuture, rate-limit reset); default the real clock. */
  now?: () => number;
}

const JSON_TYPE = 'application/json; charset=utf-8';

function gqlError(
  message: string,
  code: string,
  type: string,
  extra: Record<string, unknown> = {},
) {
  return { errors: [{ message, extensions: { type, code, userError: true, ...extra } }] };
}

const AUTH_BODY = gqlError(
  'Authentication required, not authenticated',
  'AUTHENTICATION_ERROR',
  'authentication error',
  {
    statusCode: 401,
    userPresentableMessage: 'You need to authenticate to access this operation.',
  },
);

const RATE_LIMIT_429_BODY = gqlError('Rate limit exceeded', 'RATELIMITED', 'ratelimited', {
  statusCode: 429,
});

export async function startFakeLinear(options: FakeLinearOptions): Promise<FakeLinear> {
  const workspace = options.workspace;
  const now = options.now ?? (() => Date.now());
  const requests: RecordedRequest[] = [];
  const failures: { failure: LinearFailure; times: number; operation?: string }[] = [];
  const tampers: { operation: string; fn: (data: Record<string, unknown>) => unknown }[] = [];
  let remaining = 5000;

  const rateHeaders = (): Record<string, string> => ({
    'x-ratelimit-requests-limit': '5000',
    'x-ratelimit-requests-remaining': String(Math.max(0, remaining)),
    'x-ratelimit-requests-reset': String(now() + 3_600_000),
  });

  const send = (
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ) => {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(status, {
      'content-type': typeof body === 'string' ? 'text/html; charset=utf-8' : JSON_TYPE,
      ...rateHeaders(),
      ...headers,
    });
    res.end(text);
  };

  const fail = (res: ServerResponse, failure: LinearFailure): void => {
    if (typeof failure === 'object' && 'kind' in failure) {
      return send(res, 429, RATE_LIMIT_429_BODY, {
        'retry-after': failure.retryAfter,
        'x-ratelimit-requests-remaining': '0',
      });
    }
    if (typeof failure === 'object')
      return send(res, failure.status, failure.body, failure.headers);
    switch (failure) {
      case 'authentication':
        return send(res, 400, AUTH_BODY);
      case 'unauthorized':
        return send(res, 401, AUTH_BODY);
      case 'forbidden':
        return send(
          res,
          400,
          gqlError('Forbidden', 'FORBIDDEN', 'forbidden', {
            statusCode: 403,
            userPresentableMessage: 'You do not have access to this resource.',
          }),
        );
      case 'ratelimited':
        return send(
          res,
          400,
          gqlError('Rate limit exceeded', 'RATELIMITED', 'ratelimited', {
            statusCode: 429,
            userPresentableMessage: 'Too many requests. Please try again later.',
          }),
          {
            'x-ratelimit-requests-remaining': '0',
            'x-ratelimit-requests-reset': String(now() + 60_000),
          },
        );
      case 'too-many-requests':
        return send(res, 429, RATE_LIMIT_429_BODY, {
          'retry-after': '30',
          'x-ratelimit-requests-remaining': '0',
        });
      case 'server-error':
        return send(res, 500, {
          errors: [
            {
              message: 'Internal server error',
              extensions: {
                type: 'internal error',
                code: 'INTERNAL_SERVER_ERROR',
                userError: false,
              },
            },
          ],
        });
      case 'bad-gateway':
        return send(
          res,
          502,
          '<html><head><title>502 Bad Gateway</title></head><body>502 Bad Gateway</body></html>',
        );
      case 'not-found':
        return send(res, 404, '<html><body>Not Found</body></html>');
      case 'reset':
        res.socket?.destroy();
        return;
      case 'hang':
        return; // no answer; close() cuts the connection
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: RecordedRequest['body'];
    try {
      body = raw ? (JSON.parse(raw) as RecordedRequest['body']) : undefined;
    } catch {
      body = undefined;
    }
    let operations: ReturnType<typeof parseDocument> | undefined;
    let parseError: GraphqlError | undefined;
    try {
      operations = body?.query ? parseDocument(body.query) : undefined;
    } catch (e) {
      parseError = e as GraphqlError;
    }
    const op =
      operations?.find((o) => !body?.operationName || o.name === body.operationName) ??
      operations?.[0];
    const record: RecordedRequest = {
      method: req.method ?? '',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: Object.fromEntries(
        Object.entries(req.headers).map(([k, v]) => [
          k.toLowerCase(),
          Array.isArray(v) ? v.join(', ') : (v ?? ''),
        ]),
      ),
      body,
      operationName: op?.name,
      variables: body?.variables ?? {},
    };
    requests.push(record);
    remaining -= 1;

    const f = failures.findIndex((x) => !x.operation || x.operation === record.operationName);
    if (f >= 0) {
      const entry = failures[f]!;
      entry.times -= 1;
      if (entry.times <= 0) failures.splice(f, 1);
      return fail(res, entry.failure);
    }
    if (url.pathname !== '/graphql') return send(res, 404, '<html><body>Not Found</body></html>');
    if (req.method !== 'POST')
      return send(
        res,
        400,
        gqlError('Only POST requests are supported', 'BAD_REQUEST', 'invalid input'),
      );
    if (!workspace.apiKeys.includes(record.headers.authorization ?? ''))
      return send(res, 400, AUTH_BODY);
    if (!body || typeof body.query !== 'string')
      return send(
        res,
        400,
        gqlError('POST body sent invalid JSON or no query.', 'BAD_REQUEST', 'invalid input'),
      );
    try {
      if (parseError) throw parseError;
      validate(SCHEMA, op!, record.variables);
      let data: unknown = execute(op!, {
        schema: SCHEMA,
        filterFields: FILTER_FIELDS,
        ctx: { w: workspace, now: now() },
        variables: record.variables,
      });
      const t = tampers.findIndex((x) => x.operation === record.operationName);
      if (t >= 0) {
        data = tampers[t]!.fn(data as Record<string, unknown>);
        tampers.splice(t, 1);
      }
      return send(res, 200, { data });
    } catch (e) {
      if (e instanceof GraphqlError) return send(res, 400, gqlError(e.message, e.code, e.type));
      throw e;
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) send(res, 500, { errors: [{ message: String(e) }] });
    });
  });
  const listening = await listenLocally(server);

  return {
    url: listening.url,
    requests,
    workspace,
    failNext(failure, opts = {}) {
      failures.push({
        failure,
        times: opts.times ?? 1,
        ...(opts.operation ? { operation: opts.operation } : {}),
      });
    },
    tamperNext(operation, fn) {
      tampers.push({ operation, fn });
    },
    calls(operation) {
      return requests.filter((r) => r.operationName === operation);
    },
    close: listening.close,
  };
}
