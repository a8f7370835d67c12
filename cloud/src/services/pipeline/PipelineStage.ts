/**
 * One stage of the event pipeline (ingest → decide → deliver): it takes its input with `accept`,
 * which returns at once (the stage queues the work), and hands its output to the next stage it was
 * built with. `start` and `stop` are idempotent; `stop` stops taking input and finishes what the
 * stage holds, so stopping the stages in order drains the pipeline front to back.
 */
export interface PipelineStage<In> {
  /** For logs and errors. */
  readonly name: string;
  accept(input: In): void;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Resolves when everything accepted so far has left this stage. */
  idle(): Promise<void>;
}
