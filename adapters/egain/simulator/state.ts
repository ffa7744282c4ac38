import { randomBytes, randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import type { z } from 'zod';
import type { SimChannelBody, SimClientType, SimMessage, SimSendBody } from './vendor-schemas.js';

/** What the fake Hub knows and records: client apps, tokens, channels, conversations, assets, messages. */

export const INTERACTION_SCOPE = 'app.conversation.conversationmgr.interaction.manage';
export const MANAGE_SCOPE = 'app.conversation.conversationmgr.manage';
export const READ_SCOPE = 'app.conversation.conversationmgr.read';

export interface SimClient {
  clientId: string;
  clientSecret: string;
  /** The client application type it was registered as (its role). */
  type: SimClientType;
  scopes: string[];
}

export interface IssuedToken {
  value: string;
  clientId: string;
  scopes: string[];
  expiresAt: number;
}

export interface SimChannel extends SimChannelBody {
  id: string;
  created: string;
  modified: string;
}

/** The customer of a conversation, as the fake Hub puts it in its callbacks (CallbackShape decides how). */
export interface SimCustomer {
  firstName?: string;
  lastName?: string;
  language?: string;
  contacts?: { contact: { type: string; address: string }[] };
}

export interface SimConversation {
  id: string;
  channelType: string;
  customerAddress?: string;
  customer?: SimCustomer;
  /** Set when an agent or bot app handed the conversation to the Hub's routing (`queue.transfer`, `escalation.transfer`). */
  transferredBy?: string;
}

export interface SimAsset {
  id: string;
  name: string;
  size: number;
  channelType: string;
  senderType: SimClientType;
  uploadSignature: string;
  uploadExpiresAt: number;
  bytes?: Buffer;
  contentType?: string;
}

export interface AcceptedMessage {
  clientId: string;
  conversationId: string;
  message: SimMessage & { id: string };
  metadata: SimSendBody['metadata'];
}

/** A signed download URL handed out by `GET /assets/{id}`: it names one asset and stops working at expiresAt. */
export interface SignedDownload {
  assetId: string;
  expiresAt: number;
}

/** Every request the fake Hub received, so tests can tell when (and whether) the bridge called an API. */
export interface RecordedRequest {
  method: string;
  path: string;
}

export interface Rejection {
  method: string;
  path: string;
  status: number;
  code: string;
  message: string;
}

export class SimulatorState {
  readonly tokens = new Map<string, IssuedToken>();
  readonly channels = new Map<string, SimChannel>();
  readonly conversations = new Map<string, SimConversation>();
  readonly assets = new Map<string, SimAsset>();
  readonly downloads = new Map<string, SignedDownload>();
  readonly messages: AcceptedMessage[] = [];
  readonly rejections: Rejection[] = [];
  readonly requests: RecordedRequest[] = [];
  tokenRequests = 0;
  /** Added to Date.now(): tests move the Hub's clock instead of waiting. */
  clockOffsetMs = 0;

  constructor(readonly clients: SimClient[]) {}

  now(): number {
    return Date.now() + this.clockOffsetMs;
  }

  /** An opaque token, or a JWT whose `exp` says when it expires (signed with a key nobody checks). */
  issueToken(client: SimClient, scopes: string[], ttlSeconds: number, jwt = false): IssuedToken {
    const expiresAt = this.now() + ttlSeconds * 1000;
    const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const value = jwt
      ? `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ sub: client.clientId, scope: scopes.join(' '), exp: Math.floor(expiresAt / 1000) })}.${randomBytes(32).toString('base64url')}`
      : randomBytes(24).toString('base64url');
    const token = { value, clientId: client.clientId, scopes, expiresAt };
    this.tokens.set(token.value, token);
    return token;
  }

  addChannel(body: SimChannelBody, id: string = randomUUID()): SimChannel {
    const stamp = new Date(this.now()).toISOString();
    const channel = { ...body, id, created: stamp, modified: stamp };
    this.channels.set(id, channel);
    return channel;
  }

  channelByType(type: string): SimChannel | undefined {
    return [...this.channels.values()].find((c) => c.type === type);
  }

  openConversation(channelType: string, customerAddress?: string, id: string = randomUUID()): SimConversation {
    const conversation = { id, channelType, customerAddress };
    this.conversations.set(id, conversation);
    return conversation;
  }

  newAsset(input: Omit<SimAsset, 'id' | 'uploadSignature'>): SimAsset {
    const asset = { ...input, id: randomUUID(), uploadSignature: randomBytes(18).toString('base64url') };
    this.assets.set(asset.id, asset);
    return asset;
  }

  /** A new signed download URL's signature for the asset, valid for ttlMs of the Hub's clock. */
  signDownload(assetId: string, ttlMs: number): { signature: string; expiresAt: number } {
    const signature = randomBytes(18).toString('base64url');
    const expiresAt = this.now() + ttlMs;
    this.downloads.set(signature, { assetId, expiresAt });
    return { signature, expiresAt };
  }
}

/** eGain's error body; codes beyond 400-101 and 401-104 are UNKNOWN and named after their status. */
export function reject(
  state: SimulatorState,
  req: Request,
  res: Response,
  status: number,
  message: string,
  details?: { key: string; value: string }[],
): void {
  const code = status === 400 ? '400-101' : status === 401 ? '401-104' : `${status}-101`;
  state.rejections.push({ method: req.method, path: req.path, status, code, message });
  res.status(status).json({ code, developerMessage: message, ...(details ? { details } : {}) });
}

export function zodDetails(error: z.ZodError): { key: string; value: string }[] {
  return error.issues.slice(0, 20).map((i) => ({ key: i.path.join('.') || '(root)', value: i.message }));
}
