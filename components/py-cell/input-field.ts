/**
 * The field where the reader answers `input()`: it follows the prompt in the output, on the
 * prompt's line. Enter answers with the line; Ctrl+D in an empty field ends the input.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { InputField } from '../controllers/run-controller.js';

export function renderInputField(field: InputField | null, answer: (line: string | null) => void): TemplateResult | typeof nothing {
  if (!field) return nothing;
  const onKeydown = (event: KeyboardEvent) => {
    const input = event.target as HTMLInputElement;
    if (event.key === 'Enter' && !event.isComposing) {
      event.preventDefault();
      answer(input.value);
    } else if (event.key === 'd' && event.ctrlKey && input.value === '') {
      event.preventDefault();
      answer(null);
    }
  };
  return html`<input
    part="input"
    class="stdin"
    type=${field.password ? 'password' : 'text'}
    aria-label=${field.prompt.trim() || 'Input for Python'}
    autocomplete="off"
    autocapitalize="off"
    spellcheck="false"
    @keydown=${onKeydown}
  />`;
}
