import { listBacnetTemplates, loadBacnetTemplate } from '../../drivers/bacnet/bacnet-template';
import { listTemplates, loadTemplate } from '../../templates/registry';

/**
 * Device templates to offer for a found device. A SunSpec device identifies itself through its
 * "SunS" marker and common model. A Modbus server without SunSpec does not: the register-map
 * templates define no identifying registers (no vendor or model register to read and compare), so
 * any register map would be a guess, and a wrong one gives plausible-looking but wrong readings.
 * Such a device gets no suggestion and the installer chooses its template.
 */

/** Returns the SunSpec templates for a device with the "SunS" marker, and none for a device without. */
export function suggestModbusTemplates(sunspec: boolean): string[] {
  if (!sunspec) return [];
  return listTemplates().filter((name) => loadTemplate(name).sunspec !== undefined);
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
