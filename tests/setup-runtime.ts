// The SDK logs every worker state change at INFO; and WARN for every activity failure the failure tests provoke on purpose; tests want errors only.
import { DefaultLogger, Runtime } from '@temporalio/worker';

try {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
} catch {
  // Already installed in this process.
}
