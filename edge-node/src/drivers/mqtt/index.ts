export { createMqttDriver, createMqttDriverFactory, type MqttDriverOptions } from './mqtt-driver';
export { getMqttStats, mqttMetricFamilies, type MqttDeviceStats } from './stats';
