import { escapeMarkdown } from '@mlactions/render';

/**
 * Text as a code span, shown exactly as it is. Text a code span cannot hold safely (a backtick, a
 * pipe, which splits a table cell even inside a code span, or a control or invisible character) is
 * escaped as plain text instead.
 */
export function codeSpan(text: string): string {
  return /^[^`|\p{C}]+$/u.test(text) ? `\`${text}\`` : escapeMarkdown(text);
}
