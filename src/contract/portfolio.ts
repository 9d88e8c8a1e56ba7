/**
 * The portfolio briefing: every company's newest briefing read side by side, for whoever
 * runs many companies (`boardroom portfolio --json`). Money is integer cents of one
 * currency; totals are per currency, never summed across currencies. Each company carries
 * the briefing id and workflow id its figures come from, so every number can be traced.
 */
import { z } from 'zod';
import { IsoDate, Severity } from './report.js';

const Cents = z.number().int();
const CompanyIds = z.array(z.string());

/**
 * finance.cashBalance as a briefing's stored head keeps it, so that the portfolio reads
 * heads only: integer cents (null when finance reported no balance), stale when the
 * finance report was a fallback. The head holds null when finance failed; a head written
 * before this field existed has none, and its reader falls back to the full briefing.
 */
export const HeadCash = z.object({ cents: Cents.nullable(), stale: z.boolean() }).nullable();
export type HeadCash = z.infer<typeof HeadCash>;

export const PortfolioRiskCounts = z.object({
  critical: z.number().int().nonnegative(),
  warning: z.number().int().nonnegative(),
  info: z.number().int().nonnegative(),
});
export type PortfolioRiskCounts = z.infer<typeof PortfolioRiskCounts>;

/** A figure a portfolio line shows; `staleFigures` names those read from a fallback report. */
export const PORTFOLIO_FIGURES = ['mrr', 'arr', 'cash', 'runway', 'headcount'] as const;
export const PortfolioFigure = z.enum(PORTFOLIO_FIGURES);
export type PortfolioFigure = z.infer<typeof PortfolioFigure>;

export const PortfolioCompany = z.object({
  companyId: z.string(),
  companyName: z.string(),
  currency: z.string().regex(/^[A-Z]{3}$/),
  /** Where the figures come from: the stored briefing's id and its run's workflow id. */
  briefingId: z.number().int(),
  workflowId: z.string(),
  briefingDate: IsoDate,
  /**
   * The newest briefing is of the company's today (its own zone's day when the caller
   * knows it, else the portfolio's day), or later.
   */
  current: z.boolean(),
  health: z.number(),
  outcome: z.enum(['complete', 'degraded']),
  staleAgents: z.array(z.string()),
  failedAgents: z.array(z.string()),
  /** finance.mrr in cents; null when finance did not report it. */
  mrrCents: Cents.nullable(),
  /** finance.mrr of the briefing before, and its date; absent without one. */
  previousMrrCents: Cents.nullable().optional(),
  previousDate: IsoDate.optional(),
  /** mrrCents - previousMrrCents; absent when either is unknown. */
  mrrChangeCents: Cents.optional(),
  arrCents: Cents.nullable(),
  /** finance.cashBalance (the full briefing's finance report) in cents. */
  cashCents: Cents.nullable(),
  runwayMonths: z.number().nullable(),
  /** Net burn <= 0: a null runway means "not limited", not "unknown". */
  notBurning: z.boolean(),
  headcount: z.number().int().nullable(),
  risks: PortfolioRiskCounts,
  staleFigures: z.array(PortfolioFigure),
});
export type PortfolioCompany = z.infer<typeof PortfolioCompany>;

export const PortfolioRisk = z.object({
  severity: Severity,
  companyId: z.string(),
  companyName: z.string(),
  briefingDate: IsoDate,
  riskId: z.string(),
  title: z.string(),
  message: z.string(),
  action: z.string(),
  basedOnStaleData: z.boolean(),
});
export type PortfolioRisk = z.infer<typeof PortfolioRisk>;

/** One currency's totals; `missing` names the companies a figure lacks (not counted). */
export const PortfolioCurrencyTotals = z.object({
  currency: z.string().regex(/^[A-Z]{3}$/),
  companies: CompanyIds,
  /** Companies whose newest briefing is older than the portfolio's day: counted as they stood. */
  olderBriefings: CompanyIds,
  /** Null when no company of the currency reported the figure. */
  mrrCents: Cents.nullable(),
  mrrChangeCents: Cents.nullable(),
  arrCents: Cents.nullable(),
  cashCents: Cents.nullable(),
  missing: z.object({ mrr: CompanyIds, mrrChange: CompanyIds, arr: CompanyIds, cash: CompanyIds }),
});
export type PortfolioCurrencyTotals = z.infer<typeof PortfolioCurrencyTotals>;

export const Portfolio = z.object({
  schemaVersion: z.literal(1),
  /** The day "today" means: a company briefed on an earlier day has no briefing today. */
  date: IsoDate,
  /** Lowest health first (who needs a look first), then by name. */
  companies: z.array(PortfolioCompany),
  today: z.object({
    current: CompanyIds,
    noBriefingToday: z.array(
      z.object({ companyId: z.string(), companyName: z.string(), briefingDate: IsoDate }),
    ),
    /** Companies asked for (`--company`) that have no briefing at all. */
    neverBriefed: CompanyIds,
    /** Today's briefings that were degraded, with the agents that made them so. */
    degraded: z.array(
      z.object({
        companyId: z.string(),
        companyName: z.string(),
        staleAgents: z.array(z.string()),
        failedAgents: z.array(z.string()),
      }),
    ),
  }),
  risks: z.object({
    counts: PortfolioRiskCounts,
    /** Critical first, then by company name and title. */
    items: z.array(PortfolioRisk),
  }),
  totals: z.object({
    companies: z.number().int().nonnegative(),
    /** One line per currency, by currency code. */
    money: z.array(PortfolioCurrencyTotals),
    /** Headcount has no currency: one total across the portfolio. */
    headcount: z.object({ value: z.number().int().nullable(), missing: CompanyIds }),
  }),
});
export type Portfolio = z.infer<typeof Portfolio>;
