import { createSignal } from 'solid-js';

export type ThemeChoice = 'system' | 'light' | 'dark';

const STORAGE_KEY = 'simtestlab.theme';
const media = () => window.matchMedia('(prefers-color-scheme: dark)');

function stored(): ThemeChoice {
  const value = localStorage.getItem(STORAGE_KEY);
  return value === 'light' || value === 'dark' ? value : 'system';
}

const [choice, setChoice] = createSignal<ThemeChoice>(stored());
const [dark, setDark] = createSignal(false);

function apply(): void {
  const isDark = choice() === 'dark' || (choice() === 'system' && media().matches);
  document.documentElement.dataset.theme = isDark ? 'dark' : 'light';
  setDark(isDark);
}

/** Applies the stored choice and follows the system setting while the choice is `system`. */
export function initTheme(): void {
  apply();
  media().addEventListener('change', apply);
}

export const theme = {
  choice,
  /** True while the dark palette is on, for charts that read colours once per render. */
  dark,
  choose(next: ThemeChoice): void {
    if (next === 'system') localStorage.removeItem(STORAGE_KEY);
    else localStorage.setItem(STORAGE_KEY, next);
    setChoice(next);
    apply();
  },
};
