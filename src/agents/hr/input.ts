/**
 * The HR agent's input: the shared team data, roles, candidates and pulse answers
 * (rows from the contract) and hr.yaml, with the checks across files.
 */
import { z } from 'zod';
import { Candidate, PulseResponse, Role } from '../../contract/datasets/hr.js';
import { teamShape } from '../../contract/datasets/team.js';
import { rowsUniqueBy } from '../../contract/fields.js';
import { teamReferenceIssues, type CrossFileIssue } from '../team/index.js';
import { HrSettings } from './settings.js';

export const HrInput = z
  .object({
    ...teamShape,
    roles: rowsUniqueBy(Role, 'id'),
    candidates: rowsUniqueBy(Candidate, 'id'),
    pulse: z.array(PulseResponse),
    settings: HrSettings,
  })
  .superRefine((input, ctx) => {
    const roles = new Set(input.roles.map((r) => r.id));
    const issues: CrossFileIssue[] = [...teamReferenceIssues(input)];
    input.candidates.forEach((c, i) => {
      if (!roles.has(c.role_id))
        issues.push({
          path: ['candidates', i, 'role_id'],
          message: `unknown role ${JSON.stringify(c.role_id)}: not an id in roles.csv`,
        });
    });
    for (const issue of issues) ctx.addIssue({ code: 'custom', ...issue });
  });
export type HrInput = z.output<typeof HrInput>;
