import { theme, type ThemeChoice } from '../../app/theme';

/** Light, dark or the system's choice; kept in this browser. */
export function ThemeToggle() {
  return (
    <label class="user-menu" style={{ margin: 0, 'font-weight': 'normal' }}>
      <span class="visually-hidden">Colour theme</span>
      <select value={theme.choice()} onChange={(event) => theme.choose(event.currentTarget.value as ThemeChoice)} aria-label="Colour theme" style={{ width: 'auto' }}>
        <option value="system">System theme</option>
        <option value="light">Light</option>
        <option value="dark">Dark</option>
      </select>
    </label>
  );
}
