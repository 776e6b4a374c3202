import { describe, expect, it } from 'vitest';
import { alarmConditionSchema, renderAlarmMessage, type AlarmMessageValues } from '../src/index';

// Default messages of a point without a unit (a Modbus setpoint, for example) had a space before the comma
// or bracket after the empty unit: "PLC setpoint high: plc.setpoint is 35 , above 30".

const unitless: AlarmMessageValues = {
  name: 'PLC setpoint high',
  point: 'plc.setpoint',
  device: 'plc',
  value: '35',
  unit: '',
  limit: '30',
  severity: 'critical',
};

describe('default messages without a unit', () => {
  it.each([
    [{ type: 'high', limit: 30 }, 'PLC setpoint high: plc.setpoint is 35, above 30'],
    [{ type: 'low_low', limit: 30 }, 'PLC setpoint high: plc.setpoint is 35, below 30'],
    [{ type: 'rate_of_change', maxChangePerMinute: 30 }, 'PLC setpoint high: plc.setpoint changes faster than 30 per minute (now 35)'],
  ])('renders %j without a gap', (condition, expected) => {
    expect(renderAlarmMessage(alarmConditionSchema.parse(condition), unitless)).toBe(expected);
  });

  it('keeps spaces around a set unit', () => {
    const condition = alarmConditionSchema.parse({ type: 'rate_of_change', maxChangePerMinute: 30 });

    expect(renderAlarmMessage(condition, { ...unitless, unit: 'C' })).toBe('PLC setpoint high: plc.setpoint changes faster than 30 °C per minute (now 35 °C)');
  });

  it('keeps space before unknown placeholder', () => {
    const condition = alarmConditionSchema.parse({ type: 'high', limit: 30, message: '{name} {other} {unit}!' });

    expect(renderAlarmMessage(condition, unitless)).toBe('PLC setpoint high {other}!');
  });
});
