// Request and reply over a forked process's IPC channel, the one way the harness talks to the
// processes it forks (the service, harness/serve.ts; the load generator, harness/load-worker.ts):
// the parent numbers each request, the child answers with that number, and a child that exits
// fails whatever is still waiting instead of leaving it hanging.
import type { ChildProcess } from 'node:child_process';

/** The child's answer to request `id`: its result, or the message of what it threw. */
export type Reply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };

const isReply = (message: unknown): message is Reply =>
  typeof message === 'object' && message !== null && typeof (message as Reply).id === 'number' && typeof (message as Reply).ok === 'boolean';

export interface Requester<Request> {
  /** Sends `request` and resolves with the child's result (the caller names its type). */
  request<T>(request: Request): Promise<T>;
  /** Rejects every waiting request, and every later one, with `error`: the child is gone. */
  close(error: Error): void;
}

/**
 * The parent's side. Messages that are not replies (a child's own announcements, such as the
 * service's "ready") are left to the caller's listeners. `failure` turns a child's error message
 * into the Error the caller sees.
 */
export function requester<Request extends object>(child: ChildProcess, failure: (message: string) => Error = (message) => new Error(message)): Requester<Request> {
  const pending = new Map<number, { resolve: (result: any) => void; reject: (error: Error) => void }>();
  let closed: Error | undefined;
  let nextId = 1;
  child.on('message', (message: unknown) => {
    if (!isReply(message)) return;
    const waiter = pending.get(message.id);
    pending.delete(message.id);
    if (message.ok) waiter?.resolve(message.result);
    else waiter?.reject(failure(message.error));
  });
  return {
    request: <T>(request: Request) =>
      new Promise<T>((resolve, reject) => {
        if (closed) return reject(closed);
        const id = nextId++;
        pending.set(id, { resolve, reject });
        child.send({ ...request, id });
      }),
    close(error) {
      closed ??= error;
      for (const { reject } of pending.values()) reject(error);
      pending.clear();
    },
  };
}

/** The child's side: answers every request from its parent with `answer`'s result or its error. */
export function answerRequests<Request extends object>(answer: (request: Request) => Promise<unknown>): void {
  process.on('message', async (message: Request & { id: number }) => {
    try {
      const result = await answer(message);
      process.send!({ id: message.id, ok: true, result } satisfies Reply);
    } catch (err) {
      process.send!({ id: message.id, ok: false, error: (err as Error).message ?? String(err) } satisfies Reply);
    }
  });
}
