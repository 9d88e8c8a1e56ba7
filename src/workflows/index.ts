export { dailyBriefingWorkflow } from './daily-briefing.js';
export { resendBriefingWorkflow } from './resend-briefing.js';
export { portfolioBriefingWorkflow } from './portfolio-briefing.js';
