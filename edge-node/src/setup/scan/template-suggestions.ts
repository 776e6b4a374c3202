import { listBacnetTemplates, loadBacnetTemplate } from '../../drivers/bacnet/bacnet-template';
import { listTemplates, loadTemplate } from '../../templates/registry';

/**
 * Device templates to offer for a found device. A scan cannot tell one register map from another on
 * a Modbus server without SunSpec, so those get every register-map template and the installer picks.
 */

/** Returns the SunSpec templates for a device with the "SunS" marker, or the register-map templates for one without. */
export function suggestModbusTemplates(sunspec: boolean): string[] {
  return listTemplates().filter((name) => (loadTemplate(name).sunspec !== undefined) === sunspec);
}

function mentions(text: string, name: string): boolean {
  return name.trim().length > 0 && text.toLowerCase().includes(name.trim().toLowerCase());
}

/**
 * Returns the BACnet templates, those whose title or manufacturer mentions the device's vendor or
 * model name first; the order is otherwise by name.
 */
export function suggestBacnetTemplates(device: { vendorName: string; modelName: string }): string[] {
  const scored = listBacnetTemplates().map((name) => {
    const template = loadBacnetTemplate(name);
    const text = `${template.title} ${template.manufacturer}`;
    const score = Number(mentions(text, device.vendorName)) + Number(mentions(text, device.modelName));
    return { name, score };
  });
  return scored.sort((a, b) => b.score - a.score || a.name.localeCompare(b.name)).map((entry) => entry.name);
}
