import { For, Show, createMemo, createSignal } from 'solid-js';
import { displayUnit } from '../../format/values';
import type { SiteDevice, SitePoint } from '../../site/site-api';
import { searchPoints } from './live-selection';
import './point-picker.css';

/** Number of matches the list shows at once. A narrower search finds the rest. */
const MAX_LISTED = 150;

export interface PointPickerProps {
  points: readonly SitePoint[];
  devices: readonly SiteDevice[];
  selected: readonly string[];
  onChange(selected: string[]): void;
}

/** Renders a search over points by name, id or device with a checkbox each, and the selection as removable chips. */
export function PointPicker(props: PointPickerProps) {
  const [search, setSearch] = createSignal('');
  const matches = createMemo(() => searchPoints(props.points, props.devices, search()));
  const deviceName = (key: string) => props.devices.find((device) => device.key === key)?.name ?? key;
  const byId = createMemo(() => new Map(props.points.map((point) => [point.id, point])));
  const isSelected = (id: string) => props.selected.includes(id);
  const toggle = (id: string) => props.onChange(isSelected(id) ? props.selected.filter((entry) => entry !== id) : [...props.selected, id]);

  return (
    <div class="point-picker" data-testid="point-picker">
      <div class="point-picker-chips" aria-live="polite">
        <For each={props.selected} fallback={<span class="muted">No points selected.</span>}>
          {(id) => (
            <span class="point-chip" data-testid={`selected-point-${id}`}>
              {byId().get(id)?.name ?? id}
              <Show when={byId().get(id)}>{(point) => <span class="point-chip-device">{deviceName(point().device)}</span>}</Show>
              <button type="button" class="btn-link point-chip-remove" aria-label={`Remove ${byId().get(id)?.name ?? id}`} onClick={() => toggle(id)}>
                ×
              </button>
            </span>
          )}
        </For>
        <Show when={props.selected.length > 0}>
          <button type="button" class="btn-small" onClick={() => props.onChange([])}>
            Clear
          </button>
        </Show>
      </div>
      <div class="field">
        <label for="point-search">Find points</label>
        <input
          id="point-search"
          type="search"
          placeholder="Name, id or device"
          value={search()}
          onInput={(event) => setSearch(event.currentTarget.value)}
          data-testid="point-search"
        />
        <p class="field-hint">
          {matches().length} of {props.points.length} points match
          <Show when={matches().length > MAX_LISTED}>; the first {MAX_LISTED} are listed, so narrow the search to see the rest</Show>.
        </p>
      </div>
      <ul class="point-picker-list" aria-label="Matching points">
        <For each={matches().slice(0, MAX_LISTED)}>
          {(point) => (
            <li>
              <label class="point-option">
                <input type="checkbox" checked={isSelected(point.id)} onChange={() => toggle(point.id)} data-testid={`pick-point-${point.id}`} />
                <span class="point-option-name">{point.name}</span>
                <span class="muted point-option-meta">
                  {deviceName(point.device)}
                  <Show when={point.unit}> · {displayUnit(point.unit)}</Show>
                </span>
              </label>
            </li>
          )}
        </For>
      </ul>
    </div>
  );
}
