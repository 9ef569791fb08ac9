// harness/ipc.ts: the request/reply layer between the harness and the processes it forks.
import { expect } from 'chai';
import type { ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { requester } from '../../harness/ipc';

/** A child process as far as requester() sees it: it emits messages and records what it was sent. */
function fakeChild() {
  const child = Object.assign(new EventEmitter(), { sent: [] as any[], send(message: unknown) { child.sent.push(message); return true; } });
  return child;
}

describe('harness/ipc: requester', () => {
  it('numbers each request and settles it by the number of its reply, in any order', async () => {
    const child = fakeChild();
    const requests = requester<{ type: string }>(child as unknown as ChildProcess, (message) => new Error(`it failed: ${message}`));
    const first = requests.request<number>({ type: 'a' });
    const second = requests.request<number>({ type: 'b' });
    expect(child.sent).to.deep.equal([{ type: 'a', id: 1 }, { type: 'b', id: 2 }]);
    child.emit('message', { type: 'ready', port: 1 }); // not a reply: left to the caller
    child.emit('message', { id: 2, ok: false, error: 'no such tenant' });
    child.emit('message', { id: 1, ok: true, result: 42 });
    expect(await first).to.equal(42);
    let failure: Error | undefined;
    await second.catch((err: Error) => (failure = err));
    expect(failure?.message).to.equal('it failed: no such tenant');
  });

  it('fails what is waiting, and every later request, once closed (the child exited)', async () => {
    const child = fakeChild();
    const requests = requester<{ type: string }>(child as unknown as ChildProcess);
    const waiting = requests.request({ type: 'a' });
    requests.close(new Error('the process exited (SIGKILL)'));
    const outcomes = await Promise.allSettled([waiting, requests.request({ type: 'b' })]);
    expect(outcomes.map((o) => (o.status === 'rejected' ? (o.reason as Error).message : 'resolved'))).to.deep.equal(['the process exited (SIGKILL)', 'the process exited (SIGKILL)']);
    expect(child.sent).to.have.length(1);
  });
});
