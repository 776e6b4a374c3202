import { For, Show } from 'solid-js';
import { templateChoices } from '../../pages/setup/device-rows';
import type { DeviceProtocol, SetupTemplate } from '../../pages/setup/setup-types';

/** Shows the template choice of one device: the scan's suggestions first, then every other template of the protocol. */
export function TemplateSelect(props: {
  id: string;
  label: string;
  templates: readonly SetupTemplate[];
  protocol: DeviceProtocol;
  suggested: readonly string[];
  value: string;
  invalid?: boolean;
  onChange(template: string): void;
}) {
  const choices = () => templateChoices(props.templates, props.protocol, props.suggested);
  return (
    <select id={props.id} aria-label={props.label} value={props.value} aria-invalid={props.invalid ? 'true' : undefined} onChange={(event) => props.onChange(event.currentTarget.value)}>
      <option value="">Choose a template…</option>
      <Show when={choices().suggested.length > 0}>
        <optgroup label="Suggested for this device">
          <For each={choices().suggested}>{(template) => <option value={template.id}>{template.name}</option>}</For>
        </optgroup>
      </Show>
      <optgroup label={choices().suggested.length > 0 ? 'Other templates' : 'Templates'}>
        <For each={choices().others}>{(template) => <option value={template.id}>{template.name}</option>}</For>
      </optgroup>
    </select>
  );
}
