import { createMemo, createSignal, For, Show } from 'solid-js';
import { displayUnit } from '../../format/values';
import type { SitePoint } from '../../site/site-api';

/** Matches shown below the search field at a time; more need a narrower search. */
const MAX_MATCHES = 12;

export interface PointPickerProps {
  points: readonly SitePoint[];
  selected: readonly string[];
  max: number;
  onChange: (selected: string[]) => void;
}

function matchesQuery(point: SitePoint, words: string[]): boolean {
  const text = `${point.id} ${point.name} ${point.unit}`.toLowerCase();
  return words.every((word) => text.includes(word));
}

/** Chooses up to `max` numeric points by searching their id, name and unit; the chosen ones show as removable chips. */
export function PointPicker(props: PointPickerProps) {
  const [query, setQuery] = createSignal('');
  const byId = createMemo(() => new Map(props.points.map((point) => [point.id, point])));
  const full = () => props.selected.length >= props.max;

  const matches = createMemo(() => {
    const words = query().toLowerCase().split(/\s+/).filter(Boolean);
    if (words.length === 0) return [];
    return props.points.filter((point) => point.dataType !== 'string' && !props.selected.includes(point.id) && matchesQuery(point, words));
  });

  const add = (id: string) => {
    if (full() || props.selected.includes(id)) return;
    props.onChange([...props.selected, id]);
    setQuery('');
  };
  const remove = (id: string) => props.onChange(props.selected.filter((selected) => selected !== id));

  return (
    <div class="point-picker" data-testid="point-picker">
      <ul class="point-chips" aria-label="Chosen points">
        <For each={props.selected}>
          {(id) => {
            const point = () => byId().get(id);
            return (
              <li class="point-chip" data-testid={`history-point-${id}`}>
                <span>
                  {point()?.name ?? id}
                  <span class="muted"> · {point()?.device ?? 'unknown point'}</span>
                </span>
                <button type="button" class="btn-link point-chip-remove" onClick={() => remove(id)} aria-label={`Remove ${point()?.name ?? id}`}>
                  ✕
                </button>
              </li>
            );
          }}
        </For>
      </ul>
      <div class="field">
        <label for="history-point-search">Add a point</label>
        <input
          id="history-point-search"
          type="search"
          placeholder="Search by device, point or unit"
          value={query()}
          onInput={(event) => setQuery(event.currentTarget.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && matches().length > 0) {
              event.preventDefault();
              add(matches()[0]!.id);
            }
          }}
          disabled={full()}
          data-testid="point-search"
        />
        <p class="field-hint">{full() ? `At most ${props.max} points at a time; remove one to add another.` : `Up to ${props.max} points; Enter adds the first match.`}</p>
      </div>
      <Show when={query().trim() !== ''}>
        <Show when={matches().length > 0} fallback={<p class="muted">No numeric point matches “{query()}”.</p>}>
          <ul class="point-matches" aria-label="Matching points">
            <For each={matches().slice(0, MAX_MATCHES)}>
              {(point) => (
                <li>
                  <button type="button" class="point-match" onClick={() => add(point.id)} data-testid={`point-match-${point.id}`}>
                    <span>{point.name}</span>
                    <span class="muted point-match-meta">
                      <span class="mono">{point.id}</span>
                      {point.unit ? ` · ${displayUnit(point.unit)}` : ''}
                    </span>
                  </button>
                </li>
              )}
            </For>
          </ul>
          <Show when={matches().length > MAX_MATCHES}>
            <p class="field-hint">{matches().length - MAX_MATCHES} more match; type more to narrow the list.</p>
          </Show>
        </Show>
      </Show>
    </div>
  );
}
