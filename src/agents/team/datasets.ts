/**
 * Which team files an agent reads, and the references between them. The row schemas
 * are in the contract (src/contract/datasets/team.ts).
 */
import type { DatasetSpec } from '../../contract/agent.js';
import type { TeamData } from '../../contract/datasets/team.js';

/**
 * The files behind `teamShape`. `people.csv` is always required; `capacity.csv` and
 * `allocations.csv` are required when `workRequired` (operations plans with them) and
 * optional otherwise (HR reports utilization as null without them); `time_off.csv` is
 * optional for both.
 */
export function teamDatasets(workRequired: boolean): Record<keyof TeamData, DatasetSpec> {
  return {
    people: { file: 'people.csv', format: 'csv' },
    capacity: { file: 'capacity.csv', format: 'csv', optional: !workRequired },
    allocations: { file: 'allocations.csv', format: 'csv', optional: !workRequired },
    timeOff: { file: 'time_off.csv', format: 'csv', optional: true },
  };
}

export interface CrossFileIssue {
  path: (string | number)[];
  message: string;
}

/**
 * References between the team files: capacity and time off name people in people.csv,
 * allocations name people in capacity.csv. Each issue names the data set, row and column.
 */
export function teamReferenceIssues(team: TeamData): CrossFileIssue[] {
  const issues: CrossFileIssue[] = [];
  const people = new Set(team.people.map((p) => p.id));
  const delivery = new Set(team.capacity.map((c) => c.person_id));
  team.capacity.forEach((c, i) => {
    if (!people.has(c.person_id))
      issues.push({
        path: ['capacity', i, 'person_id'],
        message: `unknown person ${JSON.stringify(c.person_id)}: not an id in people.csv`,
      });
  });
  team.allocations.forEach((a, i) => {
    if (!delivery.has(a.person_id))
      issues.push({
        path: ['allocations', i, 'person_id'],
        message: `unknown person ${JSON.stringify(a.person_id)}: not a person_id in capacity.csv`,
      });
  });
  team.timeOff.forEach((t, i) => {
    if (!people.has(t.person_id))
      issues.push({
        path: ['timeOff', i, 'person_id'],
        message: `unknown person ${JSON.stringify(t.person_id)}: not an id in people.csv`,
      });
  });
  return issues;
}
