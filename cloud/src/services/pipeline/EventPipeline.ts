import type { StoredEvent } from "../repositories.js";
import type { DecisionStage } from "./DecisionStage.js";
import type { DeliveryStage } from "./DeliveryStage.js";
import type { PipelineStage } from "./PipelineStage.js";

export interface EventPipelineOptions {
  /** Where stored events of app users enter. */
  readonly decisions: DecisionStage;
  readonly delivery: DeliveryStage;
  /**
   * Every stage, front to back (the decision stage first). Started back to front, so each stage is
   * ready before anything can reach it; stopped front to back, so each drains into a running one.
   */
  readonly stages: readonly PipelineStage<never>[];
  /** Called with every stored event (the live view). */
  readonly watch?: (events: readonly StoredEvent[]) => void;
}

/** Counters over the whole pipeline, for metrics and tests. */
export interface PipelineCounters {
  readonly eventsDecided: number;
  readonly offersIssued: number;
  readonly offersPublished: number;
}

/**
 * The cloud's one path for stored presence: every source (gateway batches through `IngestService`,
 * phones' geofence reports through `GeofenceService`, any later one) hands the events it committed
 * to `submit`, and they go through the stages it was composed of (decide → deliver). Events of no
 * known user are shown to the watcher but not decided (storage marked them decided already).
 */
export class EventPipeline {
  private readonly o: EventPipelineOptions;
  private readonly decisions: DecisionStage;
  private readonly delivery: DeliveryStage;

  constructor(options: EventPipelineOptions) {
    this.o = options;
    this.decisions = options.decisions;
    this.delivery = options.delivery;
  }

  get counters(): PipelineCounters {
    return {
      eventsDecided: this.decisions.counters.eventsDecided,
      offersIssued: this.decisions.counters.offersIssued,
      offersPublished: this.delivery.counters.offersPublished,
    };
  }

  /**
   * True while the pipeline decides or delivers: work that makes a chain of storage calls, each
   * of which would otherwise queue behind a source's next commit (see IngestService's rest).
   */
  get busy(): boolean {
    return this.decisions.busy || this.delivery.busy;
  }

  /** Stored events waiting for a decision (a gauge for metrics). */
  get queuedDecisions(): number {
    return this.decisions.queued;
  }

  /** Takes events a source has just committed. */
  submit(events: readonly StoredEvent[]): void {
    this.decisions.accept(events.filter((e) => e.userId !== null));
    this.o.watch?.(events);
  }

  async start(): Promise<void> {
    for (const stage of [...this.o.stages].reverse()) await stage.start();
  }

  async stop(): Promise<void> {
    for (const stage of this.o.stages) await stage.stop();
  }

  /** The offers issued on a submitted event once it is decided, or null after `withinMs` (see DecisionStage). */
  whenDecided(eventId: string, withinMs: number): ReturnType<DecisionStage["whenDecided"]> {
    return this.decisions.whenDecided(eventId, withinMs);
  }

  /** Rebuilds an organisation's rule index (after a rule change). */
  reloadRules(orgId: string): Promise<void> {
    return this.decisions.reloadRules(orgId);
  }

  /** Resolves when every submitted event is decided and its offer delivered and recorded. */
  async idle(): Promise<void> {
    // Front to back: what a stage hands on while draining is waited for by the next.
    for (const stage of this.o.stages) await stage.idle();
  }
}
