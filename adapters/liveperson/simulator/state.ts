import type { Response } from 'express';

/** What the simulator remembers: conversations with every event it accepted, and every refusal. */

/** Originator roles LivePerson's messaging notifications name (MANAGER: a supervisor who joined the conversation). */
export type LpRole = 'CONSUMER' | 'ASSIGNED_AGENT' | 'AGENT' | 'MANAGER';

export interface RecordedEvent {
  /** 0 for ChatStateEvents, as LivePerson answers. */
  sequence: number;
  role: LpRole;
  originatorId: string;
  event: Record<string, unknown>;
  serverTimestamp: number;
  audience: 'ALL' | 'AGENTS_AND_MANAGERS';
}

export interface SimConversation {
  id: string;
  consumerId: string;
  state: 'OPEN' | 'CLOSE';
  brandId: string;
  skillId?: string;
  campaignInfo?: { campaignId: string; engagementId: string };
  /** Every SetUserProfile body accepted for this consumer, in order. */
  profiles: unknown[];
  events: RecordedEvent[];
  nextSequence: number;
  agentId?: string;
  closeReason?: 'CONSUMER' | 'AGENT' | 'SYSTEM';
  startTs: number;
  endTs?: number;
  metaDataLastUpdateTs: number;
}

export interface Rejection {
  endpoint: string;
  status: number;
  errorCode?: number;
  reason: string;
}

export interface SimState {
  accountId: string;
  conversations: Map<string, SimConversation>;
  /** ext_consumer_id of every consumer created (idp calls, including repeats). */
  consumersCreated: string[];
  appTokensIssued: number;
  domainLookups: Record<string, number>;
  rejections: Rejection[];
  uploads: Map<string, { bytes: number; sig: string; expires: number; done: boolean }>;
}

/** LivePerson's error body: `{"kind":"resp","code":401,"body":{"title","details","errorCode"},"type":".ReqBody$ErrorResp"}`. */
export function reject(state: SimState, res: Response, endpoint: string, status: number, reason: string, errorCode?: number): void {
  state.rejections.push({ endpoint, status, reason, ...(errorCode ? { errorCode } : {}) });
  res.status(status).json({
    kind: 'resp',
    code: status,
    body: { title: status === 401 ? 'Unauthorized' : 'Bad Request', details: reason, ...(errorCode ? { errorCode } : {}) },
    type: '.ReqBody$ErrorResp',
  });
}

export function nextTs(conv: SimConversation): number {
  conv.metaDataLastUpdateTs = Math.max(Date.now(), conv.metaDataLastUpdateTs + 1);
  return conv.metaDataLastUpdateTs;
}
