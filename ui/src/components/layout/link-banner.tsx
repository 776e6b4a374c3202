import { createSignal, onCleanup, onMount, Show } from 'solid-js';
import { latestOnly } from '../../api/latest';
import { useApp } from '../../app/app-context';
import { now } from '../../app/clock';
import { formatAgo, formatDateTime } from '../../format/time';
import type { SiteLink } from '../../site/site-api';
import { useSite } from '../../site/site-context';
import { browserTimeZone, siteTimeZone } from '../../site/site-time-zone';

/** How often the banner checks the link. */
const POLL_INTERVAL_MS = 15_000;

/**
 * The state of the link between the edge and the hub, above every site page. On a paired edge it warns
 * that the cloud is unreachable and the site runs in local mode. In the hub it warns that the site's edge
 * is offline, so the data shown may be old. It shows nothing while the link is up or on an unpaired edge.
 */
export function LinkBanner() {
  const app = useApp();
  const site = useSite();
  const pairedEdge = app.instance.mode === 'edge' && app.instance.cloud.paired;
  const watched = pairedEdge || app.instance.mode === 'cloud';
  const [polled, setPolled] = createSignal<{ connected: boolean; lastContactAt: number | null } | null>(null);
  const timeZone = () => siteTimeZone(site.summary) ?? browserTimeZone();

  // A failed poll leaves the last known state in place: the page shows its own error.
  const poll = latestOnly(
    () => site.api.syncStatus(),
    (status) => setPolled({ connected: status.liveConnected, lastContactAt: status.lastContactAt }),
    () => undefined,
  );
  onMount(() => {
    if (!watched) return;
    void poll();
    const timer = setInterval(() => void poll(), POLL_INTERVAL_MS);
    onCleanup(() => clearInterval(timer));
  });

  const summaryLink = (): SiteLink | null => (site.summary.state === 'ready' || site.summary.state === 'refreshing' ? (site.summary()?.link ?? null) : null);
  const link = (): SiteLink | null => {
    const fromSummary = summaryLink();
    const fromPoll = polled();
    if (!fromPoll) return fromSummary;
    return { connected: fromPoll.connected, lastContactAt: fromPoll.lastContactAt, lastDataAt: fromSummary?.lastDataAt ?? null };
  };
  const offline = () => watched && link() !== null && !link()!.connected;

  return (
    <Show when={offline()}>
      <Show
        when={app.instance.mode === 'edge'}
        fallback={
          <div class="banner banner-bad" role="status" data-testid="link-banner" data-mode="cloud">
            <Show when={link()!.lastDataAt} fallback={<span>Site offline: no data received from its edge node yet.</span>}>
              {(lastData) => (
                <span>
                  Site offline: last data {formatAgo(lastData(), now())} ({formatDateTime(lastData(), timeZone())}).
                </span>
              )}
            </Show>
          </div>
        }
      >
        <div class="banner banner-warn" role="status" data-testid="link-banner" data-mode="edge">
          <Show when={link()!.lastContactAt} fallback={<span>Local mode: the cloud hub has not been reached yet.</span>}>
            {(since) => (
              <span>
                Local mode: cloud offline since {formatDateTime(since(), timeZone())} ({formatAgo(since(), now())}).
              </span>
            )}
          </Show>
        </div>
      </Show>
    </Show>
  );
}
