/**
 * The GraphQL documents the Linear connector sends (small, hand-written: only the fields
 * it maps) and the zod schemas of the nodes they return. Field names and nesting are
 * Linear's public schema (@linear/sdk 98 `Project`, `ProjectMilestone`, `Issue`,
 * `IssueRelation`, `Cycle`, `IssueHistory`). docs/sources/linear.md lists them.
 */
import { z } from 'zod';

/** A timestamp as Linear sends it (`2026-11-12T10:00:00.000Z`). */
const dateTime = z.iso.datetime({ offset: true });
/** A `TimelessDate` (`2026-11-12`). */
const timelessDate = z.iso.date();

export const PageInfo = z.object({
  hasNextPage: z.boolean(),
  endCursor: z.string().nullable(),
});

export const Connection = z.object({
  nodes: z.array(z.unknown()),
  pageInfo: PageInfo,
});

// ---------------------------------------------------------------------------------
// Projects
// ---------------------------------------------------------------------------------

export const PROJECT_STATUS_TYPES = [
  'backlog',
  'planned',
  'started',
  'paused',
  'completed',
  'canceled',
] as const;
export type ProjectStatusType = (typeof PROJECT_STATUS_TYPES)[number];

export const PROJECTS_QUERY = `query BoardroomProjects($first: Int!, $after: String, $filter: ProjectFilter) {
  projects(first: $first, after: $after, filter: $filter) {
    nodes {
      id
      slugId
      name
      status { type name }
      progress
      scope
      startDate
      targetDate
      startedAt
      completedAt
      canceledAt
      createdAt
      lead { id name email }
    }
    pageInfo { hasNextPage endCursor }
  }
}`;

export const ProjectNode = z.object({
  id: z.string().min(1),
  slugId: z.string().min(1),
  name: z.string(),
  status: z.object({ type: z.enum(PROJECT_STATUS_TYPES), name: z.string() }),
  progress: z.number().min(0).max(1),
  scope: z.number().min(0),
  startDate: timelessDate.nullable(),
  targetDate: timelessDate.nullable(),
  startedAt: dateTime.nullable(),
  completedAt: dateTime.nullable(),
  canceledAt: dateTime.nullable(),
  createdAt: dateTime,
  lead: z.object({ id: z.string(), name: z.string(), email: z.string() }).nullable(),
});
export type ProjectNode = z.output<typeof ProjectNode>;

// ---------------------------------------------------------------------------------
// Project milestones
// ---------------------------------------------------------------------------------

export const MILESTONES_QUERY = `query BoardroomMilestones($first: Int!, $after: String, $filter: ProjectMilestoneFilter) {
  projectMilestones(first: $first, after: $after, filter: $filter) {
    nodes {
      id
      name
      targetDate
      status
      progress
      updatedAt
      project { id }
    }
    pageInfo { hasNextPage endCursor }
  }
}`;

export const MilestoneNode = z.object({
  id: z.string().min(1),
  name: z.string(),
  targetDate: timelessDate.nullable(),
  status: z.enum(['done', 'next', 'overdue', 'unstarted']),
  progress: z.number(),
  updatedAt: dateTime,
  project: z.object({ id: z.string() }),
});
export type MilestoneNode = z.output<typeof MilestoneNode>;

// ---------------------------------------------------------------------------------
// Issues of the open projects (hours, milestone completion, cycles)
// ---------------------------------------------------------------------------------

/** Workflow state types (`WorkflowState.type`). */
export const STATE_TYPES = [
  'triage',
  'backlog',
  'unstarted',
  'started',
  'completed',
  'canceled',
] as const;

export const ISSUES_QUERY = `query BoardroomIssues($first: Int!, $after: String, $filter: IssueFilter) {
  issues(first: $first, after: $after, filter: $filter, includeArchived: true) {
    nodes {
      id
      identifier
      estimate
      trashed
      completedAt
      canceledAt
      state { type }
      assignee { id name email }
      project { id }
      projectMilestone { id }
      cycle { id number startsAt endsAt }
    }
    pageInfo { hasNextPage endCursor }
  }
}`;

