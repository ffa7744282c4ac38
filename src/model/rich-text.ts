import type { RichContentInput, RichOption } from './rich.js';

/**
 * The readable text of rich content, for targets that can only show text (RightNow, an eGain channel
 * whose restrictions exclude it) and for transcripts. Options are numbered so a customer can answer
 * by typing the number or the words; links and images are written out in full.
 */
export function richFallbackText(rich: RichContentInput): string {
  switch (rich.type) {
    case 'quickReplies':
      return lines([rich.prompt, ...numbered(rich.options)]);
    case 'listPicker':
      return lines([rich.title, rich.subtitle, rich.multipleSelection ? '(choose one or more)' : undefined, ...numbered(rich.options)]);
    case 'card':
      return lines([
        rich.title,
        rich.subtitle,
        rich.url,
        rich.imageUrl ? `Image: ${rich.imageUrl}` : undefined,
        ...numbered(rich.buttons ?? []),
      ]);
  }
}

function numbered(options: RichOption[]): string[] {
  return options.map((o, i) => {
    const detail = [o.subtitle, o.url].filter((d) => d !== undefined && d !== '').join(' ');
    return `${i + 1}. ${o.title}${detail ? ` — ${detail}` : ''}`;
  });
}

function lines(parts: (string | undefined)[]): string {
  return parts.filter((p): p is string => p !== undefined && p.trim() !== '').join('\n');
}

/** What a choice says when it comes back as text: the option's value, else its title. */
export function choiceText(option: Pick<RichOption, 'title' | 'value'>): string {
  return option.value ?? option.title;
}

/** The body of a canonical message carrying rich content: the content and its readable text. */
export function richMessageBody(rich: RichContentInput): { text: string; rich: RichContentInput } {
  return { text: richFallbackText(rich), rich };
}
