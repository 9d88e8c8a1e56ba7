/**
 * The Linear connector: operations' projects, milestones and blockers from a Linear
 * workspace (GraphQL, cursor pagination), optionally the planned hours of the current and
 * upcoming cycles overlaid on allocations.csv. Everything else operations reads (people,
 * capacity, time off, thresholds) stays in the workspace files. docs/sources/linear.md.
 */
import type { AgentName } from '../../../contract/report.js';
import { BoardroomError, SourceRequestError } from '../../../shared/errors.js';
import type { CheckResult, Connector, ConnectorContext, ConnectorResult } from '../connector.js';
import { LinearApi, parseShape } from './client.js';
import {
  blockedSince,
  blockedFlag,
  isOpen,
  mapBlockers,
  mapMilestones,
  mapProjects,
  overlayCycleAllocations,
} from './map.js';
import {
  BLOCKED_ISSUES_QUERY,
  BLOCKED_PAGE_SIZE,
  BlockedIssueNode,
  Connection,
  HistoryNode,
  ISSUES_QUERY,
  ISSUE_HISTORY_QUERY,
  IssueNode,
  MILESTONES_QUERY,
  MilestoneNode,
  PROJECTS_QUERY,
  ProjectNode,
  TEAMS_QUERY,
  TeamNode,
  VIEWER_QUERY,
  ViewerData,
  type ProjectStatusType,
} from './queries.js';
import { LINEAR_SUPPLIES, apiKeyFrom, parseSettings, type LinearSettings } from './settings.js';

export { LINEAR_DATASETS } from './settings.js';

type Rows = Record<string, unknown>[];

function rowsOf(v: unknown): Rows {
  return Array.isArray(v) ? (v as Rows) : [];
}

function projectFilter(s: LinearSettings): Record<string, unknown> | undefined {
  return s.team_keys ? { accessibleTeams: { some: { key: { in: s.team_keys } } } } : undefined;
}

async function fetchProjects(api: LinearApi, s: LinearSettings) {
  const filter = projectFilter(s);
  return api.paginate({
    operation: 'BoardroomProjects',
    document: PROJECTS_QUERY,
    root: 'projects',
    typename: 'Project',
    schema: ProjectNode,
    variables: filter ? { filter } : {},
  });
}

/** The history of one label- or state-blocked issue, every page. */
async function fetchHistory(
  api: LinearApi,
  issue: Pick<BlockedIssueNode, 'id' | 'identifier'>,
  s: LinearSettings,
): Promise<HistoryNode[]> {
  const out: HistoryNode[] = [];
  let after: string | null = null;
  for (let page = 0; page < s.max_pages; page += 1) {
    const data = (await api.request('BoardroomIssueHistory', ISSUE_HISTORY_QUERY, {
      id: issue.id,
      first: s.page_size,
      after,
    })) as Record<string, unknown> | undefined;
    const found = data?.issue as Record<string, unknown> | null | undefined;
    const history = parseShape(
      Connection,
      found?.history,
      'IssueHistoryConnection',
      issue.id,
      'issue.history',
      issue.identifier,
    );
    for (const node of history.nodes) {
      const id = (node as { id?: unknown } | null)?.id;
      out.push(
        parseShape(
          HistoryNode,
          node,
          'IssueHistory',
          typeof id === 'string' ? id : undefined,
          undefined,
          `of ${issue.identifier}`,
        ),
      );
    }
    if (!history.pageInfo.hasNextPage || !history.pageInfo.endCursor) break;
    after = history.pageInfo.endCursor;
  }
  return out;
}

