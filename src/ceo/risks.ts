/**
 * The library of cross-functional risk rules (see risk-engine.ts for how they run and
 * docs/risks.md for every rule, its formula and its thresholds).
 */
import type { RiskRule } from './risk-engine.js';
import { CASH_RULES } from './risks/cash.js';
import { CUSTOMER_RULES } from './risks/customers.js';
import { DATA_RULES } from './risks/data.js';
import { GROWTH_RULES } from './risks/growth.js';
import { PEOPLE_RULES } from './risks/people.js';

export const RISK_RULES: RiskRule[] = [
  ...GROWTH_RULES,
  ...PEOPLE_RULES,
  ...CASH_RULES,
  ...CUSTOMER_RULES,
  ...DATA_RULES,
];
