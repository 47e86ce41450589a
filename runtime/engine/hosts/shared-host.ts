/**
 * One engine, many pages: the host of a shared runtime (`shared-worker.ts`). Every page view
 * that connects is a client with a port of its own. Its runs get ids of the engine's numbering
 * and its sessions a name of their own (`<client>/<session>`), so no page sees another's globals
 * by name; runs go to the engine one at a time, in the order they came, whichever page sent
 * them; every message about a run goes back to the page that sent it, with the page's own id.
 * A page that leaves has its queued runs dropped and its sessions forgotten. See
 * `docs/decisions/0017-shared-runtime.md`.
 */
import { failure } from '../../shared/errors.js';
import type { BootOptions, FromEngine, RunRequest, ToEngine } from '../../shared/protocol.js';

/** A page's end of its connection. */
export interface ClientPort {
  postMessage(message: FromEngine, transfer?: Transferable[]): void;
}

/** What the host needs of the engine (`Engine`, or a test's stand-in). */
export interface SharedEngine {
  handle(message: ToEngine): void;
  forget(sessions: Iterable<string>): void;
}

interface Client {
  readonly port: ClientPort;
  /** Unique to the client in this runtime: its sessions are named `<name>/<session>`. */
  readonly name: number;
  /** The engine's names of the sessions this page used. */
  readonly sessions: Set<string>;
  /** Waiting for the engine's `ready` (or its boot error). */
  waiting: boolean;
}

interface Queued {
  client: Client;
  /** The page's id for the run. */
  id: number;
  request: RunRequest;
}

/** How many finished runs still receive the output of tasks they started (as `Connection`). */
const LATE_OUTPUT_RUNS = 64;

export class SharedHost {
  private engine: SharedEngine | null = null;
  private readonly clients = new Set<Client>();
  private readonly queue: Queued[] = [];
  /** Runs sent to the engine, by the engine's id: whose they are and the page's id. */
  private readonly runs = new Map<number, { client: Client; id: number }>();
  /** The engine's id of the run it executes now. */
  private current: number | null = null;
  private nextId = 1;
  private clientCount = 0;
  private booting = false;
  private readyMessage: Extract<FromEngine, { type: 'ready' }> | null = null;
  private bootError: string | null = null;
  /** Why the interpreter died, once it has: every page hears it, now and on connecting. */
  private fatal: string | null = null;

  /** The engine this host serves (made after the host, since it posts to `fromEngine`). */
  attach(engine: SharedEngine): void {
    this.engine = engine;
  }

  /** A page connected; `port` is its end. Returns the handler of that page's messages. */
  connect(port: ClientPort): (message: ToEngine) => void {
    const client: Client = { port, name: ++this.clientCount, sessions: new Set(), waiting: false };
    this.clients.add(client);
    return (message) => this.fromClient(client, message);
  }

  /** A message of the engine: to the page it concerns, with that page's id. */
  readonly fromEngine = (message: FromEngine, transfer: Transferable[] = []): void => {
    switch (message.type) {
      case 'progress':
        for (const client of this.clients) if (client.waiting) client.port.postMessage(message);
        return;
      case 'ready':
        this.readyMessage = message;
        this.answerWaiting(message);
        return;
      case 'boot-error':
        this.bootError = message.message;
        this.answerWaiting(message);
        return;
      case 'fatal':
        this.die(message.message, null);
        return;
      default:
        break;
    }
    if (message.id === null) {
      // Nobody's run: written between runs, or asked by a task of a page that may have left.
      if (message.type === 'input-request') this.engine?.handle({ type: 'input-reply', request: message.request, reply: { eof: true } });
      return;
    }
    const run = this.runs.get(message.id);
    if (!run) return;
    // A page that left hears nothing more; its run's end still frees the engine.
    if (this.clients.has(run.client)) run.client.port.postMessage({ ...message, id: run.id }, transfer);
    if (message.type !== 'result') return;
    if (this.current === message.id) this.current = null;
    for (const id of this.runs.keys()) {
      if (this.runs.size <= LATE_OUTPUT_RUNS) break;
      if (id !== this.current) this.runs.delete(id);
    }
    if (message.fatal) this.die(message.error?.message ?? 'the interpreter died', run.client);
    else this.next();
  };

  private fromClient(client: Client, message: ToEngine): void {
    if (!this.clients.has(client)) return;
    switch (message.type) {
      case 'boot':
        this.boot(client, message.options);
        break;
      case 'run': {
        if (this.fatal !== null) {
          client.port.postMessage({ type: 'fatal', message: this.fatal });
          break;
        }
        const { type: _run, id, ...request } = message;
        const session = `${client.name}/${request.session}`;
        if (!request.exercise) client.sessions.add(session);
        this.queue.push({ client, id, request: { ...request, session } });
        this.next();
        break;
      }
      case 'input-reply':
        this.engine?.handle(message);
        break;
      case 'cancel': {
        const index = this.queue.findIndex((queued) => queued.client === client && queued.id === message.id);
        if (index < 0) return; // under way: the page replaces the runtime if it must
        this.queue.splice(index, 1);
        client.port.postMessage({ type: 'result', id: message.id, status: 'error', elapsedMs: 0, error: failure('stopped', 'Stopped') });
        break;
      }
      case 'detach':
        this.detach(client);
        break;
    }
  }

  private boot(client: Client, options: BootOptions): void {
    const answer: FromEngine | null =
      this.fatal !== null
        ? { type: 'fatal', message: this.fatal }
        : this.readyMessage
          ? { ...this.readyMessage, timings: {}, joined: true }
          : this.bootError !== null
            ? { type: 'boot-error', message: this.bootError }
            : null;
    if (answer) {
      client.port.postMessage(answer);
      return;
    }
    client.waiting = true;
    if (this.booting) return;
    this.booting = true;
    this.engine?.handle({ type: 'boot', options });
  }

  private answerWaiting(message: FromEngine): void {
    for (const client of this.clients) {
      if (!client.waiting) continue;
      client.waiting = false;
      client.port.postMessage(message);
    }
  }

  /** Sends the next queued run to the engine when it is free. */
  private next(): void {
    if (this.current !== null || this.fatal !== null) return;
    const queued = this.queue.shift();
    if (!queued) return;
    const id = this.nextId++;
    this.current = id;
    this.runs.set(id, { client: queued.client, id: queued.id });
    this.engine?.handle({ type: 'run', id, ...queued.request });
  }

  private detach(client: Client): void {
    this.clients.delete(client);
    for (let index = this.queue.length - 1; index >= 0; index--) if (this.queue[index]!.client === client) this.queue.splice(index, 1);
    // Its run under way (if any) ends on its own: the page that left hears nothing of it.
    this.engine?.forget(client.sessions);
  }

  /** The interpreter died: every page hears it (the one whose run it was has heard already). */
  private die(message: string, heard: Client | null): void {
    this.fatal = message;
    this.queue.length = 0;
    for (const client of this.clients) if (client !== heard) client.port.postMessage({ type: 'fatal', message });
  }
}
