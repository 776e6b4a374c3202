import { createMemo, createSignal, For, Show } from 'solid-js';
import { filterTimeZones, listTimeZones } from '../../pages/setup/time-zones';

/**
 * Shows a time zone choice with a search field. Typing narrows the list below and chooses its first
 * zone when the chosen one no longer matches. Both are plain form controls, so the keyboard works as usual.
 */
export function TimeZoneSelect(props: { id: string; value: string; onChange(zone: string): void }) {
  const zones = listTimeZones();
  const [query, setQuery] = createSignal('');
  const matches = createMemo(() => filterTimeZones(zones, query()));
  const listed = createMemo(() => (matches().includes(props.value) || query() === '' ? matches() : [props.value, ...matches()]));

  const search = (text: string) => {
    setQuery(text);
    const found = filterTimeZones(zones, text);
    if (found.length > 0 && !found.includes(props.value)) props.onChange(found[0]!);
  };

  return (
    <div class="field">
      <label for={`${props.id}-search`}>Time zone</label>
      <input
        id={`${props.id}-search`}
        type="search"
        placeholder="Search, such as Berlin or New York"
        value={query()}
        aria-controls={props.id}
        aria-describedby={`${props.id}-hint`}
        onInput={(event) => search(event.currentTarget.value)}
      />
      <select id={props.id} aria-label="Time zone" value={props.value} size={6} class="setup-time-zones" onChange={(event) => props.onChange(event.currentTarget.value)}>
        <For each={listed()}>{(zone) => <option value={zone}>{zone.replaceAll('_', ' ')}</option>}</For>
      </select>
      <div class="field-hint" id={`${props.id}-hint`}>
        <Show when={matches().length > 0} fallback={`No time zone matches "${query()}".`}>
          Chosen: <strong data-testid={`${props.id}-chosen`}>{props.value}</strong>. The site's charts, reports and day boundaries use it.
        </Show>
      </div>
    </div>
  );
}
