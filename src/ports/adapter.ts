import type { IncomingHttpHeaders } from 'node:http';
import type { z } from 'zod';
import type { VendorHttpFactory } from '../vendor-http/vendor-client.js';
import type { EventKind, EventOfKind, InboundEventInput } from '../model/events.js';
import type { Logger } from '../observability/logger.js';
import type { InboundGap } from '../observability/inbound-gaps.js';
import type { UnrecognizedWhat } from '../observability/unrecognized.js';
import type { MappingStore, PlatformKey } from '../store/mapping-store.js';
import type { AdapterCapability } from './capabilities.js';
import type { DropKind, DropReason } from './drop-reasons.js';

/**
 * The ports every vendor adapter implements. An adapter is one folder under `adapters/` exporting a
 * `Adapter`; the composition root (src/composition-root.ts) registers it in one line. The core never
 * imports an adapter.
 */

export type RouteRole = 'customer' | 'agent';

/** A webhook as it reached us: raw bytes (signatures are over these) and headers. */
export interface RawInbound {
  headers: IncomingHttpHeaders;
  rawBody: Buffer;
}

export interface IngestResult {
  accepted: number;
  duplicates: number;
  dropped: number;
}

/** What the core lends an adapter instance. */
export interface ConnectorRuntime {
  tenantId: string;
  store: MappingStore;
  /** The store key of a piece of this platform's own state for this tenant: `<platform>:<tenant>:<kind>:...`. */
  key: PlatformKey;
  logger: Logger;
  /**
   * Hands normalized events to the core (resolve conversation, dedupe, enqueue). Adapters that poll
   * (RightNow) call it from their loop; webhooks go through `normalize` instead.
   */
  ingest(events: InboundEventInput[]): Promise<IngestResult>;
  /**
   * Reports an event dropped on purpose (debug log + metric), never an error. `kind` is the canonical
   * kind of the event dropped, or `vendor` for a vendor item that never became one (its vendor type then
   * goes in `details`); `details` are logged, never metric labels.
   */
  drop(kind: DropKind, reason: DropReason, details?: Record<string, unknown>): void;
  /**
   * Reports what the adapter could not read (warn log with the payload's shape, a metric, a masked
   * sample for the admin API). Loud on purpose: it is how a wrong reading of a vendor format shows.
   */
  unrecognized(what: UnrecognizedWhat, detail: string, payload: unknown): void;
  /**
   * Reports events the vendor numbered but never delivered (a gap its consecutive numbering shows, after
   * the adapter waited for late deliveries): counted, logged as a warning, shown on the status page.
   */
  inboundGap(gap: InboundGap): void;
  /** Hands a raw inbound payload to the opt-in capture (`logging.captureInbound`); webhooks are captured by the core. */
  received(payload: unknown): void;
  /** An outbound HTTP client whose call outcomes drive this connector's health (`chatbridge_connector_up`). */
  vendorHttp: VendorHttpFactory;
}

/** A live view of one canonical conversation, given to `send`. */
export interface ConversationHandle {
  readonly id: string;
  readonly tenant: string;
  /** This platform's native conversation id, once known. */
  nativeId(): string | undefined;
  /** Links the native id this platform gave the conversation (after creating it there). */
  link(nativeId: string): Promise<void>;
  attr(name: string): string | undefined;
  setAttrs(attrs: Record<string, string>): Promise<void>;
  /** The role this platform plays in the conversation's route. */
  readonly role: RouteRole;
}

export interface DeliveryContext {
  conversation: ConversationHandle;
  /** 1 for the first attempt. */
  attempt: number;
  logger: Logger;
}

/**
 * Why (part of) an event was not sent. `reason` is a code from the catalogue (src/ports/drop-reasons.ts),
 * the metric label; `detail` is free text for the log, never a label. `notice`, when given, is text for
 * the sender, in their language (why a file was refused): the core sends it back to the platform the
 * event came from as a `system` message.
 */
export interface Drop {
  reason: DropReason;
  detail?: string;
  notice?: string;
}

export type SendResult =
  | {
      status: 'sent';
      /**
       * The ids the platform gave what was posted, when it gives any (a long text split into several posts
       * has several): the core links each to the canonical event, for receipts and echo detection.
       */
      nativeMessageIds?: string[];
      /**
       * Part of the event the target refused while the rest went out (a file its channel does not
       * take, sent with a text): counted as a drop of the event's kind, and `notice` goes back as for a drop.
       */
      refused?: Drop;
    }
  | ({ status: 'dropped' } & Drop);

/**
 * Sends one canonical event of its kind, once per attempt, in order per conversation and target. Where
 * what to send depends on the side the platform plays, the handler reads `ctx.conversation.role`. Throw
 * a DeliveryError (src/errors.ts) to retry, dead-letter or end.
 */
export type OutboundHandler<K extends EventKind> = (event: EventOfKind<K>, ctx: DeliveryContext) => Promise<SendResult>;

/**
 * The canonical kinds a platform sends, one handler each. The core drops an event of a kind without a
 * handler itself (`unsupported-kind`): an adapter never needs a catch-all.
 */
export type OutboundHandlers = { readonly [K in EventKind]?: OutboundHandler<K> };

