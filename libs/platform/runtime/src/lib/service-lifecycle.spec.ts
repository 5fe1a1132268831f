import { EventEmitter } from 'node:events';
import { ServiceLifecycle, type LifecycleLogger, type ProcessLike } from './service-lifecycle';

class FakeProcess extends EventEmitter implements ProcessLike {
  readonly exits: number[] = [];
  exit(code: number): void {
    this.exits.push(code);
  }
}

const quiet = (): LifecycleLogger & { errors: Record<string, unknown>[] } => {
  const errors: Record<string, unknown>[] = [];
  return { log: () => undefined, error: (m) => errors.push(m), errors };
};

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('ServiceLifecycle', () => {
  it('runs the steps in registration order, each finished before the next starts', async () => {
    const order: string[] = [];
    const step = (name: string, ms: number) => async () => {
      order.push(`${name}:start`);
      await new Promise((resolve) => setTimeout(resolve, ms));
      order.push(`${name}:end`);
    };
    const lifecycle = new ServiceLifecycle(quiet()).onShutdown('http', step('http', 20)).onShutdown('relay', step('relay', 5)).onShutdown('store', step('store', 1));

    await expect(lifecycle.shutdown('test')).resolves.toBe(true);
    expect(order).toEqual(['http:start', 'http:end', 'relay:start', 'relay:end', 'store:start', 'store:end']);
  });

  it('goes on after a failing or hanging step, so the stores still close, and reports the failure', async () => {
    const closed: string[] = [];
    const logger = quiet();
    const lifecycle = new ServiceLifecycle(logger, 50)
      .onShutdown('relay', () => Promise.reject(new Error('broker gone')))
      .onShutdown('consumer', () => new Promise<void>(() => undefined))
      .onShutdown('store', () => void closed.push('store'));

    await expect(lifecycle.shutdown('test')).resolves.toBe(false);
    expect(closed).toEqual(['store']);
    expect(logger.errors.map((e) => e['step'])).toEqual(['relay', 'consumer']);
    expect(String(logger.errors[1]?.['error'])).toMatch(/did not stop within 50 ms/);
  });

  it('runs the sequence once however often it is asked', async () => {
    let runs = 0;
    const lifecycle = new ServiceLifecycle(quiet()).onShutdown('store', () => void runs++);
    await Promise.all([lifecycle.shutdown('a'), lifecycle.shutdown('b'), lifecycle.shutdown('c')]);
    expect(runs).toBe(1);
  });

  it('exits 0 after a SIGTERM once every step finished, and only then', async () => {
    const proc = new FakeProcess();
    let release!: () => void;
    const lifecycle = new ServiceLifecycle(quiet()).onShutdown('drain', () => new Promise<void>((resolve) => (release = resolve)));
    lifecycle.handleSignals(proc);

    proc.emit('SIGTERM');
    await tick();
    expect(proc.exits).toEqual([]);
    release();
    await tick();
    await tick();
    expect(proc.exits).toEqual([0]);
  });

  it('exits 1 at once on a second signal while draining', async () => {
    const proc = new FakeProcess();
    let clock = 0;
    const lifecycle = new ServiceLifecycle(quiet()).onShutdown('drain', () => new Promise<void>(() => undefined));
    lifecycle.handleSignals(proc, () => clock);

    proc.emit('SIGINT');
    await tick();
    clock += 5_000;
    proc.emit('SIGINT');
    expect(proc.exits).toEqual([1]);
  });

  it('keeps draining when the same stop arrives twice (Ctrl-C to the group, then the forwarded SIGTERM)', async () => {
    const proc = new FakeProcess();
    let clock = 0;
    let finish: () => void = () => undefined;
    const lifecycle = new ServiceLifecycle(quiet()).onShutdown('drain', () => new Promise<void>((resolve) => (finish = resolve)));
    lifecycle.handleSignals(proc, () => clock);

    proc.emit('SIGINT');
    await tick();
    clock += 300;
    proc.emit('SIGTERM');
    expect(proc.exits).toEqual([]);
    finish();
    await tick();
    await tick();
    expect(proc.exits).toEqual([0]);
  });

  it('exits 1 when a step failed', async () => {
    const proc = new FakeProcess();
    new ServiceLifecycle(quiet()).onShutdown('relay', () => Promise.reject(new Error('x'))).handleSignals(proc);
    proc.emit('SIGTERM');
    await tick();
    await tick();
    expect(proc.exits).toEqual([1]);
  });
});
