// The 3–4 values a rig's tile shows, by kind: a sensor of the live stream ('s'), a figure the API derives from them
// ('f', src/Api/Live/KeyFigures.cs) or a model output ('o', refreshed from …/outputs).
export const tileValues = {
  pump: [
    { key: 'flow', from: 's', label: 'kpi.flow' },
    { key: 'head', from: 'f', label: 'kpi.head' },
    { key: 'motor_power', from: 's', label: 'kpi.power' },
    { key: 'wire_to_water', from: 'f', label: 'kpi.efficiency', bep: true },
  ],
  motor: [
    { key: 'speed', from: 's', label: 'kpi.speed' },
    { key: 'current', from: 's', label: 'kpi.current' },
    { key: 'velocity_rms_mm_s', from: 'o', label: 'kpi.vibration', unit: 'mm/s', iso: true },
  ],
  electrolyser: [
    { key: 'current', from: 's', label: 'kpi.current' },
    { key: 'stack_voltage', from: 's', label: 'kpi.stack_voltage' },
    { key: 'h2_production', from: 'f', label: 'kpi.h2_production' },
    { key: 'specific_energy', from: 'f', label: 'kpi.specific_energy' },
  ],
  'fuel-cell': [
    { key: 'current', from: 's', label: 'kpi.current' },
    { key: 'stack_voltage', from: 's', label: 'kpi.stack_voltage' },
    { key: 'power', from: 's', label: 'kpi.power' },
    { key: 'efficiency_lhv', from: 'f', label: 'kpi.efficiency_lhv' },
  ],
};

// ISO 20816-1 evaluation zones: A new machine, B unrestricted operation, C restricted, D damage may occur.
export const isoZones = { A: 'zone-a', B: 'zone-b', C: 'zone-c', D: 'zone-d' };

// Energy KPIs the rig page lists, with their units (docs/telemetry.md, measurement energy).
export const energyFields = {
  energy_kw: 'kW', hydraulic_kw: 'kW', wire_to_water: '', specific_energy_kwh_m3: 'kWh/m³', bep_flow_m3h: 'm3/h',
  bep_efficiency: '', distance_from_bep: '', savings_kwh_per_year: 'kWh/a', savings_cost_per_year: '€/a',
  speed_ratio_open_valve: '', speed_savings_kwh_per_year: 'kWh/a', input_kw: 'kW', load: '', efficiency: '', ie_class: '',
  sec_kwh_per_kg: 'kWh/kg', voltage_efficiency_hhv: '', faraday_efficiency: '', efficiency_lhv: '', efficiency_hhv: '',
  drift_uv_per_h: 'µV/h', rul_h: 'h', expected_kw: 'kW', enpi: '', cusum_kwh: 'kWh',
};

// Open alerts from a newest-first list of raised/cleared events: raised with no later clear of the same id.
export function openAlerts(alerts) {
  const seen = new Set();
  const open = [];
  for (const a of alerts) {
    if (seen.has(a.id)) continue;
    seen.add(a.id);
    if (a.state === 'raised') open.push(a);
  }
  return open;
}