/** A file a platform holds, as its API describes it now: `url` is a fresh signed download address. */
export interface ResolvedFile {
  url: string;
  /** When `url` stops working (ISO 8601), if the vendor says. */
  expiresAt?: string;
  name: string;
  contentType: string;
  size: number;
}

/** What the core tells a customer platform when it leaves a conversation to the vendor's own agents. */
export interface NativeHandOver {
  /**
   * True for a new conversation drawn for the native share: the bridge has taken no part in it yet
   * (nothing was accepted or said). False for a hand-back of a conversation the bridge carried.
   */
  fresh: boolean;
  /** The transcript summary for the vendor's agents (a hand-back), never for the customer's eyes. */
  summary?: string;
}

/** One platform for one tenant. */
export interface Connector {
  readonly platform: string;
  /** Authenticate a webhook against this tenant's credentials; throw AuthenticationError. */
  verify?(req: RawInbound): Promise<void> | void;
  /**
   * Turn a verified, parsed webhook body into events; throw PayloadError for a malformed payload.
   * Types the platform documents but the bridge does not carry are dropped via `runtime.drop`.
   */
  normalize?(body: unknown): Promise<InboundEventInput[]> | InboundEventInput[];
  /** What the platform sends: a handler per canonical kind (see OutboundHandlers). */
  readonly outbound: OutboundHandlers;
  /**
   * A fresh download address for a file this platform sent (an attachment's `nativeId`). The core asks
   * at delivery (for the event's attachments) and on each click of a bridge file link, never during
   * `normalize`: webhooks must be answered fast. Throw a DeliveryError; a 404 means the file is gone.
   */
  resolveFile?(nativeId: string): Promise<ResolvedFile>;
  /**
   * Capability `handToNativeAgents` (src/ports/capabilities.ts): the conversation goes to this
   * vendor's own agents by the vendor's own routing, and the bridge steps out of it (the core drops its
   * later events and delivers nothing more into it). Resolve once the vendor took it (or, for a fresh
   * offer the adapter still has to answer, once that answer is decided durably); throw a DeliveryError
   * when it could not be done, and the core tries again (inbound: the vendor's redelivery or the next
   * poll round; hand-back: the operator).
   */
  handToNativeAgents?(conversation: ConversationHandle, handOver: NativeHandOver): Promise<void>;
  /** After a AuthExpiredError: drop cached credentials so the next attempt fetches fresh ones. */
  refreshAuth?(): Promise<void> | void;
  /** Background work (RightNow's long-poll loop); resolved once running. */
  start?(): Promise<void>;
  /**
   * Stop background work and log off; must finish within the drain window. With `handOver`, a new
   * connector for the same tenant and platform takes over at once (a configuration reload): keep
   * vendor sessions that live conversations use (the new connector adopts them from the store).
   */
  stop?(options?: { handOver?: boolean }): Promise<void>;
}

/** An operator command of a platform, run as `chatbridge <platform> <name> --tenant T`. */
export interface AdapterCommand<C = unknown> {
  readonly name: string;
  readonly description: string;
  /** On/off switches of this command (`--<name>`). */
  readonly flags?: readonly { name: string; description: string }[];
  /** Resolves false when the command failed (the CLI exits 1), e.g. a check with a failed step. */
  run(args: { tenantId: string; config: C; logger: Logger; flags?: Record<string, boolean>; print(line: string): void }): Promise<void | boolean>;
}

/** The platform's simulator, started for the sandbox (`npm start` with no configuration). */
export interface SandboxSimulator<C = unknown> {
  /** The tenant's `<platform>:` block, pointing the adapter at the simulator. */
  readonly config: C;
  /** Where the simulator listens, for the start-up banner. */
  readonly url: string;
  /**
   * Speaks as a participant of the simulated vendor (`chatbridge sandbox say`), in the native conversation
   * given, or in a new one when none is given and the role can start one. Resolves the native conversation id.
   */
  say?(role: RouteRole, text: string, conversation?: string): Promise<string>;
  /** The texts the bridge delivered into a native conversation of the simulator, oldest first. */
  received?(conversation: string): string[];
  close(): Promise<void>;
}

export interface SandboxProvider<C = unknown> {
  start(args: { tenantId: string; role: RouteRole; webhookUrl: string }): Promise<SandboxSimulator<C>>;
}

export interface Adapter<C = unknown> {
  readonly platform: string;
  /** Which sides of a route this platform can play. */
  readonly roles: readonly RouteRole[];
  /** Optional capabilities it implements (src/ports/capabilities.ts). */
  readonly capabilities?: readonly AdapterCapability[];
  /** Validates the tenant's `<platform>:` block; errors are reported with their YAML path. */
  readonly configSchema: z.ZodType<C>;
  /** Keys a side needs that the schema alone cannot require (it does not know the routes). */
  requirementsFor?(role: RouteRole, config: C): { path: PropertyKey[]; problem: string }[];
  create(args: { config: C; runtime: ConnectorRuntime }): Connector;
  /** Operator commands (eGain's register-channel); the CLI lists them without knowing the platform. */
  readonly commands?: readonly AdapterCommand<C>[];
  /** Lets the sandbox run this platform with no vendor account (its simulator on loopback). */
  readonly sandbox?: SandboxProvider<C>;
}
