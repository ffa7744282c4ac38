import { z } from 'zod';

/**
 * Rich content a message can carry next to its text: quick replies, a list picker, a card (a rich
 * link with an image). The message's `text` is always the readable fallback of it (see
 * `richFallbackText`), so a target that cannot show rich content, a transcript or a summary still
 * reads what was offered. A choice the customer makes comes back as an ordinary text message.
 */

export const RichOption = z.object({
  title: z.string().min(1).max(256),
  /** What choosing it says back; the title when absent. */
  value: z.string().min(1).max(1024).optional(),
  subtitle: z.string().max(512).optional(),
  imageUrl: z.string().url().max(2048).optional(),
  /** An option that opens a page rather than answering. */
  url: z.string().url().max(2048).optional(),
});
export type RichOption = z.infer<typeof RichOption>;

export const QuickReplies = z.object({
  type: z.literal('quickReplies'),
  prompt: z.string().max(4096),
  options: z.array(RichOption).min(1).max(24),
});

export const ListPicker = z.object({
  type: z.literal('listPicker'),
  title: z.string().min(1).max(1024),
  subtitle: z.string().max(1024).optional(),
  multipleSelection: z.boolean().default(false),
  options: z.array(RichOption).min(1).max(100),
});

export const Card = z.object({
  type: z.literal('card'),
  title: z.string().min(1).max(1024),
  subtitle: z.string().max(2048).optional(),
  imageUrl: z.string().url().max(2048).optional(),
  url: z.string().url().max(2048).optional(),
  buttons: z.array(RichOption).max(10).default([]),
});

export const RichContent = z.discriminatedUnion('type', [QuickReplies, ListPicker, Card]);
export type RichContent = z.infer<typeof RichContent>;
export type RichContentInput = z.input<typeof RichContent>;
