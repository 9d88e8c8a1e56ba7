export { dailyBriefingWorkflow } from './daily-briefing.js';