export const IssueNode = z.object({
  id: z.string().min(1),
  identifier: z.string(),
  estimate: z.number().min(0).nullable(),
  trashed: z.boolean().nullable(),
  completedAt: dateTime.nullable(),
  canceledAt: dateTime.nullable(),
  state: z.object({ type: z.enum(STATE_TYPES) }),
  assignee: z.object({ id: z.string(), name: z.string(), email: z.string() }).nullable(),
  project: z.object({ id: z.string() }).nullable(),
  projectMilestone: z.object({ id: z.string() }).nullable(),
  cycle: z
    .object({ id: z.string(), number: z.number(), startsAt: dateTime, endsAt: dateTime })
    .nullable(),
});
export type IssueNode = z.output<typeof IssueNode>;

// ---------------------------------------------------------------------------------
// Blocked issues: a `blocks` relation, or a blocked label or workflow state
// ---------------------------------------------------------------------------------

/** Relations read per blocked issue (the rest of a longer list is not read). */
export const RELATIONS_PER_ISSUE = 50;
/** Page size of the blocked-issues query (its nodes carry up to 50 relations each). */
export const BLOCKED_PAGE_SIZE = 25;

export const BLOCKED_ISSUES_QUERY = `query BoardroomBlockedIssues($first: Int!, $after: String, $filter: IssueFilter, $labelFilter: IssueLabelFilter) {
  issues(first: $first, after: $after, filter: $filter) {
    nodes {
      id
      identifier
      title
      createdAt
      completedAt
      canceledAt
      state { name type }
      assignee { name }
      project { id }
      labels(first: 10, filter: $labelFilter) { nodes { name } }
      inverseRelations(first: ${RELATIONS_PER_ISSUE}) {
        nodes {
          id
          type
          createdAt
          issue { id identifier title completedAt canceledAt assignee { name } }
        }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}`;

export const BlockedIssueNode = z.object({
  id: z.string().min(1),
  identifier: z.string(),
  title: z.string(),
  createdAt: dateTime,
  completedAt: dateTime.nullable(),
  canceledAt: dateTime.nullable(),
  state: z.object({ name: z.string(), type: z.enum(STATE_TYPES) }),
  assignee: z.object({ name: z.string() }).nullable(),
  project: z.object({ id: z.string() }).nullable(),
  labels: z.object({ nodes: z.array(z.object({ name: z.string() })) }),
  inverseRelations: z.object({
    nodes: z.array(
      z.object({
        id: z.string(),
        type: z.string(),
        createdAt: dateTime,
        issue: z.object({
          id: z.string(),
          identifier: z.string(),
          title: z.string(),
          completedAt: dateTime.nullable(),
          canceledAt: dateTime.nullable(),
          assignee: z.object({ name: z.string() }).nullable(),
        }),
      }),
    ),
  }),
});
export type BlockedIssueNode = z.output<typeof BlockedIssueNode>;

// ---------------------------------------------------------------------------------
// History of a label- or state-blocked issue (when did it become blocked)
// ---------------------------------------------------------------------------------

export const ISSUE_HISTORY_QUERY = `query BoardroomIssueHistory($id: String!, $first: Int!, $after: String) {
  issue(id: $id) {
    id
    history(first: $first, after: $after) {
      nodes {
        id
        createdAt
        addedLabels { name }
        toState { name }
      }
      pageInfo { hasNextPage endCursor }
    }
  }
}`;

export const HistoryNode = z.object({
  id: z.string(),
  createdAt: dateTime,
  addedLabels: z.array(z.object({ name: z.string() })).nullable(),
  toState: z.object({ name: z.string() }).nullable(),
});
export type HistoryNode = z.output<typeof HistoryNode>;

// ---------------------------------------------------------------------------------
// check(): who the key belongs to
// ---------------------------------------------------------------------------------

export const VIEWER_QUERY = `query BoardroomViewer {
  viewer { id name email }
  organization { id name urlKey }
}`;

export const TEAMS_QUERY = `query BoardroomTeams($first: Int!, $after: String) {
  teams(first: $first, after: $after) {
    nodes { id key name }
    pageInfo { hasNextPage endCursor }
  }
}`;

export const TeamNode = z.object({ id: z.string(), key: z.string(), name: z.string() });

export const ViewerData = z.object({
  viewer: z.object({ id: z.string(), name: z.string(), email: z.string() }),
  organization: z.object({ id: z.string(), name: z.string(), urlKey: z.string() }),
});
