/**
 * What one department agent is: the data sets it reads and a pure `compute`.
 * Adding an agent = one file that calls `defineAgent` plus one line in registry.ts.
 */
import type { z } from 'zod';
import type { AgentContext, AgentName, AgentResultInput } from './report.js';

/**
 * One data set an agent reads. In a workspace folder it is a file: CSV (a header row,
 * one record per line) or YAML. API-backed sources produce the same shape.
 */
export interface DatasetSpec {
  file: string;
  format: 'csv' | 'yaml';
  /** A missing optional file loads as an empty list (CSV) or `undefined` (YAML). */
  optional?: boolean;
}

export interface AgentDefinition<S extends z.ZodType = z.ZodType> {
  name: AgentName;
  /** Human title, e.g. "Customer success". */
  title: string;
  /** Keys are the keys of the input object; the schema validates all of them at once. */
  datasets: Record<string, DatasetSpec>;
  input: S;
  compute(input: z.output<S>, ctx: AgentContext): AgentResultInput;
}

export function defineAgent<S extends z.ZodType>(def: AgentDefinition<S>): AgentDefinition<S> {
  return def;
}
