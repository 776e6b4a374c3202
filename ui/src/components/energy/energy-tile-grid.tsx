import { For, Show } from 'solid-js';
import type { EnergyTile } from './energy-tiles';

const DIRECTION_WORDS = { up: 'up', down: 'down', same: 'unchanged' } as const;

/** Renders the headline tiles: each figure with its unit, its change against the previous period and a note. */
export function EnergyTileGrid(props: { tiles: EnergyTile[] }) {
  return (
    <div class="grid grid-kpi energy-tiles" data-testid="energy-tiles">
      <For each={props.tiles}>
        {(tile) => (
          <div class="kpi energy-tile" data-testid={`energy-tile-${tile.id}`}>
            <p class="kpi-label">{tile.label}</p>
            <p class="kpi-value" data-testid={`energy-tile-${tile.id}-value`}>
              {tile.value}
              <Show when={tile.unit}>
                {/* The space keeps `0.62 kWh` apart in the text that screen readers read and copies carry. */}{' '}
                <span class="kpi-unit">{tile.unit}</span>
              </Show>
            </p>
            <Show when={tile.change}>
              <p class="kpi-note energy-change" data-direction={tile.direction ?? undefined} data-testid={`energy-tile-${tile.id}-change`}>
                <span class="visually-hidden">{DIRECTION_WORDS[tile.direction ?? 'same']}: </span>
                {tile.change}
              </p>
            </Show>
            <Show when={tile.note}>
              <p class="kpi-note">{tile.note}</p>
            </Show>
          </div>
        )}
      </For>
    </div>
  );
}
