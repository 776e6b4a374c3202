import { listBacnetTemplates, loadBacnetTemplate } from '../drivers/bacnet/bacnet-template';
import { listTemplates, loadTemplate } from '../templates/registry';

/** Protocol a setup pick uses, which is also the site file's `driver`. */
export type SetupProtocol = 'modbus-tcp' | 'bacnet';

/** A shipped device template as the setup page offers it. */
export interface SetupTemplate {
  /** Template name, written as `template` in the site file. */
  id: string;
  name: string;
  protocol: SetupProtocol;
  description: string;
}

/** Lists the Modbus templates of the registry, then the BACnet templates, each sorted by name. */
export function listSetupTemplates(): SetupTemplate[] {
  const modbus = listTemplates().map((id): SetupTemplate => {
    const template = loadTemplate(id);
    return { id, name: template.title, protocol: 'modbus-tcp', description: `${template.manufacturer}; ${template.document}` };
  });
  const bacnet = listBacnetTemplates().map((id): SetupTemplate => {
    const template = loadBacnetTemplate(id);
    return { id, name: template.title, protocol: 'bacnet', description: `${template.manufacturer}; ${template.document}` };
  });
  return [...modbus, ...bacnet];
}
