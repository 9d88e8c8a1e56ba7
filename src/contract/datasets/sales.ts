/**
 * The sales datasets: deals and their stage history (deals.csv,
 * deal_stage_history.csv, or a CRM connector).
 */

export const DEAL_STAGES = ['lead', 'qualified', 'proposal', 'negotiation', 'won', 'lost'] as const;
export type DealStage = (typeof DEAL_STAGES)[number];
export const OPEN_STAGES = ['lead', 'qualified', 'proposal', 'negotiation'] as const;
export type OpenStage = (typeof OPEN_STAGES)[number];
export const CLOSED_STAGES: readonly DealStage[] = ['won', 'lost'];
