/**
 * The run the engine is executing now (the client's queue lets only one through at a time): its
 * start and its requests for input, seen before its own handlers hear them; its time limit,
 * which does not count while the reader thinks; the answers the reader gave (kept for a replay);
 * why it is being stopped; and its end, which the engine's result or a restart brings.
 */
import type { InputReply, RunResult } from '../shared/protocol.js';
import type { InputAsk, RunHandlers } from './connection.js';
import type { TimeLimit } from './time-limit.js';

export class ActiveRun {
  started = false;
  startedAt = 0;
  limit: TimeLimit | null = null;
  /** The request for input the reader has not answered yet. */
  waiting: InputAsk | null = null;
  /** The answers the reader gave (`null`: end of input), replayed if the run is. */
  readonly inputs: Array<string | null> = [];
  /** Why the run is being stopped, once it is. */
  stopReason: string | null = null;
  /** Its worker is being replaced: the restart, not the engine, ends it. */
  replaced = false;
  /** It had not started when another page replaced the shared runtime: it is sent again once the sessions are restored. */
  resend = false;
  /** Settles with the run's result when it ends. */
  readonly ended: Promise<RunResult>;
  /** Ends the run with this result. */
  readonly endWith: (result: RunResult) => void;

  constructor(
    readonly token: object | undefined,
    readonly handlers: RunHandlers,
    /** Sends an answer to a request for input on the channel the engine waits on. */
    private readonly sendAnswer: (ask: InputAsk, reply: InputReply) => void,
  ) {
    let endWith: (result: RunResult) => void = () => undefined;
    this.ended = new Promise<RunResult>((resolve) => (endWith = resolve));
    this.endWith = endWith;
  }

  /** Where the engine's messages for this run go: the run's own handlers, after it has seen its start and its requests for input. */
  engineHandlers(): RunHandlers {
    const handlers = this.handlers;
    return {
      ...handlers,
      onStarted: () => {
        this.started = true;
        this.startedAt = performance.now();
        this.limit?.start();
        handlers.onStarted?.();
      },
      onInput: (ask) => {
        // The time limit does not count the reader's thinking.
        this.waiting = ask;
        this.limit?.pause();
        // Stop (or the time limit) came while Python was asking: the answer is the interrupt.
        if (this.stopReason) this.answer({ interrupt: true });
        else if (handlers.onInput) handlers.onInput(ask);
        else this.answer({ eof: true });
      },
    };
  }

  /** Answers the request for input under way (the reader did, or Stop); the time limit counts on unless the run is stopping. */
  answer(reply: InputReply): void {
    const ask = this.waiting;
    if (!ask) return;
    this.waiting = null;
    if ('line' in reply) this.inputs.push(reply.line);
    else if ('eof' in reply) this.inputs.push(null);
    this.sendAnswer(ask, reply);
    if (!this.stopReason) this.limit?.start();
  }

  /**
   * A run interrupted by Stop ends with `KeyboardInterrupt`: say why, and that nothing was lost.
   * An exercise's check so stopped is no attempt: its verdict (Python fails a check whose code
   * raised KeyboardInterrupt, not knowing who raised it) is dropped.
   */
  withStopReason(result: RunResult): RunResult {
    if (!this.stopReason || result.error?.type !== 'KeyboardInterrupt' || result.error.failure) return result;
    const traceback = `${result.error.traceback}${this.stopReason}; the session's variables are kept.\n`;
    const { check: _stopped, ...rest } = result;
    return { ...rest, error: { ...result.error, message: this.stopReason, traceback } };
  }
}
