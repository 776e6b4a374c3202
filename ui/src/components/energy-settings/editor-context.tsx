import { createContext, useContext, type Accessor } from 'solid-js';
import type { SetStoreFunction } from 'solid-js/store';
import type { FieldErrors } from './field-errors';
import type { SettingsForm } from './settings-form';

/** Services every part of the energy settings editor shares: the form store, its errors and whether it may be changed. */
export interface EditorServices {
  form: SettingsForm;
  setForm: SetStoreFunction<SettingsForm>;
  errors: Accessor<FieldErrors>;
  readOnly: Accessor<boolean>;
  /** ISO 4217 code of every price: the organization's currency. */
  currency: Accessor<string>;
  /** IANA zone of the site, whose wall clock every tariff follows. */
  timeZone: Accessor<string>;
  /** Marks a field as visited, so its client-side messages show from then on. */
  touch: (path: string) => void;
}

export const EditorContext = createContext<EditorServices>();

export function useEditor(): EditorServices {
  const services = useContext(EditorContext);
  if (!services) throw new Error('useEditor() outside <EditorContext.Provider>');
  return services;
}
