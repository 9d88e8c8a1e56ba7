/**
 * What the CEO step takes from a company's workspace settings: one mapping for the
 * activity and for scripts that compose briefings without Temporal.
 */
import type { EnergyDemand } from '../contract/report.js';
import type { ComposeInput } from '../ceo/briefing.js';
import { resolveEnergy } from '../ceo/priorities.js';
import type { CompanyData } from '../sources/sources.js';

export function companyComposeInput(
  company: CompanyData,
  briefingDate: string,
  energyFlag: EnergyDemand | undefined,
): Pick<
  ComposeInput,
  | 'companyName'
  | 'currency'
  | 'timeZone'
  | 'founderTasks'
  | 'goals'
  | 'energy'
  | 'energySource'
  | 'weights'
> & { riskOverrides: Record<string, number> } {
  const energy = resolveEnergy(briefingDate, energyFlag, company.profile.energy);
  return {
    companyName: company.profile.name,
    currency: company.profile.currency,
    ...(company.profile.timeZone ? { timeZone: company.profile.timeZone } : {}),
    founderTasks: company.founderTasks,
    goals: company.profile.goals,
    energy: energy.energy,
    energySource: energy.source,
    ...(company.ceo.weights ? { weights: company.ceo.weights } : {}),
    riskOverrides: company.ceo.riskThresholds,
  };
}
