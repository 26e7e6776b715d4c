// The worker half of bench/scale.ts, in its own process so its CPU is measured apart from the load
// generator: the real workflow bundle and worker options, in-memory activities (this measures the
// controller and Temporal, not Genesys). Reports its CPU over IPC when asked.
import { DefaultLogger, NativeConnection, Worker, bundleWorkflowCode } from '@temporalio/worker';
import { FakeWorld } from '../test/helpers/fake-world';
import { quietRuntime } from '../sandbox/temporal-env';
import { surgeWorkerOptions } from '../workers/worker-options';
import { seedNormal } from '../test/helpers/seed-world';

async function main(): Promise<void> {
  quietRuntime();
  const address = process.env.BENCH_TEMPORAL_ADDRESS!;
  const taskQueue = process.env.BENCH_TASK_QUEUE!;
  const world = new FakeWorld();
  world.metrics = () => ({ waiting: 20, agentsAvailable: 10 });
  // A real-time server: batches of polls wait for their slots, as in production.
  world.batchWaits = true;
  seedNormal(world);
  const connection = await NativeConnection.connect({ address });
  const workflowBundle = await bundleWorkflowCode({ workflowsPath: require.resolve('../workflows'), logger: new DefaultLogger('WARN') });
  const worker = await Worker.create({
    ...surgeWorkerOptions(process.env),
    connection,
    taskQueue,
    workflowBundle,
    activities: world.activities(),
  });
  process.on('message', (msg: { type: string }) => {
    if (msg.type === 'cpu') {
      const u = process.cpuUsage();
      process.send?.({ type: 'cpu', userMs: u.user / 1000, systemMs: u.system / 1000 });
    } else if (msg.type === 'stop') {
      worker.shutdown();
    }
  });
  process.send?.({ type: 'ready' });
  await worker.run();
  await connection.close();
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
