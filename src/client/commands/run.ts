/**
 * `boardroom run`: trigger a briefing on the running stack, show live per-agent
 * progress, print the briefing.
 */
import type { EnergyDemand } from '../../contract/report.js';
import { openDatabase } from '../../store/database.js';
import { emitBriefing, type BriefingOutputOptions } from '../briefing-output.js';
import type { CommandDeps } from '../context.js';
import { progressPrinter } from '../progress-printer.js';
import { followRun, hasWorkers, startBriefing } from '../run.js';
import { connectClient } from '../temporal.js';
import { timeZoneFor, workflowInput } from '../workflow-input.js';

export interface RunOptions extends BriefingOutputOptions {
  /** Show per-agent progress on stderr. */
  progress: boolean;
  /** Today's energy for the priorities. @default founder.yaml's, else medium */
  energy?: EnergyDemand;
  /** Bypass the API sources' cache. */
  fresh?: boolean;
}

export async function runCommand(opts: RunOptions, deps: CommandDeps): Promise<number> {
  const { config, log, output } = deps;
  const client = await connectClient(config);
  try {
    const timeZone = await timeZoneFor(config);
    const handle = await startBriefing(client, {
      taskQueue: config.temporal.taskQueue,
      input: {
        ...(await workflowInput(config, timeZone, 'manual', client, output.say)),
        ...(opts.energy ? { energy: opts.energy } : {}),
        ...(opts.fresh ? { fresh: true } : {}),
      },
      now: new Date(),
    });
    output.say(`Started ${handle.workflowId}`);
    if (!(await hasWorkers(client, config.temporal.taskQueue))) {
      output.say(
        `No worker is polling task queue "${config.temporal.taskQueue}": the run waits until one does. ` +
          'Start the stack with `npm start`, or a worker with `npx boardroom worker`.',
      );
    }
    const printer = progressPrinter(output);
    const result = await followRun(handle, opts.progress ? printer.update : () => {});
    if (opts.progress) printer.end();
    const db = await openDatabase(config, log);
    try {
      const stored = await db.repo.getBriefing(String(result.briefingId));
      if (!stored) throw new Error(`briefing ${result.briefingId} was not found after the run`);
      await emitBriefing(stored, opts, output);
    } finally {
      await db.close();
    }
    return 0;
  } finally {
    await client.connection.close();
  }
}
