/**
 * A stand-in for an engine and its worker, for unit tests of the page side. It answers boot and run
 * messages the way the engine does; what a run does depends on its code:
 *   `loop`        never ends, until the interrupt buffer asks (then KeyboardInterrupt)
 *   `stuck`       never ends, and ignores the interrupt buffer
 *   `raise X`     ends with the Python exception X (no `failure` mark)
 *   `fatal`       ends with a fatal result (the interpreter cannot go on)
 *   `fatal later` ends `done`, then the interpreter dies while idle (a task it started crashed it)
 *   `crash`       the worker dies (an `error` event)
 *   `late`        ends `done`, then writes once more as that run (a task it started)
 *   `ask N`       asks the reader for N lines (input()), prints each, ends `done` with them;
 *                 the end of input is an EOFError, Stop a KeyboardInterrupt
 *   anything else prints the code, then ends `done` with the code as its value
 */
import type { EnginePort } from '../../runtime/shared/engine-port.js';
import { failure } from '../../runtime/shared/errors.js';
import type { FromEngine, InputReply, RunRequest, ToEngine } from '../../runtime/shared/protocol.js';

export interface StandInBehaviour {
  bootError?: string;
  crashOnBoot?: boolean;
  /** Never answers the boot message (a runtime that takes forever to start). */
  silentBoot?: boolean;
  runMs?: number;
  /** For the run `slow to stop`: how long after taking the interrupt its end is sent, in ms. */
  slowStopMs?: number;
}

export class StandInWorker implements EnginePort {
  readonly received: ToEngine[] = [];
  /** Codes of the runs this worker executed, in order. */
  readonly ran: string[] = [];
  /** The most runs that were sent and not yet answered, at any moment. */
  maxInFlight = 0;
  terminated = false;
  private inFlight = 0;
  private interrupt: Int32Array | null = null;
  private answered: ((reply: InputReply) => void) | null = null;
  /** The prompts of the requests for input this worker made. */
  readonly asked: string[] = [];
  private listener: (message: FromEngine) => void = () => undefined;
  private readonly errorListeners: Array<(detail: string) => void> = [];

  constructor(private readonly behaviour: StandInBehaviour = {}) {}

  listen(listener: (message: FromEngine) => void): void {
    this.listener = listener;
  }

  onError(listener: (detail: string) => void): void {
    this.errorListeners.push(listener);
  }

  emit(message: FromEngine): void {
    if (this.terminated) return;
    if (message.type === 'result') this.inFlight--;
    this.listener(message);
  }

  crash(message = 'out of memory'): void {
    for (const listener of this.errorListeners) listener(message);
  }

  post(message: ToEngine): void {
    this.received.push(message);
    if (message.type === 'run') {
      this.inFlight++;
      this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    }
    setTimeout(() => {
      if (message.type === 'boot') this.boot(message.options.interruptBuffer ?? null);
      else if (message.type === 'run') this.run(message);
      else if (message.type === 'input-reply') this.answered?.(message.reply);
    }, 1);
  }

  terminate(): void {
    this.terminated = true;
  }

  private boot(interrupt: Int32Array | null): void {
    this.interrupt = interrupt;
    if (this.behaviour.silentBoot) return;
    if (this.behaviour.crashOnBoot) this.crash('script failed');
    else if (this.behaviour.bootError) this.emit({ type: 'boot-error', message: this.behaviour.bootError });
    else {
      this.emit({ type: 'progress', progress: { stage: 'download', loaded: 10, total: 100 } });
      this.emit({ type: 'ready', version: 'test' });
    }
  }

  /** Asks for `count` lines, as engine and Python would; a replay answers from `inputs`. */
  private async ask(id: number, count: number, inputs: Array<string | null> | undefined): Promise<void> {
    const lines: string[] = [];
    for (let n = 1; n <= count; n++) {
      let reply: InputReply;
      if (inputs) {
        const line = inputs.shift();
        reply = line === undefined || line === null ? { eof: true } : { line };
      } else {
        this.asked.push(`line ${n}? `);
        this.emit({ type: 'input-request', id, prompt: `line ${n}? `, password: false, channel: 'message', request: `stand-in-${n}` });
        reply = await new Promise<InputReply>((resolve) => (this.answered = resolve));
      }
      if ('interrupt' in reply || 'eof' in reply) {
        const type = 'interrupt' in reply ? 'KeyboardInterrupt' : 'EOFError';
        this.emit({ type: 'result', id, status: 'error', elapsedMs: 1, error: { type, message: '', traceback: `${type}\n` } });
        return;
      }
      lines.push(reply.line);
      this.emit({ type: 'stream', id, chunks: [['stdout', `${reply.line}\n`]] });
    }
    this.emit({ type: 'result', id, status: 'done', elapsedMs: 1, value: { 'text/plain': lines.join(',') } });
  }

  private run(message: Extract<ToEngine, { type: 'run' }>): void {
    const { id, code } = message as { id: number } & RunRequest;
    this.ran.push(code);
    this.emit({ type: 'started', id });
    if (code === 'crash') {
      this.crash();
      return;
    }
    if (code === 'loop' || code === 'stuck' || code === 'slow to stop' || code === 'catches the interrupt') {
      const poll = setInterval(() => {
        if (this.terminated) {
          clearInterval(poll);
          return;
        }
        if (code !== 'stuck' && this.interrupt && Atomics.load(this.interrupt, 0) === 2) {
          // Python takes the interrupt (Pyodide clears the buffer as it raises KeyboardInterrupt).
          Atomics.store(this.interrupt, 0, 0);
          // Code that catches KeyboardInterrupt and goes on looping.
          if (code === 'catches the interrupt') return;
          clearInterval(poll);
          const error = { type: 'KeyboardInterrupt', message: '', traceback: 'Traceback (most recent call last):\nKeyboardInterrupt\n' };
          // A busy machine: the run's end reaches the page later than the grace period.
          const answer = () => this.emit({ type: 'result', id, status: 'error', elapsedMs: 5, error });
          if (code === 'slow to stop') setTimeout(answer, this.behaviour.slowStopMs ?? 0);
          else answer();
        }
      }, 2);
      return;
    }
    const asks = /^ask (\d+)$/.exec(code)?.[1];
    if (asks) {
      // A copy, as a real message is: the page's history keeps its own.
      const inputs = (message as RunRequest).inputs;
      void this.ask(id, Number(asks), inputs && [...inputs]);
      return;
    }
    const raised = /^raise (\w+)/.exec(code)?.[1];
    this.emit({ type: 'stream', id, chunks: [['stdout', `${code}\n`]] });
    setTimeout(() => {
      this.emit({ type: 'stream', id, chunks: [['stderr', 'end\n']] });
      if (code === 'fatal') {
        this.emit({
          type: 'result',
          id,
          fatal: true,
          status: 'error',
          elapsedMs: 0,
          error: failure('crashed', 'RangeError: Maximum call stack size exceeded'),
        });
      } else if (raised) {
        this.emit({
          type: 'result',
          id,
          status: 'error',
          elapsedMs: 1,
          error: { type: raised, message: 'raised', traceback: `${raised}: raised\n` },
        });
      } else {
        this.emit({ type: 'result', id, status: 'done', elapsedMs: 1, value: { 'text/plain': code } });
        if (code === 'late') setTimeout(() => this.emit({ type: 'stream', id, chunks: [['stdout', 'late\n']] }), 5);
        if (code === 'fatal later') setTimeout(() => this.emit({ type: 'fatal', message: 'Exit: Program terminated with exit(0)' }), 10);
      }
    }, this.behaviour.runMs ?? 5);
  }
}
