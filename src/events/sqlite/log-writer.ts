import { Worker } from 'node:worker_threads';
import { WriterReply, WriterRequest, WriterSetup } from './log-writer-protocol';
import { logWriterThread } from './log-writer-thread';

type Request = WriterRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/**
 * The main thread's handle on the log writer thread: posts requests in order and matches answers by
 * id. The thread is started on first use and again after it died (its open transaction, if any, died
 * with its connection: SQLite rolled it back). It never keeps the process alive on its own.
 */
export class LogWriter {
  private worker: Worker | null = null;
  /** Counts the threads started: a transaction begun on one thread can only be committed on the same one. */
  generation = 0;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (reply: WriterReply) => void; reject: (error: Error) => void }>();

  constructor(private readonly setup: WriterSetup) {}

  /** Posts without waiting for an answer. */
  post(message: WriterRequest): void {
    this.thread().postMessage(message);
  }

  request(message: Request): Promise<WriterReply> {
    const worker = this.thread();
    const id = this.nextId++;
    const answer = this.answerTo(id);
    worker.postMessage({ ...message, id } as WriterRequest);
    return answer;
  }

  /** Reserves an id for an acknowledged `rows` message, and the promise of its answer. */
  ack(): { id: number; answer: Promise<WriterReply> } {
    this.thread();
    const id = this.nextId++;
    return { id, answer: this.answerTo(id) };
  }

  async close(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    await this.request({ op: 'close' }).catch(() => undefined);
    await worker.terminate();
    this.worker = null;
  }

  /** While an answer is awaited the thread keeps the process alive (a script awaiting an append must not exit). */
  private answerTo(id: number): Promise<WriterReply> {
    const answer = new Promise<WriterReply>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    this.worker?.ref();
    return answer;
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(`(${logWriterThread.toString()})()`, { eval: true, workerData: this.setup });
    worker.unref();
    this.generation += 1;
    worker.on('message', (reply: WriterReply) => {
      const waiter = this.pending.get(reply.id);
      if (!waiter) return;
      this.pending.delete(reply.id);
      if (this.pending.size === 0) worker.unref();
      waiter.resolve(reply);
    });
    const fail = (error: Error) => {
      if (this.worker !== worker) return;
      this.worker = null;
      for (const waiter of this.pending.values()) waiter.reject(error);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the log writer thread exited (code ${code})`)));
    this.worker = worker;
    return worker;
  }
}
