/**
 * The operations agent's input: projects, milestones and blockers (rows from the
 * contract), the shared team data and operations.yaml, with the checks across files.
 */
import { z } from 'zod';
import { Blocker, Milestone, Project } from '../../contract/datasets/operations.js';
import { teamShape } from '../../contract/datasets/team.js';
import { rowsUniqueBy } from '../../contract/fields.js';
import { teamReferenceIssues, type CrossFileIssue } from '../team/index.js';
import { OperationsSettings } from './settings.js';

export const OperationsInput = z
  .object({
    projects: rowsUniqueBy(Project, 'id'),
    milestones: rowsUniqueBy(Milestone, 'id'),
    blockers: rowsUniqueBy(Blocker, 'id'),
    ...teamShape,
    settings: OperationsSettings,
  })
  .superRefine((input, ctx) => {
    const projects = new Set(input.projects.map((p) => p.id));
    const issues: CrossFileIssue[] = [...teamReferenceIssues(input)];
    for (const key of ['milestones', 'blockers'] as const) {
      input[key].forEach((row, i) => {
        if (!projects.has(row.project_id))
          issues.push({
            path: [key, i, 'project_id'],
            message: `unknown project ${JSON.stringify(row.project_id)}: not an id in projects.csv`,
          });
      });
    }
    for (const issue of issues) ctx.addIssue({ code: 'custom', ...issue });
  });
export type OperationsInput = z.output<typeof OperationsInput>;
