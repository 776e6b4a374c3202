import type { JSX, ParentProps } from 'solid-js';

export interface EnergySectionProps {
  /** Id of the heading, which labels the section. */
  id: string;
  title: string;
  /** A CSV export control, shown only to those who may export. */
  actions?: JSX.Element;
  testId?: string;
}

/** Renders one card of the energy page or report: a heading that labels the section, actions on the right, then the content. */
export function EnergySection(props: ParentProps<EnergySectionProps>) {
  return (
    <section class="card energy-section" aria-labelledby={props.id} data-testid={props.testId}>
      <div class="card-header">
        <h2 id={props.id}>{props.title}</h2>
        <div class="energy-section-actions no-print">{props.actions}</div>
      </div>
      {props.children}
    </section>
  );
}
