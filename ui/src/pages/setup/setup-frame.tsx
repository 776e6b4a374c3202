import type { ParentProps } from 'solid-js';
import { ThemeToggle } from '../../components/layout/theme-toggle';
import '../../components/setup/setup.css';

/** Shows the frame of the setup pages: the brand and the theme choice above a wide card, without the site navigation. */
export function SetupFrame(props: ParentProps) {
  return (
    <div class="setup-page">
      <header class="setup-header">
        <div class="brand">
          <img src="/favicon.svg" alt="" />
          <span>SimTestLab EMS</span>
        </div>
        <span class="badge badge-info">Edge node setup</span>
        <div class="header-spacer" />
        <ThemeToggle />
      </header>
      <main class="setup-main" id="main">
        {props.children}
      </main>
    </div>
  );
}
