import type { PayloadProblem } from './payload';

/** Counters of one MQTT device, kept for the life of the process so they only grow. */
export interface MqttDeviceStats {
  device: string;
  /** Whether the device's client is connected to its broker now. */
  connected: boolean;
  messagesReceived: number;
  /**
   * Messages with at least one point that gave no value, by the first problem found, and messages
   * rejected whole for a timestamp ahead of the edge clock (`future_timestamp`).
   */
  malformedMessages: Record<PayloadProblem, number>;
  /** Messages dropped because their own timestamp was older than `staleAfterS`. */
  staleMessagesIgnored: number;
  /** Point values dropped because an earlier message carried a later timestamp. */
  outOfOrderValuesIgnored: number;
  /** Successful connections, the first one included. */
  connects: number;
  reconnectAttempts: number;
}

const statsByDevice = new Map<string, MqttDeviceStats>();

/** Returns the counters of a device, creating them at zero on first use. */
export function mqttStatsFor(device: string): MqttDeviceStats {
  let stats = statsByDevice.get(device);
  if (stats === undefined) {
    stats = {
      device,
      connected: false,
      messagesReceived: 0,
      malformedMessages: { invalid_json: 0, missing_path: 0, not_numeric: 0, not_boolean: 0, future_timestamp: 0 },
      staleMessagesIgnored: 0,
      outOfOrderValuesIgnored: 0,
      connects: 0,
      reconnectAttempts: 0,
    };
    statsByDevice.set(device, stats);
  }
  return stats;
}

/** Returns a copy of the counters of every MQTT device this process has run, for the metrics endpoint. */
export function getMqttStats(): MqttDeviceStats[] {
  return [...statsByDevice.values()].map((stats) => ({ ...stats, malformedMessages: { ...stats.malformedMessages } }));
}

type MetricFamily = {
  name: string;
  help: string;
  type: 'counter' | 'gauge';
  values: Array<{ labels: Record<string, string>; value: number }>;
};

/** Returns the MQTT counters as metric families in the shape of the edge node's `MetricSource`. */
export function mqttMetricFamilies(): MetricFamily[] {
  const all = getMqttStats();
  const perDevice = (name: string, help: string, type: MetricFamily['type'], value: (stats: MqttDeviceStats) => number): MetricFamily => ({
    name,
    help,
    type,
    values: all.map((stats) => ({ labels: { device: stats.device }, value: value(stats) })),
  });
  return [
    perDevice('edge_mqtt_connected', '1 when the device client is connected to its broker.', 'gauge', (s) => (s.connected ? 1 : 0)),
    perDevice('edge_mqtt_messages_received_total', 'MQTT messages received per device.', 'counter', (s) => s.messagesReceived),
    {
      name: 'edge_mqtt_malformed_messages_total',
      help: 'MQTT messages that gave no value for a point, or were rejected for a timestamp ahead of the edge clock, by problem.',
      type: 'counter',
      values: all.flatMap((stats) =>
        Object.entries(stats.malformedMessages).map(([problem, value]) => ({ labels: { device: stats.device, problem }, value })),
      ),
    },
    perDevice('edge_mqtt_stale_messages_ignored_total', 'MQTT messages dropped as older than staleAfterS.', 'counter', (s) => s.staleMessagesIgnored),
    perDevice('edge_mqtt_out_of_order_values_ignored_total', 'MQTT point values dropped as older than the last one.', 'counter', (s) => s.outOfOrderValuesIgnored),
    perDevice('edge_mqtt_connects_total', 'Successful MQTT connections per device.', 'counter', (s) => s.connects),
    perDevice('edge_mqtt_reconnect_attempts_total', 'MQTT reconnect attempts per device.', 'counter', (s) => s.reconnectAttempts),
  ];
}