async function load(agent: AgentName, ctx: ConnectorContext): Promise<ConnectorResult> {
  if (agent !== 'operations') {
    throw new SourceRequestError(
      `linear supplies only the operations agent (projects, milestones, blockers), not ${agent}: fix sources.yaml`,
      { source: 'linear', agent },
    );
  }
  const s = parseSettings(ctx);
  const api = new LinearApi(apiKeyFrom(ctx.env, s), s, ctx.signal);
  const fetchedAt = new Date();

  const projects = (await fetchProjects(api, s)).nodes;
  const fileProjects = rowsOf(ctx.fileDatasets.projects);
  // Which open projects make it into projects.csv (a target date somewhere) decides whose
  // issues are read; the hours need the issues, so the mapping runs again with them.
  const openIds = mapProjects(projects, fileProjects, [], s).openIds;
  const byProject = { project: { id: { in: openIds } } };

  const issues =
    openIds.length === 0
      ? []
      : (
          await api.paginate({
            operation: 'BoardroomIssues',
            document: ISSUES_QUERY,
            root: 'issues',
            typename: 'Issue',
            schema: IssueNode,
            variables: { filter: byProject },
          })
        ).nodes;
  const mapping = mapProjects(projects, fileProjects, issues, s);
  const mappedOpen = mapping.openIds;

  let milestones: MilestoneNode[] = [];
  let blocked: BlockedIssueNode[] = [];
  if (mappedOpen.length > 0) {
    const inProjects = { project: { id: { in: mappedOpen } } };
    milestones = (
      await api.paginate({
        operation: 'BoardroomMilestones',
        document: MILESTONES_QUERY,
        root: 'projectMilestones',
        typename: 'ProjectMilestone',
        schema: MilestoneNode,
        variables: { filter: inProjects },
      })
    ).nodes;
    const or: Record<string, unknown>[] = [{ hasBlockedByRelations: { eq: true } }];
    if (s.blocked_labels.length > 0)
      or.push({ labels: { some: { name: { in: s.blocked_labels } } } });
    if (s.blocked_states.length > 0) or.push({ state: { name: { in: s.blocked_states } } });
    blocked = (
      await api.paginate({
        operation: 'BoardroomBlockedIssues',
        document: BLOCKED_ISSUES_QUERY,
        root: 'issues',
        typename: 'Issue',
        schema: BlockedIssueNode,
        variables: {
          filter: { ...inProjects, or },
          labelFilter: { name: { in: s.blocked_labels } },
        },
        pageSize: Math.min(s.page_size, BLOCKED_PAGE_SIZE),
      })
    ).nodes;
  }

  const since = new Map<string, string>();
  for (const issue of blocked) {
    if (!blockedFlag(issue, s)) continue;
    const openRelation = issue.inverseRelations.nodes.some(
      (r) => r.type === 'blocks' && !r.issue.completedAt && !r.issue.canceledAt,
    );
    if (openRelation) continue;
    since.set(issue.id, blockedSince(issue, await fetchHistory(api, issue, s), s));
  }

  const datasets: Record<string, unknown> = {
    projects: mapping.rows,
    milestones: mapMilestones(milestones, issues, mapping.idOf, s).rows,
    blockers: mapBlockers(blocked, since, mapping.idOf, s),
  };
  if (s.allocations_from_cycles) {
    datasets.allocations = overlayCycleAllocations({
      issues,
      idOf: mapping.idOf,
      people: rowsOf(ctx.fileDatasets.people),
      capacity: rowsOf(ctx.fileDatasets.capacity),
      allocations: rowsOf(ctx.fileDatasets.allocations),
      today: ctx.today,
      settings: s,
    }).rows;
  }
  return { datasets, sourceCalls: api.calls, dataAsOf: fetchedAt };
}

const STATUS_ORDER: ProjectStatusType[] = [
  'started',
  'planned',
  'backlog',
  'paused',
  'completed',
  'canceled',
];

async function check(ctx: Omit<ConnectorContext, 'fileDatasets'>): Promise<CheckResult> {
  let s: LinearSettings;
  let api: LinearApi;
  try {
    s = parseSettings(ctx);
    api = new LinearApi(apiKeyFrom(ctx.env, s), s, ctx.signal);
  } catch (error) {
    return { ok: false, message: messageOf(error) };
  }
  try {
    const who = parseShape(ViewerData, await api.request('BoardroomViewer', VIEWER_QUERY), 'Query');
    if (s.team_keys) {
      const teams = (
        await api.paginate({
          operation: 'BoardroomTeams',
          document: TEAMS_QUERY,
          root: 'teams',
          typename: 'Team',
          schema: TeamNode,
        })
      ).nodes;
      const unknown = s.team_keys.filter((k) => !teams.some((t) => t.key === k));
      if (unknown.length > 0) {
        return {
          ok: false,
          message: `linear: settings.team_keys ${unknown.join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not a team the key can see; it sees ${teams.map((t) => `${t.key} (${t.name})`).join(', ') || 'no teams'}`,
        };
      }
    }
    const { nodes, pages } = await fetchProjects(api, s);
    const counts = STATUS_ORDER.map(
      (t) => [t, nodes.filter((p) => p.status.type === t).length] as const,
    )
      .filter(([, n]) => n > 0)
      .map(([t, n]) => `${n} ${t}`);
    const undated = nodes.filter((p) => isOpen(p) && !p.targetDate).map((p) => p.name);
    const parts = [
      `linear: ${who.organization.name} (${who.organization.urlKey}) as ${who.viewer.name}`,
      `${nodes.length} project${nodes.length === 1 ? '' : 's'}${s.team_keys ? ` of teams ${s.team_keys.join(', ')}` : ''} (${pages} page${pages === 1 ? '' : 's'})${counts.length ? `: ${counts.join(', ')}` : ''}`,
      `hours from estimates at ${s.hours_per_point} h/point`,
    ];
    if (undated.length > 0) {
      parts.push(
        `${undated.length} open project${undated.length === 1 ? '' : 's'} without a target date left out unless projects.csv gives one (${undated.join(', ')})`,
      );
    }
    if (s.allocations_from_cycles)
      parts.push('planned hours from cycles overlaid on allocations.csv');
    return { ok: true, message: parts.join('; ') };
  } catch (error) {
    return { ok: false, message: messageOf(error) };
  }
}

function messageOf(error: unknown): string {
  if (error instanceof BoardroomError) return error.message;
  return `linear: ${error instanceof Error ? error.message : String(error)}`;
}

export const linearConnector: Connector = {
  name: 'linear',
  supplies: LINEAR_SUPPLIES,
  load,
  check,
};
