import type { SocketState } from '../../live/reconnecting-socket';

const LOOKS: Record<SocketState, { badge: string; text: string }> = {
  open: { badge: 'badge-good', text: 'Live' },
  connecting: { badge: 'badge-info', text: 'Connecting' },
  waiting: { badge: 'badge-warn', text: 'Reconnecting' },
  closed: { badge: 'badge-bad', text: 'Live stream closed' },
};

/** Shows the state of the site's live stream, so a frozen value is never mistaken for a steady one. */
export function FeedStateBadge(props: { state: SocketState }) {
  return (
    <span class={`badge feed-state ${LOOKS[props.state].badge}`} data-testid="feed-state" data-state={props.state}>
      {LOOKS[props.state].text}
    </span>
  );
}
