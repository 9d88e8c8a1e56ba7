/**
 * `runCommand` called directly: it starts a run on the suite's Temporal, shows the
 * progress on stderr and prints the briefing on stdout.
 */
import { describe, expect, it } from 'vitest';
import { NO_DELIVERY_LINE } from '../../../src/client/delivery-lines.js';
import { runCommand } from '../../../src/client/commands/run.js';
import { Briefing } from '../../../src/contract/briefing.js';
import { commandDeps, stackEnv } from '../../helpers/cli.js';
import { closeStacksAfterEach } from '../../helpers/stack.js';

const stack = closeStacksAfterEach();

describe('runCommand', () => {
  it('runs with --energy, shows per-agent progress and prints the briefing as JSON', async () => {
    const s = await stack();
    const deps = commandDeps(stackEnv(s));
    expect(await runCommand({ progress: true, json: true, energy: 'low' }, deps)).toBe(0);
    const b = Briefing.parse(JSON.parse(deps.output.stdout));
    expect(b.companyId).toBe(s.companyId);
    expect(b.scoring).toMatchObject({ energy: 'low', energySource: '--energy' });
    const stderr = deps.output.stderr;
    expect(stderr).toMatch(new RegExp(`^Started briefing-${s.companyId}-\\d{4}-`));
    expect(stderr).not.toContain('No worker is polling');
    expect(stderr).toMatch(
      /✔ Finance {2}✔ Sales {2}✔ Operations {2}✔ Marketing {2}✔ HR {2}✔ Customer success {2}\| done \d+\.\ds\n/,
    );
    // No delivery.yaml: said once, with how to set it up.
    expect(stderr.endsWith(`${NO_DELIVERY_LINE}\n`)).toBe(true);
  });

  it('without progress, stderr has only the run id; on a terminal, progress redraws one line', async () => {
    const s = await stack();
    const quiet = commandDeps(stackEnv(s));
    expect(await runCommand({ progress: false, format: 'md' }, quiet)).toBe(0);
    expect(quiet.output.stderr).toMatch(
      /^Started briefing-\S+\nDelivery: none configured[^\n]+\n$/,
    );
    expect(quiet.output.stdout).toContain('# Morning briefing: Northwind Analytics');

    const tty = commandDeps(stackEnv(s));
    tty.output.isTTY = true;
    expect(await runCommand({ progress: true, json: true }, tty)).toBe(0);
    expect(tty.output.stderr).toContain('\r\x1b[2K');
    expect(tty.output.stderr).toMatch(/ \d+\.\ds\nDelivery: none configured[^\n]+\n$/);
  });
});
