import { z } from 'zod';

/**
 * Structured content and quick replies as LivePerson's "Rich Messaging" pages describe them, written
 * here without the adapter's reading: buttons with click actions (`publishText`, `link`, `navigate`),
 * layouts that hold elements, and quick replies as rows of buttons on a text.
 */

const SimAction = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('publishText'), text: z.string().min(1) }),
  z.strictObject({ type: z.literal('link'), uri: z.string().url(), name: z.string().optional(), target: z.enum(['self', 'blank', 'slideout']).optional() }),
  z.strictObject({ type: z.literal('navigate'), name: z.string().optional(), lo: z.number(), la: z.number() }),
]);

const SimClick = z.strictObject({
  actions: z.array(SimAction).min(1).optional(),
  metadata: z.array(z.looseObject({ type: z.string() })).optional(),
});

const Style = z.record(z.string(), z.unknown()).optional();

export const SimButton = z.strictObject({
  type: z.literal('button'),
  title: z.string().min(1).max(128),
  tooltip: z.string().optional(),
  click: SimClick,
  style: Style,
});

export const SimQuickReplies = z.strictObject({
  type: z.literal('quickReplies'),
  itemsPerRow: z.number().int().min(1).max(8).optional(),
  replies: z.array(SimButton).min(1).max(24),
});

type Element = { type: string; [key: string]: unknown };

export const SimElement: z.ZodType<Element> = z.lazy(() =>
  z.discriminatedUnion('type', [
    z.strictObject({ type: z.literal('text'), text: z.string().min(1), tooltip: z.string().optional(), style: Style }),
    z.strictObject({ type: z.literal('image'), url: z.string().url(), caption: z.string().optional(), tooltip: z.string().optional(), click: SimClick.optional(), style: Style }),
    SimButton,
    z.strictObject({ type: z.literal('vertical'), elements: z.array(SimElement).min(1), tag: z.string().optional() }),
    z.strictObject({ type: z.literal('horizontal'), elements: z.array(SimElement).min(1), tag: z.string().optional() }),
    z.strictObject({ type: z.literal('carousel'), padding: z.number().int().optional(), elements: z.array(SimElement).min(1) }),
  ]),
);

export const SimRichContentEvent = z.strictObject({ type: z.literal('RichContentEvent'), content: SimElement });
